package filter

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/config"
)

func TestCompileNamesEachProblemAndKeepsTheConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		fc   config.Filter
		want []string // "path: reason" fragments; empty: compiles
	}{
		{"ok", config.Filter{If: "type = 'track'", Actions: []config.FilterAction{{Type: "drop"}, {Type: "sample", Percent: 0.5, Path: "userId"}}}, nil},
		{"no condition", config.Filter{Actions: []config.FilterAction{{Type: "drop"}}}, []string{"if: is required"}},
		{"bad condition", config.Filter{If: "type =", Actions: []config.FilterAction{{Type: "drop"}}}, []string{"if: fql"}},
		{"no actions", config.Filter{If: "type = 'track'"}, []string{"actions: a filter needs at least one action"}},
		{"no type", config.Filter{If: "type != null", Actions: []config.FilterAction{{}}}, []string{"actions[0].type: is required"}},
		{"unknown type", config.Filter{If: "type != null", Actions: []config.FilterAction{{Type: "explode"}}}, []string{`actions[0].type: unknown filter action "explode"`}},
		{"percent", config.Filter{If: "type != null", Actions: []config.FilterAction{{Type: "drop"}, {Type: "sample_event", Percent: 1.5}}}, []string{"actions[1].percent: 1.5 is outside 0 to 1"}},
		{"no fields", config.Filter{If: "type != null", Actions: []config.FilterAction{{Type: "allow_properties"}}}, []string{"actions[0].fields: lists no fields"}},
		{"bad part", config.Filter{If: "type != null", Actions: []config.FilterAction{{Type: "drop_properties", Fields: map[string][]string{"body": {"x"}}}}}, []string{"actions[0].fields.body: unknown part"}},
		{"several", config.Filter{Actions: []config.FilterAction{{Type: "x"}, {Type: "sample", Percent: -1}}}, []string{"if: is required", "actions[0].type", "actions[1].percent"}},
	} {
		before := tc.fc.Actions
		typesBefore := make([]string, len(before))
		for i := range before {
			typesBefore[i] = before[i].Type
		}
		f, problems := Compile(&tc.fc, 2)
		var got []string
		for _, p := range problems {
			got = append(got, p.Path+": "+p.Reason)
		}
		if len(tc.want) == 0 {
			if f == nil || problems != nil {
				t.Errorf("%s: problems %q", tc.name, got)
			}
		} else if f != nil || len(got) != len(tc.want) {
			t.Errorf("%s: filter %v, problems %q; want %q", tc.name, f, got, tc.want)
		} else {
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("%s: problem %d is %q, want it to start with %q", tc.name, i, got[i], w)
				}
			}
		}
		for i := range before {
			if tc.fc.Actions[i].Type != typesBefore[i] {
				t.Errorf("%s: Compile changed the config's action type %q to %q", tc.name, typesBefore[i], tc.fc.Actions[i].Type)
			}
		}
	}
}

func TestFilterNamesAndAliases(t *testing.T) {
	f, _ := Compile(&config.Filter{ID: "f1", If: "type != null", Actions: []config.FilterAction{{Type: "drop"}, {Type: "sample"}}}, 0)
	if f.Name != "f1" || f.Actions[0].Kind != Drop || f.Actions[1].Kind != Sample || f.Actions[0].Kind.String() != NameDrop {
		t.Errorf("filter %+v", f)
	}
	f, _ = Compile(&config.Filter{Title: "Bots", ID: "f1", If: "type != null", Actions: []config.FilterAction{{Type: "drop_event"}}}, 0)
	if f.Name != "Bots" {
		t.Errorf("name %q, want the title", f.Name)
	}
	f, _ = Compile(&config.Filter{If: "type != null", Actions: []config.FilterAction{{Type: "drop_event"}}}, 4)
	if f.Name != "filter 5" {
		t.Errorf("name %q, want the position", f.Name)
	}
}

func mustFilter(t *testing.T, fc config.Filter) *Filter {
	t.Helper()
	f, problems := Compile(&fc, 0)
	if problems != nil {
		t.Fatalf("%+v", problems)
	}
	return f
}

// steps records what the runner reports.
type steps []string

func (s *steps) FilterApplied(f *Filter, a *Action, undecidable, kept bool) {
	what := "undecidable"
	if a != nil {
		what = a.Kind.String()
	}
	if !undecidable && !kept {
		what += " dropped"
	}
	*s = append(*s, f.Name+": "+what)
}

func TestApply(t *testing.T) {
	bots := mustFilter(t, config.Filter{Title: "bots", If: "context.userAgent = 'bot'", Actions: []config.FilterAction{{Type: "drop"}}})
	odd := mustFilter(t, config.Filter{Title: "odd", If: "contains(properties.n, 'x')", Actions: []config.FilterAction{{Type: "drop"}}})
	strip := mustFilter(t, config.Filter{Title: "strip", If: "type = 'track'", Actions: []config.FilterAction{
		{Type: "drop_properties", Fields: map[string][]string{"properties": {"email"}, "context": {"ip"}}}}})
	allow := mustFilter(t, config.Filter{Title: "allow", If: "type = 'identify'", Actions: []config.FilterAction{
		{Type: "allow_properties", Fields: map[string][]string{"traits": {"plan"}}}}})
	appOnly := mustFilter(t, config.Filter{Title: "app only", SourceID: "app", If: "type != null", Actions: []config.FilterAction{{Type: "drop"}}})
	afterEdit := mustFilter(t, config.Filter{Title: "sees the edit", If: "properties.email != null", Actions: []config.FilterAction{{Type: "drop"}}})
	all := []*Filter{bots, odd, appOnly, strip, allow, afterEdit}

	for _, tc := range []struct {
		name, source, event string
		verdict             Verdict
		by                  string
		out                 string // the event routed on
		steps               []string
	}{
		{"passes untouched", "web", `{"type":"page","properties":{"a":"e"}}`, Pass, "", `{"type":"page","properties":{"a":"e"}}`, nil},
		{"a later filter sees the event as it arrived when nothing edited it", "web", `{"type":"page","properties":{"email":"e"}}`, Dropped, "sees the edit", "", []string{"sees the edit: drop_event dropped"}},
		{"dropped", "web", `{"type":"track","context":{"userAgent":"bot"}}`, Dropped, "bots", "", []string{"bots: drop_event dropped"}},
		{"undecidable fails closed", "web", `{"type":"track","properties":{"n":5}}`, Dropped, "odd", "", []string{"odd: undecidable"}},
		{"scoped to another source", "web", `{"type":"screen"}`, Pass, "", `{"type":"screen"}`, nil},
		{"scoped to this source", "app", `{"type":"screen"}`, Dropped, "app only", "", []string{"app only: drop_event dropped"}},
		{"drop properties, later filters see the edit", "web", `{"type":"track","properties":{"email":"e","a":1},"context":{"ip":"1.2.3.4","x":2}}`, Pass, "",
			`{"type":"track","properties":{"a":1},"context":{"x":2}}`, []string{"strip: drop_properties"}},
		{"allow properties", "web", `{"type":"identify","traits":{"plan":"pro","email":"e","age":3}}`, Pass, "", `{"type":"identify","traits":{"plan":"pro"}}`, []string{"allow: allow_properties"}},
		{"a part that is not an object is left alone", "web", `{"type":"identify","traits":"x"}`, Pass, "", `{"type":"identify","traits":"x"}`, []string{"allow: allow_properties"}},
	} {
		ev := fastjson.MustParse(tc.event)
		original := ev.String()
		var got steps
		out, verdict, by := NewRunner(nil).Apply(all, tc.source, ev, &got)
		name := ""
		if by != nil {
			name = by.Name
		}
		if verdict != tc.verdict || name != tc.by || !slices.Equal(got, tc.steps) {
			t.Errorf("%s: verdict %v by %q, steps %q; want %v by %q, %q", tc.name, verdict, name, got, tc.verdict, tc.by, tc.steps)
		}
		if tc.out != "" && out.String() != tc.out {
			t.Errorf("%s: routed %s, want %s", tc.name, out, tc.out)
		}
		if ev.String() != original {
			t.Errorf("%s: the event itself was changed to %s", tc.name, ev)
		}
	}
}

func TestSample(t *testing.T) {
	byUser := mustFilter(t, config.Filter{Title: "half", If: "type != null", Actions: []config.FilterAction{{Type: "sample", Percent: 0.5, Path: "userId"}}})
	r := NewRunner(rand.New(rand.NewPCG(1, 2)))
	kept := 0
	for i := range 2000 {
		ev := fastjson.MustParse(`{"type":"track","userId":"u` + strconv.Itoa(i) + `"}`)
		_, v1, _ := r.Apply([]*Filter{byUser}, "", ev, nil)
		_, v2, _ := r.Apply([]*Filter{byUser}, "", ev, nil)
		if v1 != v2 {
			t.Fatal("sampling by a field decided the same user both ways")
		}
		if v1 == Pass {
			kept++
		}
	}
	if kept < 600 || kept > 1400 {
		t.Errorf("kept %d of 2000 at 50%% by user", kept)
	}
	for _, tc := range []struct {
		percent float64
		want    Verdict
	}{{0, Dropped}, {1, Pass}} {
		f := mustFilter(t, config.Filter{If: "type != null", Actions: []config.FilterAction{{Type: "sample", Percent: tc.percent}}})
		for range 100 {
			if _, v, _ := r.Apply([]*Filter{f}, "", fastjson.MustParse(`{"type":"track"}`), nil); v != tc.want {
				t.Fatalf("percent %v: verdict %v", tc.percent, v)
			}
		}
	}
	random := mustFilter(t, config.Filter{If: "type != null", Actions: []config.FilterAction{{Type: "sample", Percent: 0.25}}})
	kept = 0
	for range 4000 {
		if _, v, _ := r.Apply([]*Filter{random}, "", fastjson.MustParse(`{"type":"track"}`), nil); v == Pass {
			kept++
		}
	}
	if kept < 800 || kept > 1200 {
		t.Errorf("kept %d of 4000 at 25%% at random", kept)
	}
}
