package route

import (
	"slices"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/workspace"
)

const enrichConfig = `
sources: [{ id: web, topics: [events] }]
data_models:
  - { id: accounts, key: "$.context.groupId" }
  - { id: users, key: "$.userId" }
destinations:
  - id: hook
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ title: no free, if: "enrichments.accounts.tier = 'free'", actions: [{ type: drop }] }]
    mappings:
      - id: tracks
        enabled: true
        action: send
        trigger: 'type = "track" and enrichments.accounts.tier != "blocked"'
        mapping: { url: "https://hooks.example.com/t", method: POST, data: { tier: { "@path": "$.enrichments.accounts.tier" }, name: { "@path": "$.enrichments.users.name" }, all: { "@path": "$.enrichments" } } }
`

func TestEnrichment(t *testing.T) {
	ws := testws.Compile(t, enrichConfig)
	rows := datamodel.NewTables()
	for _, r := range []struct{ model, key, row string }{
		{"accounts", "acme", `{"tier":"enterprise"}`},
		{"accounts", "cheap", `{"tier":"free"}`},
		{"accounts", "bad", `{"tier":"blocked"}`},
		{"users", "42", `{"name":"Ada"}`},
	} {
		v, err := datamodel.ParseRow([]byte(r.row))
		if err != nil {
			t.Fatal(err)
		}
		rows.Set(r.model, r.key, v)
	}
	src, inst := ws.Sources[0], ws.Instance("hook")
	r := New(nil)
	r.SetRows(rows)
	for _, tc := range []struct {
		name, event string
		want        string // the outcome
		steps       []string
		keys        []string
	}{
		{"both rows", `{"type":"track","userId":42,"context":{"groupId":"acme"}}`, metrics.OutcomeRouted,
			[]string{"matched tracks", `request tracks {"url":"https://hooks.example.com/t","method":"POST","data":{"tier":"enterprise","name":"Ada","all":{"accounts":{"tier":"enterprise"},"users":{"name":"Ada"}}}}`},
			[]string{"acme", "42"}},
		{"no row, and the event's own enrichments are replaced", `{"type":"track","userId":"nobody","context":{"groupId":"other"},"enrichments":{"accounts":{"tier":"forged"}}}`, metrics.OutcomeRouted,
			[]string{"matched tracks", `request tracks {"url":"https://hooks.example.com/t","method":"POST","data":{"all":{}}}`},
			[]string{"other", "nobody"}},
		{"a filter reads a row", `{"type":"track","context":{"groupId":"cheap"}}`, metrics.OutcomeFiltered,
			[]string{"filter no free"}, []string{"cheap", ""}},
		{"a trigger reads a row", `{"type":"track","context":{"groupId":"bad"}}`, metrics.OutcomeNoMatchingMapping,
			nil, []string{"bad", ""}},
	} {
		ev := fastjson.MustParse(tc.event)
		r.Protocols(src, ev)
		rec := &recorder{}
		got := r.Instance(src, inst, inst.Mappings, ev, rec)
		if got.Kind != tc.want || !slices.Equal(rec.steps, tc.steps) {
			t.Errorf("%s: outcome %+v, steps %q\nwant %s, %q", tc.name, got, rec.steps, tc.want, tc.steps)
		}
		var keys []string
		for _, e := range r.Enrichments() {
			keys = append(keys, e.Key)
		}
		if !slices.Equal(keys, tc.keys) {
			t.Errorf("%s: keys %q, want %q", tc.name, keys, tc.keys)
		}
	}
	// Without data models the event is left as it came.
	plain, _ := workspace.Compile(&config.Workspace{Sources: []config.Source{{ID: "web", Topics: []string{"events"}}}}, destinations.Get)
	ev := fastjson.MustParse(`{"type":"track","enrichments":{"x":1}}`)
	r.Protocols(plain.Sources[0], ev)
	if string(ev.MarshalTo(nil)) != `{"type":"track","enrichments":{"x":1}}` || len(r.Enrichments()) != 0 {
		t.Fatalf("an event without data models changed: %s", ev)
	}
}

// BenchmarkEnrich is the enrichment step alone: Protocols on an event of a source with one
// data model whose row is found, beside the same source without data models.
func BenchmarkEnrich(b *testing.B) {
	ws := testws.Compile(b, enrichConfig)
	rows := datamodel.NewTables()
	row, _ := datamodel.ParseRow([]byte(`{"tier":"enterprise","seats":40,"region":"eu-west"}`))
	rows.Set("accounts", "acme", row)
	var p fastjson.Parser
	ev, _ := p.Parse(`{"type":"track","event":"x","userId":"u1","context":{"groupId":"acme"},"properties":{"a":1}}`)
	plain, one := *ws.Sources[0], *ws.Sources[0]
	plain.DataModels, one.DataModels = nil, ws.DataModels[:1]
	for _, bc := range []struct {
		name string
		src  *workspace.Source
	}{{"without", &plain}, {"one model", &one}} {
		b.Run(bc.name, func(b *testing.B) {
			r := New(nil)
			r.SetRows(rows)
			b.ReportAllocs()
			for b.Loop() {
				r.Protocols(bc.src, ev)
			}
		})
	}
}
