package workspace

import (
	"errors"
	"fmt"
	"testing"
)

func TestDataModels(t *testing.T) {
	ws, err := compile(t, `
sources: [{ id: web, topics: [events] }]
data_models:
  - { id: accounts, key: "$.context.groupId" }
  - { id: plans, key: properties.plan }
destinations:
  - id: hooks
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ if: "enrichments.accounts.tier = 'free'", actions: [{ type: drop }] }]
    mappings:
      - { id: a, enabled: true, action: send, trigger: "enrichments.plans.name = 'pro'", mapping: { url: "https://x.example.com", method: POST, data: { tier: { "@path": "$.enrichments.accounts.tier" } } } }
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws.DataModels) != 2 || ws.DataModels[0].Topic != "actuate.model.accounts" ||
		fmt.Sprint(ws.DataModels[0].Path) != "[context groupId]" || fmt.Sprint(ws.DataModels[1].Path) != "[properties plan]" {
		t.Fatalf("data models: %+v %+v", ws.DataModels[0], ws.DataModels[1])
	}
	if src := ws.Sources[0]; len(src.DataModels) != 2 {
		t.Fatalf("the source has %d data models", len(src.DataModels))
	}
}

func TestDataModelProblems(t *testing.T) {
	_, err := compile(t, `
sources: [{ id: web, topics: [events] }]
data_models:
  - { id: accounts, key: "$.context.groupId" }
  - { id: accounts, key: "$.userId" }
  - { id: "a.b", key: "$.userId" }
  - { id: nokey }
  - { id: bad, key: "$.a[0]" }
  - { id: self, key: "$.enrichments.accounts.id" }
destinations:
  - id: hooks
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ if: "enrichments.users.tier = 'free' and properties.enrichments.x = 1", actions: [{ type: drop }] }]
    mappings:
      - { id: a, enabled: true, action: send, trigger: "enrichments.accounts.tier = 'x'", mapping: { url: "https://x.example.com", method: POST, data: { t: { "@path": "$.enrichments.acounts.tier" } } } }
`)
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want problems, got %v", err)
	}
	want := map[string]string{
		"data_models[1].id":                   `"accounts" is used twice`,
		"data_models[2].id":                   `"a.b" may hold only letters, digits, '_' and '-', starting with a letter or digit`,
		"data_models[3].key":                  "is required: the event path whose value looks a row up, such as $.context.groupId",
		"data_models[4].key":                  `"$.a[0]" is not a path such as $.context.groupId (object keys separated by dots)`,
		"data_models[5].key":                  `"$.enrichments.accounts.id" reads the enrichments themselves`,
		"destinations[0].filters[0].if":       `$.enrichments.users names data model "users", which is not declared (data_models: accounts, accounts, a.b, nokey, bad, self)`,
		"destinations[0].mappings[0].mapping": `$.enrichments.acounts names data model "acounts", which is not declared (data_models: accounts, accounts, a.b, nokey, bad, self)`,
	}
	got := map[string]string{}
	for _, p := range problems {
		got[p.Path] = p.Reason
	}
	for path, reason := range want {
		if got[path] != reason {
			t.Errorf("%s: got %q, want %q", path, got[path], reason)
		}
	}
	if len(problems) != len(want) {
		t.Errorf("problems:\n%v", problems)
	}
}

func TestEnrichmentRefs(t *testing.T) {
	for text, want := range map[string]string{
		`{"a":{"@path":"$.enrichments.accounts.tier"},"b":{"@path":"$.enrichments.plans"}}`: "[accounts plans]",
		`enrichments.accounts.tier = 'x' or (enrichments.accounts.y = 1)`:                   "[accounts]",
		`properties.enrichments.x = 1 and $.properties.enrichments.y`:                       "[]",
		`"$.enrichments"`: "[]",
	} {
		if got := fmt.Sprint(EnrichmentRefs(text)); got != want {
			t.Errorf("%s: %s, want %s", text, got, want)
		}
	}
}
