package protocols

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/config"
)

const orderSchema = `{
	"type": "object",
	"required": ["order_id"],
	"properties": {
		"order_id": {"type": "string"},
		"total": {"type": "number", "minimum": 0},
		"coupon": {"type": "string", "pattern": "^[A-Z]+$"},
		"products": {"type": "array", "items": {"type": "object", "properties": {"price": {"type": "number"}}}}
	}
}`

const traitsSchema = `{
	"type": "object",
	"required": ["email"],
	"properties": {
		"email": {"type": "string", "format": "email"},
		"plan": {"enum": ["free", "pro"]}
	}
}`

func testPlan(ov config.ViolationPolicy, tr ...config.Transformation) *config.TrackingPlan {
	return &config.TrackingPlan{
		ID: "test",
		Events: map[string]config.EventRules{
			"Order Completed": {"properties": config.JSONText(orderSchema)},
			"Signed Up":       {"traits": config.JSONText(traitsSchema)},
		},
		Identify:        config.EventRules{"traits": config.JSONText(traitsSchema)},
		Group:           config.EventRules{"traits": config.JSONText(`{"type":"object","properties":{"name":{"type":"string"}}}`)},
		OnViolation:     ov,
		Transformations: tr,
	}
}

type applyCase struct {
	name    string
	policy  config.ViolationPolicy
	tr      []config.Transformation
	event   string
	blocked string   // reason; empty when not blocked
	paths   []string // violation paths, in order
	omitted []string
	after   string // the event after Apply; empty means unchanged
}

func runApplyCases(t *testing.T, cases []applyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := Compile(testPlan(tc.policy, tc.tr...))
			if err != nil {
				t.Fatal(err)
			}
			var parser fastjson.Parser
			ev, err := parser.Parse(tc.event)
			if err != nil {
				t.Fatal(err)
			}
			out := plan.Apply(ev, &fastjson.Arena{})
			if out.Blocked != (tc.blocked != "") || out.Reason != tc.blocked {
				t.Errorf("blocked=%v reason=%q, want reason %q", out.Blocked, out.Reason, tc.blocked)
			}
			var paths []string
			for _, v := range out.Violations {
				paths = append(paths, v.Path)
				if v.Message == "" {
					t.Errorf("violation at %s has no message", v.Path)
				}
			}
			if !reflect.DeepEqual(paths, tc.paths) {
				t.Errorf("violation paths %q, want %q (%+v)", paths, tc.paths, out.Violations)
			}
			if !reflect.DeepEqual(out.Omitted, tc.omitted) {
				t.Errorf("omitted %q, want %q", out.Omitted, tc.omitted)
			}
			want := tc.after
			if want == "" {
				want = compact(t, tc.event)
			}
			if got := string(ev.MarshalTo(nil)); got != want {
				t.Errorf("event after Apply\n got %s\nwant %s", got, want)
			}
		})
	}
}

func compact(t *testing.T, s string) string {
	t.Helper()
	v, err := fastjson.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(v.MarshalTo(nil))
}

const badOrder = `{"type":"track","event":"Order Completed","properties":{"order_id":7,"total":-1,"coupon":"ok","note":"x"}}`

func TestInvalidProperties(t *testing.T) {
	runApplyCases(t, []applyCase{
		{
			name:  "valid event passes untouched",
			event: `{"type":"track","event":"Order Completed","properties":{"order_id":"A1","total":12.5,"coupon":"SAVE"}}`,
		},
		{
			name:  "allow reports and keeps",
			event: badOrder,
			paths: []string{"properties.coupon", "properties.order_id", "properties.total"},
		},
		{
			name:    "block",
			policy:  config.ViolationPolicy{InvalidProperties: "block"},
			event:   badOrder,
			blocked: ReasonInvalidProperties,
			paths:   []string{"properties.coupon", "properties.order_id", "properties.total"},
		},
		{
			name:    "omit removes the offending keys",
			policy:  config.ViolationPolicy{InvalidProperties: "omit"},
			event:   badOrder,
			paths:   []string{"properties.coupon", "properties.order_id", "properties.total"},
			omitted: []string{"properties.order_id", "properties.total", "properties.coupon"},
			after:   `{"type":"track","event":"Order Completed","properties":{"note":"x"}}`,
		},
		{
			name:    "omit removes the top-level key a nested failure points into",
			policy:  config.ViolationPolicy{InvalidProperties: "omit"},
			event:   `{"type":"track","event":"Order Completed","properties":{"order_id":"A","products":[{"price":1},{"price":"2"}]}}`,
			paths:   []string{"properties.products.1.price"},
			omitted: []string{"properties.products"},
			after:   `{"type":"track","event":"Order Completed","properties":{"order_id":"A"}}`,
		},
		{
			name:   "omit cannot remove a missing required property: passes with the violation",
			policy: config.ViolationPolicy{InvalidProperties: "omit"},
			event:  `{"type":"track","event":"Order Completed","properties":{"total":3}}`,
			paths:  []string{"properties.order_id"},
		},
		{
			name:   "missing properties validate as an empty object",
			policy: config.ViolationPolicy{InvalidProperties: "omit"},
			event:  `{"type":"track","event":"Order Completed"}`,
			paths:  []string{"properties.order_id"},
		},
		{
			name:    "null properties are missing properties",
			policy:  config.ViolationPolicy{InvalidProperties: "block"},
			event:   `{"type":"track","event":"Order Completed","properties":null}`,
			blocked: ReasonInvalidProperties,
			paths:   []string{"properties.order_id"},
		},
		{
			name:    "properties that are not an object fail at the part itself",
			policy:  config.ViolationPolicy{InvalidProperties: "omit"},
			event:   `{"type":"track","event":"Order Completed","properties":[1]}`,
			paths:   []string{"properties"},
			omitted: nil,
		},
		{
			name:  "pattern messages do not quote the value",
			event: `{"type":"track","event":"Order Completed","properties":{"order_id":"A","coupon":"secret-token"}}`,
			paths: []string{"properties.coupon"},
		},
	})
}

func TestViolationMessagesDoNotQuoteValues(t *testing.T) {
	plan, err := Compile(testPlan(config.ViolationPolicy{}))
	if err != nil {
		t.Fatal(err)
	}
	ev := fastjson.MustParse(`{"type":"identify","traits":{"email":"hunter2-not-an-email","plan":"gold"}}`)
	out := plan.Apply(ev, nil)
	if len(out.Violations) != 2 {
		t.Fatalf("violations %+v", out.Violations)
	}
	for _, v := range out.Violations {
		if strings.Contains(v.Message, "hunter2") || strings.Contains(v.Message, "gold") {
			t.Errorf("message quotes the event: %q", v.Message)
		}
	}
	if got := out.Violations[1].Message; !strings.Contains(got, "free") {
		t.Errorf("enum message should say what is allowed: %q", got)
	}
}

func TestUnplannedEvents(t *testing.T) {
	runApplyCases(t, []applyCase{
		{
			name:  "allowed by default, reported",
			event: `{"type":"track","event":"Mystery","properties":{"a":1}}`,
			paths: []string{"event"},
		},
		{
			name:    "blocked",
			policy:  config.ViolationPolicy{UnplannedEvents: "block"},
			event:   `{"type":"track","event":"Mystery"}`,
			blocked: ReasonUnplannedEvent,
			paths:   []string{"event"},
		},
		{
			name:    "a track event without a name is unplanned",
			policy:  config.ViolationPolicy{UnplannedEvents: "block"},
			event:   `{"type":"track"}`,
			blocked: ReasonUnplannedEvent,
			paths:   []string{"event"},
		},
		{
			name:    "names match exactly",
			policy:  config.ViolationPolicy{UnplannedEvents: "block"},
			event:   `{"type":"track","event":"order completed"}`,
			blocked: ReasonUnplannedEvent,
			paths:   []string{"event"},
		},
		{
			name:   "page, screen and alias pass",
			policy: config.ViolationPolicy{UnplannedEvents: "block", InvalidProperties: "block", UnplannedProperties: "omit"},
			event:  `{"type":"page","name":"Home","properties":{"x":1}}`,
		},
		{
			name:   "alias passes",
			policy: config.ViolationPolicy{UnplannedEvents: "block"},
			event:  `{"type":"alias","userId":"u","previousId":"p"}`,
		},
	})
}

func TestUnplannedProperties(t *testing.T) {
	runApplyCases(t, []applyCase{
		{
			name:   "allow keeps them",
			policy: config.ViolationPolicy{UnplannedProperties: "allow"},
			event:  `{"type":"track","event":"Order Completed","properties":{"order_id":"A","note":"x"}}`,
		},
		{
			name:    "omit removes keys the schema does not list",
			policy:  config.ViolationPolicy{UnplannedProperties: "omit"},
			event:   `{"type":"track","event":"Order Completed","properties":{"note":"x","order_id":"A","extra":{"y":1}}}`,
			omitted: []string{"properties.note", "properties.extra"},
			after:   `{"type":"track","event":"Order Completed","properties":{"order_id":"A"}}`,
		},
		{
			name:    "with invalid omit, each key is omitted once",
			policy:  config.ViolationPolicy{UnplannedProperties: "omit", InvalidProperties: "omit"},
			event:   `{"type":"track","event":"Order Completed","properties":{"order_id":"A","total":"x","note":1}}`,
			paths:   []string{"properties.total"},
			omitted: []string{"properties.total", "properties.note"},
			after:   `{"type":"track","event":"Order Completed","properties":{"order_id":"A"}}`,
		},
		{
			name:    "unplanned events are not touched",
			policy:  config.ViolationPolicy{UnplannedProperties: "omit"},
			event:   `{"type":"track","event":"Other","properties":{"note":"x"}}`,
			paths:   []string{"event"},
			omitted: nil,
		},
		{
			name:    "a blocked event keeps its keys",
			policy:  config.ViolationPolicy{UnplannedProperties: "omit", InvalidProperties: "block"},
			event:   `{"type":"track","event":"Order Completed","properties":{"total":"x","note":1}}`,
			blocked: ReasonInvalidProperties,
			paths:   []string{"properties.order_id", "properties.total"},
		},
	})
}

func TestTraits(t *testing.T) {
	runApplyCases(t, []applyCase{
		{
			name:  "valid identify",
			event: `{"type":"identify","userId":"u","traits":{"email":"a@b.co","plan":"pro"}}`,
		},
		{
			name:  "allow reports",
			event: `{"type":"identify","traits":{"email":"nope","plan":"gold"}}`,
			paths: []string{"traits.email", "traits.plan"},
		},
		{
			name:    "block",
			policy:  config.ViolationPolicy{InvalidTraits: "block", InvalidProperties: "omit"},
			event:   `{"type":"identify","traits":{"email":"nope"}}`,
			blocked: ReasonInvalidTraits,
			paths:   []string{"traits.email"},
		},
		{
			name:    "omit",
			policy:  config.ViolationPolicy{InvalidTraits: "omit"},
			event:   `{"type":"identify","traits":{"email":"a@b.co","plan":"gold","age":3}}`,
			paths:   []string{"traits.plan"},
			omitted: []string{"traits.plan"},
			after:   `{"type":"identify","traits":{"email":"a@b.co","age":3}}`,
		},
		{
			name:    "unplanned traits omitted",
			policy:  config.ViolationPolicy{UnplannedTraits: "omit"},
			event:   `{"type":"identify","traits":{"email":"a@b.co","age":3}}`,
			omitted: []string{"traits.age"},
			after:   `{"type":"identify","traits":{"email":"a@b.co"}}`,
		},
		{
			name:    "traits in context.traits when there are none at the top",
			policy:  config.ViolationPolicy{InvalidTraits: "omit"},
			event:   `{"type":"identify","context":{"traits":{"email":"x","plan":"pro"}}}`,
			paths:   []string{"context.traits.email"},
			omitted: []string{"context.traits.email"},
			after:   `{"type":"identify","context":{"traits":{"plan":"pro"}}}`,
		},
		{
			name:    "missing traits fail required",
			policy:  config.ViolationPolicy{InvalidTraits: "block"},
			event:   `{"type":"identify","userId":"u"}`,
			blocked: ReasonInvalidTraits,
			paths:   []string{"traits.email"},
		},
		{
			name:    "a track event's traits rule reads context.traits under the traits policy",
			policy:  config.ViolationPolicy{InvalidTraits: "block"},
			event:   `{"type":"track","event":"Signed Up","context":{"traits":{"email":"a@b.co","plan":"x"}}}`,
			blocked: ReasonInvalidTraits,
			paths:   []string{"context.traits.plan"},
		},
		{
			name:    "group",
			policy:  config.ViolationPolicy{InvalidTraits: "block"},
			event:   `{"type":"group","groupId":"g","traits":{"name":5}}`,
			blocked: ReasonInvalidTraits,
			paths:   []string{"traits.name"},
		},
		{
			name:   "properties policies do not apply to traits",
			policy: config.ViolationPolicy{InvalidProperties: "block"},
			event:  `{"type":"group","groupId":"g","traits":{"name":5}}`,
			paths:  []string{"traits.name"},
		},
	})
}

func TestTransformations(t *testing.T) {
	runApplyCases(t, []applyCase{
		{
			name:  "rename event when the condition holds",
			tr:    []config.Transformation{{If: `event = "Order Completed"`, RenameEvent: "Order Done"}},
			event: `{"type":"track","event":"Order Completed","properties":{"order_id":"A"}}`,
			after: `{"type":"track","event":"Order Done","properties":{"order_id":"A"}}`,
		},
		{
			name:  "no change when the condition fails",
			tr:    []config.Transformation{{If: `event = "Other"`, RenameEvent: "X"}},
			event: `{"type":"track","event":"Order Completed","properties":{"order_id":"A"}}`,
		},
		{
			name: "rename properties keeps values and overwrites targets",
			tr: []config.Transformation{{If: `type = "track"`, RenameProperties: map[string]string{
				"order_id": "orderId", "total": "revenue", "absent": "never",
			}}},
			event: `{"type":"track","event":"Order Completed","properties":{"order_id":"A","revenue":1,"total":9}}`,
			after: `{"type":"track","event":"Order Completed","properties":{"revenue":9,"orderId":"A"}}`,
		},
		{
			name:  "renames in one transformation happen at once",
			tr:    []config.Transformation{{If: `type = "track"`, RenameProperties: map[string]string{"a": "b", "b": "a"}}},
			event: `{"type":"track","event":"Other","properties":{"a":1,"b":2}}`,
			paths: []string{"event"},
			after: `{"type":"track","event":"Other","properties":{"b":1,"a":2}}`,
		},
		{
			name: "transformations run in order, each seeing the last",
			tr: []config.Transformation{
				{If: `event = "Order Completed"`, RenameEvent: "Step 1"},
				{If: `event = "Step 1" and properties.total > 5`, RenameEvent: "Step 2", RenameProperties: map[string]string{"total": "amount"}},
			},
			event: `{"type":"track","event":"Order Completed","properties":{"order_id":"A","total":9}}`,
			after: `{"type":"track","event":"Step 2","properties":{"order_id":"A","amount":9}}`,
		},
		{
			name:    "run after validation",
			policy:  config.ViolationPolicy{UnplannedProperties: "omit"},
			tr:      []config.Transformation{{If: `event = "Order Completed"`, RenameProperties: map[string]string{"order_id": "note"}}},
			event:   `{"type":"track","event":"Order Completed","properties":{"order_id":"A","note":"gone"}}`,
			omitted: []string{"properties.note"},
			after:   `{"type":"track","event":"Order Completed","properties":{"note":"A"}}`,
		},
		{
			name:    "blocked events are not transformed",
			policy:  config.ViolationPolicy{UnplannedEvents: "block"},
			tr:      []config.Transformation{{If: `type = "track"`, RenameEvent: "X"}},
			event:   `{"type":"track","event":"Nope"}`,
			blocked: ReasonUnplannedEvent,
			paths:   []string{"event"},
		},
		{
			name:  "conditions on other types",
			tr:    []config.Transformation{{If: `type = "page" and contains(properties.url, "/promo")`, RenameProperties: map[string]string{"url": "landing_url"}}},
			event: `{"type":"page","properties":{"url":"https://x/promo"}}`,
			after: `{"type":"page","properties":{"landing_url":"https://x/promo"}}`,
		},
		{
			name:  "properties that are not an object are left alone",
			tr:    []config.Transformation{{If: `type = "page"`, RenameProperties: map[string]string{"a": "b"}}},
			event: `{"type":"page","properties":"a"}`,
		},
	})
}

func TestRenameWithoutArena(t *testing.T) {
	plan, err := Compile(testPlan(config.ViolationPolicy{}, config.Transformation{If: `type = "track"`, RenameEvent: "Z"}))
	if err != nil {
		t.Fatal(err)
	}
	ev := fastjson.MustParse(`{"type":"track","event":"Order Completed","properties":{"order_id":"A"}}`)
	plan.Apply(ev, nil)
	if got := string(ev.GetStringBytes("event")); got != "Z" {
		t.Fatalf("event = %q", got)
	}
}

func TestNumbers(t *testing.T) {
	plan, err := Compile(&config.TrackingPlan{
		ID: "n",
		Events: map[string]config.EventRules{"N": {"properties": config.JSONText(`{
			"properties": {
				"big": {"type": "integer", "maximum": 9007199254740993},
				"id": {"enum": [12345678901234567890]},
				"f": {"type": "number", "minimum": 0}
			}}`)}},
		OnViolation: config.ViolationPolicy{InvalidProperties: "block"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		props string
		ok    bool
	}{
		{`{"big": 9007199254740993}`, true},
		{`{"big": 9007199254740994}`, false}, // equal to ...993 as a float64
		{`{"big": 1.0}`, true},
		{`{"big": 1.5}`, false},
		{`{"id": 12345678901234567890}`, true},
		{`{"id": 12345678901234567891}`, false},
		{`{"f": 1e308}`, true},
		{`{"f": -1e-400}`, false}, // exact: -1e-400 is below 0, though it rounds to -0
		{`{"f": 1e999999999}`, false},
		{`{"f": NaN}`, false},
		{`{"f": -Inf}`, false},
		{`{"f": 1.}`, true},
		{`{"f": --1}`, false},
		{`{"f": 00012}`, true},
	} {
		var p fastjson.Parser
		ev, err := p.Parse(`{"type":"track","event":"N","properties":` + tc.props + `}`)
		if err != nil {
			t.Logf("%s: fastjson rejects it: %v", tc.props, err)
			continue
		}
		out := plan.Apply(ev, nil)
		if out.Blocked == tc.ok {
			t.Errorf("%s: blocked=%v %+v", tc.props, out.Blocked, out.Violations)
		}
		if out.Reason == ReasonInternal {
			t.Errorf("%s: internal error %+v", tc.props, out.Violations)
		}
	}
}

func TestDraft07AndRefs(t *testing.T) {
	plan, err := Compile(&config.TrackingPlan{
		ID: "d7",
		Events: map[string]config.EventRules{"E": {"properties": config.JSONText(`{
			"$schema": "http://json-schema.org/draft-07/schema#",
			"definitions": {"sku": {"type": "string", "minLength": 3}},
			"properties": {"sku": {"$ref": "#/definitions/sku"}},
			"additionalProperties": false
		}`)}},
		OnViolation: config.ViolationPolicy{InvalidProperties: "omit"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ev := fastjson.MustParse(`{"type":"track","event":"E","properties":{"sku":"ab","x":1,"y":2}}`)
	out := plan.Apply(ev, nil)
	var paths []string
	for _, v := range out.Violations {
		paths = append(paths, v.Path)
	}
	slices.Sort(paths)
	if want := []string{"properties.sku", "properties.x", "properties.y"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %q, want %q", paths, want)
	}
	if got := string(ev.MarshalTo(nil)); got != `{"type":"track","event":"E","properties":{}}` {
		t.Errorf("event %s; omitted %q", got, out.Omitted)
	}
}

func TestManyViolationsAreCapped(t *testing.T) {
	plan, err := Compile(testPlan(config.ViolationPolicy{InvalidProperties: "omit"}))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`{"type":"track","event":"Order Completed","properties":{"order_id":"A","products":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"price":"x"}`)
	}
	b.WriteString(`]}}`)
	out := plan.Apply(fastjson.MustParse(b.String()), nil)
	if len(out.Violations) != MaxViolations+1 {
		t.Fatalf("%d violations", len(out.Violations))
	}
	if last := out.Violations[MaxViolations].Message; last != "80 more violations not listed" {
		t.Errorf("summary %q", last)
	}
	if !reflect.DeepEqual(out.Omitted, []string{"properties.products"}) {
		t.Errorf("omitted %q", out.Omitted)
	}
}

func TestNilAndEmptyPlans(t *testing.T) {
	var nilPlan *Plan
	ev := fastjson.MustParse(`{"type":"track","event":"X"}`)
	if out := nilPlan.Apply(ev, nil); !reflect.DeepEqual(out, Outcome{}) {
		t.Errorf("nil plan: %+v", out)
	}
	p, err := Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	if out := p.Apply(ev, nil); !reflect.DeepEqual(out, Outcome{}) {
		t.Errorf("empty plan: %+v", out)
	}
	// A plan that only transforms reports nothing about unplanned events.
	p, err = Compile(&config.TrackingPlan{Transformations: []config.Transformation{{If: `event = "X"`, RenameEvent: "Y"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out := p.Apply(ev, nil); !reflect.DeepEqual(out, Outcome{}) {
		t.Errorf("transform-only plan: %+v", out)
	}
	if p.Apply(fastjson.MustParse(`[1]`), nil).Blocked {
		t.Error("a non-object blocked")
	}
}

func TestCompileErrors(t *testing.T) {
	_, err := Compile(&config.TrackingPlan{
		ID: "bad",
		Events: map[string]config.EventRules{
			"Order Completed": {
				"properties": config.JSONText(`{"type": "objekt"}`),
				"propertes":  config.JSONText(`{}`),
				"context":    config.JSONText(`{"type": `),
			},
			"Remote": {"properties": config.JSONText(`{"$ref": "https://example.com/s.json"}`)},
			"Local":  {"properties": config.JSONText(`{"$ref": "other.json"}`)},
			"Regex":  {"properties": config.JSONText(`{"properties": {"a": {"pattern": "(?=x)"}}}`)},
			"Pat":    {"properties": config.JSONText(`{"patternProperties": {"^a": {}}}`)},
		},
		Identify: config.EventRules{"properties": config.JSONText(`{}`)},
		Group:    config.EventRules{"traits": config.JSONText(`{"$schema": "https://example.com/my-meta"}`)},
		OnViolation: config.ViolationPolicy{
			UnplannedEvents:     "omit",
			InvalidProperties:   "Block",
			UnplannedProperties: "block",
		},
		Transformations: []config.Transformation{
			{If: `event = "A"`, RenameEvent: "B"},
			{If: `event = `, RenameEvent: "B"},
			{RenameEvent: "C"},
			{If: `event = "A"`},
			{If: `event = "A"`, RenameProperties: map[string]string{"a": "x", "b": "x", "": "y", "c": ""}},
		},
	})
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a *CompileError", err)
	}
	want := []struct{ path, reason string }{
		{"on_violation.unplanned_events", `unknown policy "omit" (want "allow" or "block")`},
		{"on_violation.invalid_properties", `unknown policy "Block"`},
		{"on_violation.unplanned_properties", `unknown policy "block" (want "allow" or "omit")`},
		{`events["Local"].properties`, `failing loading "other.json": only references inside the schema itself are allowed`},
		{`events["Order Completed"].context`, "invalid JSON Schema: not JSON"},
		{`events["Order Completed"].propertes`, `unknown part "propertes" (want properties, traits, context)`},
		{`events["Order Completed"].properties`, `invalid JSON Schema: at "/type": value must be one of`},
		{`events["Regex"].properties`, "is not valid regex"},
		{`events["Remote"].properties`, "only references inside the schema itself are allowed"},
		{"identify.properties", `unknown part "properties" (want traits, context)`},
		{"group.traits", `failing loading "https://example.com/my-meta"`},
		{"transformations[1].if", "fql: at position"},
		{"transformations[2].if", "a condition is required"},
		{"transformations[3]", "does nothing"},
		{`transformations[4].rename_properties[""]`, "empty property name"},
		{"transformations[4].rename_properties", `"a" and "b" are both renamed to "x"`},
		{`transformations[4].rename_properties["c"]`, "empty new name"},
	}
	got := ce.Problems
	if len(got) != len(want) {
		for _, p := range got {
			t.Log(p)
		}
		t.Fatalf("%d problems, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Path != w.path || !strings.Contains(got[i].Reason, w.reason) {
			t.Errorf("problem %d: %s\n want %s: …%s…", i, got[i], w.path, w.reason)
		}
	}
	if strings.Contains(err.Error(), "mem://") {
		t.Errorf("error leaks the internal schema URL: %v", err)
	}
	if !strings.HasPrefix(err.Error(), `tracking plan "bad": `) {
		t.Errorf("error %q", err)
	}
}

func TestCompileErrorNamesSchemaLocation(t *testing.T) {
	_, err := Compile(&config.TrackingPlan{ID: "p", Events: map[string]config.EventRules{
		"Order Completed": {"properties": config.JSONText(`{"properties": {"total": {"minimum": "zero"}}}`)},
	}})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{`events["Order Completed"].properties: invalid JSON Schema: `, `/properties/total/minimum`} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
}

func TestConcurrentApply(t *testing.T) {
	plan, err := Compile(testPlan(config.ViolationPolicy{InvalidProperties: "omit", UnplannedProperties: "omit"},
		config.Transformation{If: `type = "track"`, RenameProperties: map[string]string{"order_id": "id"}}))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	for range 4 {
		go func() {
			var parser fastjson.Parser
			var arena fastjson.Arena
			for range 200 {
				ev, _ := parser.Parse(badOrder)
				arena.Reset()
				plan.Apply(ev, &arena)
				if got := string(ev.MarshalTo(nil)); got != `{"type":"track","event":"Order Completed","properties":{}}` {
					done <- got
					return
				}
			}
			done <- ""
		}()
	}
	for range 4 {
		if got := <-done; got != "" {
			t.Errorf("event after Apply: %s", got)
		}
	}
}
