package fql

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

func TestBuildTrigger(t *testing.T) {
	prop := func(field, op, value string) Condition {
		return Condition{Kind: KindProperty, Field: field, Operator: op, Value: value}
	}
	tests := []struct {
		name string
		g    Group
		want string
	}{
		{"event type is", Group{Conditions: []Condition{{Kind: KindEventType, Operator: OpIs, Value: "track"}}}, `type = "track"`},
		{"event type is not", Group{Match: MatchAll, Conditions: []Condition{{Kind: KindEventType, Operator: OpIsNot, Value: "group"}}}, `type != "group"`},
		{"event name, all", Group{Match: MatchAll, Conditions: []Condition{
			{Kind: KindEventType, Operator: OpIs, Value: "track"},
			{Kind: KindEventName, Operator: OpIs, Value: "Order Completed"},
		}}, `type = "track" and event = "Order Completed"`},
		{"event name, any", Group{Match: MatchAny, Conditions: []Condition{
			{Kind: KindEventName, Operator: OpIsNot, Value: "A"},
			{Kind: KindEventName, Operator: OpContains, Value: "B"},
			{Kind: KindEventName, Operator: OpNotContains, Value: "C"},
			{Kind: KindEventName, Operator: OpStartsWith, Value: "D"},
			{Kind: KindEventName, Operator: OpNotStartsWith, Value: "E"},
			{Kind: KindEventName, Operator: OpEndsWith, Value: "F"},
			{Kind: KindEventName, Operator: OpNotEndsWith, Value: "G"},
		}}, `event != "A" or contains(event, "B") or !contains(event, "C") or match(event, "D*") or !match(event, "E*") or match(event, "*F") or !match(event, "*G")`},
		{"property operators", Group{Conditions: []Condition{
			prop("properties.plan", OpIs, "pro"),
			prop("properties.plan", OpIsNot, "free"),
			prop("properties.price", OpNumberEquals, "5"),
			prop("properties.price", OpNumberNot, "456.0"),
			prop("properties.price", OpLess, "1.50"),
			prop("properties.price", OpLessEqual, " 100 "),
			prop("properties.price", OpGreater, "-2"),
			prop("properties.price", OpGreaterEqual, "1e3"),
			prop("properties.sent", OpGreater, "2023-04-21T19:55:00.933Z"),
			prop("properties.coupon", OpExists, ""),
			prop("properties.coupon", OpNotExists, ""),
			prop("properties.vip", OpIsTrue, ""),
			prop("properties.vip", OpIsFalse, ""),
		}}, `properties.plan = "pro" and properties.plan != "free" and properties.price = 5 and properties.price != 456 and properties.price < 1.5 and properties.price <= 100 and properties.price > -2 and properties.price >= 1000 and properties.sent > "2023-04-21T19:55:00.933Z" and properties.coupon != null and properties.coupon = null and properties.vip = true and properties.vip = false`},
		{"traits, context and escapes", Group{Conditions: []Condition{
			prop("traits.first name", OpIs, "Ada"),
			prop("context.page.path", OpStartsWith, "/checkout"),
			prop("properties.$special", OpEndsWith, "x"),
			prop("userId", OpExists, ""),
			prop("name", OpIs, "Home"),
		}}, `traits.first\ name = "Ada" and match(context.page.path, "/checkout*") and match(properties.\$special, "*x") and userId != null and name = "Home"`},
		{"glob characters and backslashes in values", Group{Conditions: []Condition{
			{Kind: KindEventName, Operator: OpStartsWith, Value: "Order [beta] *?"},
			{Kind: KindEventName, Operator: OpIs, Value: `C:\temp`},
			{Kind: KindEventName, Operator: OpContains, Value: `it's`},
		}}, `match(event, "Order \\[beta\\] \\*\\?*") and event = "C:\\temp" and contains(event, "it's")`},
		{"empty value", Group{Conditions: []Condition{{Kind: KindEventName, Operator: OpIs, Value: ""}}}, `event = ""`},
	}
	for _, tt := range tests {
		got, err := BuildTrigger(tt.g)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.name, got, tt.want)
			continue
		}
		// The text is canonical FQL.
		if canonical := MustParse(got).String(); canonical != got {
			t.Errorf("%s: not canonical: %s", tt.name, canonical)
		}
		// And it reads back into the same conditions, once values are
		// normalised the way the builder writes them.
		back, err := ParseTrigger(got)
		if err != nil {
			t.Errorf("%s: ParseTrigger: %v", tt.name, err)
			continue
		}
		if want := normaliseGroup(tt.g); !reflect.DeepEqual(back, want) {
			t.Errorf("%s: round trip\n got  %+v\n want %+v", tt.name, back, want)
		}
		again, err := BuildTrigger(back)
		if err != nil || again != got {
			t.Errorf("%s: rebuilding gives %q, %v", tt.name, again, err)
		}
	}
}

// normaliseGroup is what ParseTrigger gives back for g: match spelled out,
// numbers in canonical form, type/event conditions under their own kinds.
func normaliseGroup(g Group) Group {
	out := Group{Match: g.Match}
	if out.Match == "" {
		out.Match = MatchAll
	}
	for _, c := range g.Conditions {
		switch c.Operator {
		case OpNumberEquals, OpNumberNot, OpLess, OpLessEqual, OpGreater, OpGreaterEqual:
			if n, ok := parseConditionNumber(c.Value); ok {
				c.Value = jsvalue.FormatNumber(n)
			}
		}
		if c.Kind == KindProperty {
			c, _ = classify(c)
		}
		if c.Value == "" && (c.Operator == OpEndsWith || c.Operator == OpNotEndsWith) {
			c.Operator = map[string]string{OpEndsWith: OpStartsWith, OpNotEndsWith: OpNotStartsWith}[c.Operator]
		}
		out.Conditions = append(out.Conditions, c)
	}
	return out
}

func TestBuildTriggerRejects(t *testing.T) {
	one := func(c Condition) Group { return Group{Conditions: []Condition{c}} }
	tests := []struct {
		name string
		g    Group
		opts []BuildOption
		want string
	}{
		{"double quote", one(Condition{Kind: KindEventName, Operator: OpIs, Value: `say "hi"`}),
			nil, `fql: condition 1: the value "say \"hi\"" contains "; trigger values may not contain " or ~`},
		{"tilde", one(Condition{Kind: KindProperty, Field: "properties.a", Operator: OpContains, Value: "a~b"}),
			nil, `fql: condition 1: the value "a~b" contains ~; trigger values may not contain " or ~`},
		{"both", one(Condition{Kind: KindEventType, Operator: OpIs, Value: `"~`}),
			nil, `fql: condition 1: the value "\"~" contains " and ~; trigger values may not contain " or ~`},
		{"too many conditions", Group{Conditions: []Condition{
			{Kind: KindEventType, Operator: OpIs, Value: "track"},
			{Kind: KindEventName, Operator: OpIs, Value: "A"},
			{Kind: KindEventName, Operator: OpIsNot, Value: "B"},
		}}, []BuildOption{MaxConditions(SelfServiceMaxConditions)}, `fql: too many conditions: the trigger has 3 and the plan allows 2`},
		{"no conditions", Group{}, nil, `fql: a trigger needs at least one condition`},
		{"bad match", Group{Match: "some", Conditions: []Condition{{Kind: KindEventType, Operator: OpIs, Value: "x"}}},
			nil, `fql: match must be "all" or "any", not "some"`},
		{"bad kind", one(Condition{Kind: "trait", Operator: OpIs}), nil,
			`fql: condition 1: kind must be "event_type", "event_name" or "property", not "trait"`},
		{"operator not offered for event type", one(Condition{Kind: KindEventType, Operator: OpContains, Value: "t"}), nil,
			`fql: condition 1: operator "contains" is not available for event_type conditions; use one of =, !=`},
		{"number operator for event name", one(Condition{Kind: KindEventName, Operator: OpGreater, Value: "1"}), nil,
			`fql: condition 1: operator ">" is not available for event_name conditions; use one of =, !=, contains, not_contains, starts_with, not_starts_with, ends_with, not_ends_with`},
		{"not a number", one(Condition{Kind: KindProperty, Field: "properties.a", Operator: OpNumberEquals, Value: "ten"}), nil,
			`fql: condition 1: operator number_equals needs a number, not "ten"`},
		{"not a number or timestamp", one(Condition{Kind: KindProperty, Field: "properties.a", Operator: OpLess, Value: "0x10"}), nil,
			`fql: condition 1: operator < needs a number or an RFC 3339 timestamp, not "0x10"`},
		{"value on exists", one(Condition{Kind: KindProperty, Field: "properties.a", Operator: OpExists, Value: "x"}), nil,
			`fql: condition 1: operator exists takes no value (found "x")`},
		{"no field", one(Condition{Kind: KindProperty, Operator: OpIsTrue}), nil,
			`fql: condition 1: property conditions need a field, such as properties.plan`},
		{"empty segment", one(Condition{Kind: KindProperty, Field: "properties..a", Operator: OpIsTrue}), nil,
			`fql: condition 1: field "properties..a" has an empty name between dots`},
		{"field on event type", one(Condition{Kind: KindEventType, Field: "kind", Operator: OpIs, Value: "x"}), nil,
			`fql: condition 1: event_type conditions have no field (found "kind")`},
	}
	for _, tt := range tests {
		_, err := BuildTrigger(tt.g, tt.opts...)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got  %v\n want %s", tt.name, err, tt.want)
		}
	}
	_, err := BuildTrigger(Group{Conditions: make([]Condition, 3)}, MaxConditions(2))
	if !errors.Is(err, ErrTooManyConditions) {
		t.Errorf("errors.Is(%v, ErrTooManyConditions) = false", err)
	}
	_, err = BuildTrigger(Group{Conditions: []Condition{{Kind: KindEventType, Operator: OpIs, Value: "a"}, {Kind: KindEventName, Operator: OpIs, Value: `"`}}})
	var ce *ConditionError
	if !errors.As(err, &ce) || ce.Index != 1 {
		t.Errorf("want a *ConditionError for index 1, got %v", err)
	}
	if _, err := BuildTrigger(Group{Conditions: make([]Condition, 2)}, MaxConditions(2)); errors.Is(err, ErrTooManyConditions) {
		t.Error("two conditions exceed a limit of two")
	}
}

func TestParseTrigger(t *testing.T) {
	tests := []struct {
		src  string
		want Group
	}{
		{`type = 'identify'`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindEventType, Operator: OpIs, Value: "identify"}}}},
		{`type = "track" or type = "page"`, Group{Match: MatchAny, Conditions: []Condition{
			{Kind: KindEventType, Operator: OpIs, Value: "track"}, {Kind: KindEventType, Operator: OpIs, Value: "page"}}}},
		{`(type = "track") and (event = "A")`, Group{Match: MatchAll, Conditions: []Condition{
			{Kind: KindEventType, Operator: OpIs, Value: "track"}, {Kind: KindEventName, Operator: OpIs, Value: "A"}}}},
		{`event != null`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "event", Operator: OpExists}}}},
		{`type != null`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "type", Operator: OpExists}}}},
		{`match(event, "Order \\[beta\\]*")`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindEventName, Operator: OpStartsWith, Value: "Order [beta]"}}}},
		{`match(event, "Order \[beta\]*")`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindEventName, Operator: OpStartsWith, Value: "Order [beta]"}}}},
		{`!match(traits.name, "*son")`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "traits.name", Operator: OpNotEndsWith, Value: "son"}}}},
		{`properties.ts <= "2023-04-21T19:55:00Z"`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "properties.ts", Operator: OpLessEqual, Value: "2023-04-21T19:55:00Z"}}}},
		{`received_at > "2023-04-21T19:55:00Z"`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "received_at", Operator: OpGreater, Value: "2023-04-21T19:55:00Z"}}}},
		{`traits.value != 456.0`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "traits.value", Operator: OpNumberNot, Value: "456"}}}},
		// Segment's FIELD exists, and its negation.
		{`properties.coupon exists`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "properties.coupon", Operator: OpExists}}}},
		{`!(properties.coupon exists)`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "properties.coupon", Operator: OpNotExists}}}},
		{`type = "track" and event exists`, Group{Match: MatchAll, Conditions: []Condition{
			{Kind: KindEventType, Operator: OpIs, Value: "track"}, {Kind: KindProperty, Field: "event", Operator: OpExists}}}},
		{`context.ip exists or !(traits.email exists)`, Group{Match: MatchAny, Conditions: []Condition{
			{Kind: KindProperty, Field: "context.ip", Operator: OpExists}, {Kind: KindProperty, Field: "traits.email", Operator: OpNotExists}}}},
		{`properties.product\ 1 exists`, Group{Match: MatchAll, Conditions: []Condition{{Kind: KindProperty, Field: "properties.product 1", Operator: OpExists}}}},
	}
	for _, tt := range tests {
		got, err := ParseTrigger(tt.src)
		if err != nil {
			t.Errorf("ParseTrigger(%q): %v", tt.src, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseTrigger(%q)\n got  %+v\n want %+v", tt.src, got, tt.want)
		}
	}
}

func TestParseTriggerRejects(t *testing.T) {
	tests := []struct{ src, want string }{
		{`type = `, `fql: at position 7: expected a value after "=", found end of input`},
		{`type = "track" and (event = "A" or event = "B")`, `fql: at position 20: a trigger is one group of conditions joined by only and or only or; nested groups cannot be shown as conditions`},
		{`type = "track" or event = "A" and event = "B"`, `fql: at position 18: a trigger is one group of conditions joined by only and or only or; nested groups cannot be shown as conditions`},
		{`!(type = "track")`, `fql: at position 0: !(type = "track") is not a trigger condition`},
		{`type in ["track"]`, `fql: at position 0: type in ["track"] is not a trigger condition`},
		{`length(properties.tags) > 1`, `fql: at position 0: length(properties.tags) > 1 is not a trigger condition: expected a field on the left and a value on the right`},
		{`lowercase(event) = "x"`, `fql: at position 0: lowercase(event) = "x" is not a trigger condition: expected a field on the left and a value on the right`},
		{`properties.a = properties.b`, `fql: at position 0: properties.a = properties.b is not a trigger condition: expected a field on the left and a value on the right`},
		{`properties.a > "ten"`, `fql: at position 0: properties.a > "ten" is not a trigger condition: > compares with a number or a timestamp`},
		{`properties.a != true`, `fql: at position 0: properties.a != true is not a trigger condition: use = true or = false`},
		{`match(event, "a*b")`, `fql: at position 0: match(event, "a*b") is not a trigger condition: a pattern must be "text*" (starts with) or "*text" (ends with)`},
		{`match(event, "*ab*")`, `fql: at position 0: match(event, "*ab*") is not a trigger condition: a pattern must be "text*" (starts with) or "*text" (ends with)`},
		{`typeof(event)`, `fql: at position 0: expected a condition, found typeof(event), which gives a string`},
		{`bool(properties.a)`, `fql: at position 0: bool(properties.a) is not a trigger condition: only contains() and match() are`},
		{`contains(event, 5)`, `fql: at position 0: contains(event, 5) is not a trigger condition: expected a field and a string`},
		{`event = "say \"hi\""`, `fql: at position 0: the value "say \"hi\"" contains "; trigger values may not contain " or ~`},
		{`contains(event, "~")`, `fql: at position 0: the value "~" contains ~; trigger values may not contain " or ~`},
		{`properties.a\.b = 1`, `fql: at position 0: properties.a\.b = 1 is not a trigger condition: a builder field cannot contain a dot in a name`},
		{`properties.flag`, `fql: at position 15: expected an operator after field properties.flag (=, !=, <, <=, >, >=, in or exists), found end of input`},
		{`!(properties.flag != null)`, `fql: at position 0: !(properties.flag != null) is not a trigger condition`},
		{`properties.a\.b exists`, `fql: at position 0: properties.a\.b exists is not a trigger condition: a builder field cannot contain a dot in a name`},
		{`properties.a exists and (b exists or c exists)`, `fql: at position 25: a trigger is one group of conditions joined by only and or only or; nested groups cannot be shown as conditions`},
	}
	for _, tt := range tests {
		_, err := ParseTrigger(tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseTrigger(%q):\n got  %v\n want %s", tt.src, err, tt.want)
		}
	}
}

// TestTriggerPresetsRoundTrip reads every default subscription of the
// Segment golden cases that is a flat group and checks that the builder
// writes it back identically — Segment's generator output is our canonical
// form.
func TestTriggerPresetsRoundTrip(t *testing.T) {
	g := loadSegmentGolden(t)
	n := 0
	for _, c := range g.Cases {
		if c.Error != "" || !strings.HasPrefix(c.FQL, "type = ") && !strings.HasPrefix(c.FQL, "event = ") {
			continue
		}
		expr, err := Parse(c.FQL)
		if err != nil || expr.String() != c.FQL {
			continue // not in canonical spacing, or excluded
		}
		if strings.Contains(c.FQL, " exists") {
			continue // hand-written; the generator writes != null (TestTriggerExistsRoundTrip)
		}
		group, err := ParseTrigger(c.FQL)
		if err != nil {
			continue // nested groups
		}
		text, err := BuildTrigger(group)
		if err != nil || text != c.FQL {
			t.Errorf("%s: rebuilt as %q, %v", c.FQL, text, err)
		}
		n++
	}
	if n < 40 {
		t.Errorf("only %d presets round-tripped", n)
	}
}

// TestTriggerExistsRoundTrip: a trigger written with Segment's exists reads
// into the builder's exists / not exists conditions, which the builder
// writes as Segment's generator does (!= null, = null); that text reads back
// into the same conditions and matches the same events.
func TestTriggerExistsRoundTrip(t *testing.T) {
	tests := []struct{ src, built string }{
		{`properties.coupon exists`, `properties.coupon != null`},
		{`!(properties.coupon exists)`, `properties.coupon = null`},
		{`type = "track" and properties.coupon exists`, `type = "track" and properties.coupon != null`},
		{`context.ip exists or !(traits.email exists)`, `context.ip != null or traits.email = null`},
		{`event exists and userId exists`, `event != null and userId != null`},
		{`properties.product\ 1 exists`, `properties.product\ 1 != null`},
	}
	events := []*fastjson.Value{
		fastjson.MustParse(sampleEvent),
		fastjson.MustParse(`{"type": "track", "properties": {"coupon": "X", "product 1": null}, "traits": {"email": null}}`),
		fastjson.MustParse(`{"type": "page", "event": null, "userId": "u", "context": {"ip": "1.2.3.4"}}`),
		fastjson.MustParse(`{}`),
	}
	for _, tt := range tests {
		g, err := ParseTrigger(tt.src)
		if err != nil {
			t.Errorf("ParseTrigger(%q): %v", tt.src, err)
			continue
		}
		built, err := BuildTrigger(g)
		if err != nil || built != tt.built {
			t.Errorf("BuildTrigger(ParseTrigger(%q)) = %q, %v; want %q", tt.src, built, err, tt.built)
			continue
		}
		back, err := ParseTrigger(built)
		if err != nil || !reflect.DeepEqual(back, g) {
			t.Errorf("%q: conditions %+v, rebuilt %q reads as %+v, %v", tt.src, g, built, back, err)
		}
		a, b := MustParse(tt.src), MustParse(built)
		for i, ev := range events {
			if a.Eval(ev) != b.Eval(ev) {
				t.Errorf("event %d: %q is %v, %q is %v", i, tt.src, a.Eval(ev), built, b.Eval(ev))
			}
		}
	}
}
