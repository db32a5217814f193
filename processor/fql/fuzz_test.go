package fql

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/valyala/fastjson"
)

// fuzzEvents are evaluated by every expression the fuzzer finds valid, to
// check that evaluation never panics and that String() keeps the meaning.
var fuzzEvents = []string{
	sampleEvent,
	`{}`,
	`{"type": null, "properties": [1, "a", null, {"x": 0}], "context": "text", "traits": 0}`,
	`{"type": "track", "event": "", "properties": {"a": {"b": [[], {}, "😀", -0, 1e308]}}}`,
}

func FuzzParse(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	events := make([]*fastjson.Value, len(fuzzEvents))
	for i, doc := range fuzzEvents {
		events[i] = fastjson.MustParse(doc)
	}
	// warm reads the seeds' paths into each event's Memo before the fuzzed expression
	// uses it, as other triggers of the same event would.
	var warm []*Expr
	for _, seed := range fuzzSeeds(f) {
		if e, err := Parse(seed); err == nil {
			warm = append(warm, e)
		}
	}
	var memo Memo
	f.Fuzz(func(t *testing.T, src string) {
		expr, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", src, err)
			}
			if se := err.(*SyntaxError); se.Pos < 0 || se.Pos > len(src) {
				t.Fatalf("Parse(%q): position %d outside the input", src, se.Pos)
			}
			return
		}
		canonical := expr.String()
		again, err := Parse(canonical)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", src, canonical, err)
		}
		if again.String() != canonical {
			t.Fatalf("canonical text is not stable: %q -> %q -> %q", src, canonical, again.String())
		}
		for _, event := range events {
			if a, b := expr.Eval(event), again.Eval(event); a != b {
				t.Fatalf("%q and its canonical form %q disagree: %v vs %v", src, canonical, a, b)
			}
			memo.Reset(event)
			for _, w := range warm {
				w.EvalMemo(event, &memo)
			}
			if a, b := expr.Eval(event), expr.EvalMemo(event, &memo); a != b {
				t.Fatalf("%q: without a Memo %v, with one %v", src, a, b)
			}
		}
		_, _ = ParseTrigger(src)
	})
}

// fuzzSeeds are the canonical-text cases, the error cases and every
// expression of the Segment golden file.
func fuzzSeeds(tb testing.TB) []string {
	seeds := []string{
		`type = "track"`, `a = 1 or b = 2 and c = 3`, `!(a = 1 or b = 2)`, `!contains(event, "x")`,
		`match(event, "[!a-z]?*\*")`, `properties.product\ 1.price >= 1.5e3`, `'x' in properties.list`,
		`type in ["a", 1, true, null]`, `length(lowercase(string(properties.x))) > 2`, `received_at < '2023-04-21T19:55:00.933Z'`,
		`typeof(number(bool(properties.a))) = "number"`, `titlecase(snakecase(kebabcase(uppercase(event)))) != null`,
		`properties.a.0.b.length = 3`, `\and = \or`, `(((a)))`, `type = `, `contains(event)`, `"unterminated`,
		`properties.coupon exists`, `!(a exists) or exists exists and b exists`, `(a exists) = bool(b exists)`, `!a exists`, `type`,
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "segment_cases.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases struct {
		Expressions []string `json:"expressions"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		tb.Fatal(err)
	}
	return append(seeds, cases.Expressions...)
}

// FuzzTriggerRoundTrip builds a one- or two-condition trigger from arbitrary
// text and checks that whatever BuildTrigger accepts is canonical FQL that
// ParseTrigger reads back into the same conditions.
func FuzzTriggerRoundTrip(f *testing.F) {
	f.Add(uint8(0), uint8(0), "", "track", uint8(1), "properties.a b", "x*")
	f.Add(uint8(2), uint8(4), "properties.$p", `C:\temp [x] ?*`, uint8(2), "traits.é", "12.50")
	f.Add(uint8(2), uint8(10), "context.a", "2023-04-21T19:55:00Z", uint8(1), "x", "")
	kinds := []string{KindEventType, KindEventName, KindProperty}
	f.Fuzz(func(t *testing.T, kind, op uint8, field, value string, kind2 uint8, field2, value2 string) {
		pick := func(k, o uint8, field, value string) Condition {
			kindName := kinds[int(k)%len(kinds)]
			ops := operatorsByKind[kindName]
			c := Condition{Kind: kindName, Operator: ops[int(o)%len(ops)], Value: value}
			if kindName == KindProperty {
				c.Field = field
			}
			return c
		}
		g := Group{Match: MatchAny, Conditions: []Condition{pick(kind, op, field, value), pick(kind2, op+kind2, field2, value2)}}
		text, err := BuildTrigger(g)
		if err != nil {
			return
		}
		expr, err := Parse(text)
		if err != nil {
			t.Fatalf("BuildTrigger(%+v) = %q, which does not parse: %v", g, text, err)
		}
		if expr.String() != text {
			t.Fatalf("BuildTrigger(%+v) = %q, not canonical (%q)", g, text, expr.String())
		}
		back, err := ParseTrigger(text)
		if err != nil {
			t.Fatalf("ParseTrigger(%q): %v", text, err)
		}
		if want := normaliseGroup(g); !reflect.DeepEqual(back, want) {
			t.Fatalf("round trip of %q:\n got  %+v\n want %+v", text, back, want)
		}
	})
}
