package protocols

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/config"
)

// fuzzPlan exercises every policy that edits events, so the fuzzer reaches omission and
// renaming as well as validation.
func fuzzPlan(t testing.TB, ov config.ViolationPolicy) *Plan {
	tp := testPlan(ov,
		config.Transformation{If: `event = "Order Completed" and properties.total > 10`, RenameEvent: "Big Order"},
		config.Transformation{If: `type = "track" or type = "page"`, RenameProperties: map[string]string{"total": "revenue", "revenue": "total", "a": "b"}},
	)
	tp.Events["Order Completed"]["context"] = config.JSONText(`{"properties": {"ip": {"type": "string", "format": "ipv4"}, "library": {"type": "object", "required": ["name"]}}}`)
	tp.Events["Strict"] = config.EventRules{"properties": config.JSONText(`{
		"type": "object",
		"additionalProperties": false,
		"propertyNames": {"maxLength": 3},
		"properties": {"n": {"type": "integer", "multipleOf": 3, "maximum": 1e300}, "l": {"uniqueItems": true, "contains": {"const": 1}}},
		"patternProperties": {"^x": {"type": "string"}}
	}`)}
	p, err := Compile(tp)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func FuzzApply(f *testing.F) {
	for _, seed := range []string{
		badOrder,
		`{"type":"track","event":"Order Completed","properties":{"order_id":"A","total":11,"products":[{"price":"1"}]},"context":{"ip":"1.2.3.999","library":{}}}`,
		`{"type":"track","event":"Strict","properties":{"n":9007199254740993,"l":[1,1,{"a":[]}],"xyzzy":1,"x":2}}`,
		`{"type":"track","event":"Strict","properties":{"n":NaN,"l":[1e999999999,-Inf]}}`,
		`{"type":"identify","traits":{"email":"a@b.co","plan":"pro","age":3},"context":{"traits":{"email":1}}}`,
		`{"type":"identify","context":{"traits":{"email":"x"}}}`,
		`{"type":"group","traits":[]}`,
		`{"type":"page","properties":{"a":1,"b":2}}`,
		`{"type":"track","event":"Mystery","properties":{"total":1,"revenue":2}}`,
		`{"type":"track","event":{"x":1}}`,
		`{"type":1}`,
		`{}`,
	} {
		f.Add([]byte(seed))
	}
	plans := []*Plan{
		fuzzPlan(f, config.ViolationPolicy{InvalidProperties: "omit", UnplannedProperties: "omit", InvalidTraits: "omit", UnplannedTraits: "omit"}),
		fuzzPlan(f, config.ViolationPolicy{UnplannedEvents: "block", InvalidProperties: "block", InvalidTraits: "block"}),
	}
	known := map[string]bool{ReasonUnplannedEvent: true, ReasonInvalidProperties: true, ReasonInvalidTraits: true, ReasonInvalidContext: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, plan := range plans {
			var parser fastjson.Parser
			ev, err := parser.ParseBytes(data)
			if err != nil {
				return
			}
			before := canon(nil, ev)
			out := plan.Apply(ev, &fastjson.Arena{})
			if out.Blocked {
				if !known[out.Reason] {
					t.Fatalf("blocked with reason %q: %+v", out.Reason, out.Violations)
				}
				if after := canon(nil, ev); !bytes.Equal(before, after) {
					t.Fatalf("blocked event was changed:\n%s\n%s", before, after)
				}
			} else if out.Reason != "" {
				t.Fatalf("passed with reason %q", out.Reason)
			}
			if len(out.Violations) > MaxViolations+1 {
				t.Fatalf("%d violations", len(out.Violations))
			}
			for _, v := range out.Violations {
				if v.Message == "" {
					t.Fatalf("empty message at %q", v.Path)
				}
			}
		}
	})
}

// canon renders a tree with keys and strings unescaped and requoted: fastjson marshals a
// parsed key as it arrived until something reads the object, so its raw output can differ
// for an unchanged tree.
func canon(dst []byte, v *fastjson.Value) []byte {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		dst = append(dst, '{')
		o.Visit(func(k []byte, c *fastjson.Value) {
			dst = strconv.AppendQuote(dst, string(k))
			dst = append(dst, ':')
			dst = canon(dst, c)
			dst = append(dst, ',')
		})
		return append(dst, '}')
	case fastjson.TypeArray:
		a, _ := v.Array()
		dst = append(dst, '[')
		for _, c := range a {
			dst = canon(dst, c)
			dst = append(dst, ',')
		}
		return append(dst, ']')
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return strconv.AppendQuote(dst, string(b))
	}
	return v.MarshalTo(dst)
}
