package tester

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/workspace"
)

func TestShowsTheRowsUsed(t *testing.T) {
	cfg, err := config.Parse([]byte(`
sources: [{ id: web, topics: [events] }]
data_models:
  - { id: accounts, key: "$.context.groupId" }
  - { id: users, key: "$.userId" }
destinations:
  - id: hook
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: t, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "https://h.example.com", method: POST, data: { tier: { "@path": "$.enrichments.accounts.tier" } } } }
`))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	rows := datamodel.NewTables()
	row, _ := datamodel.ParseRow([]byte(`{"tier":"enterprise"}`))
	rows.Set("accounts", "acme", row)
	res, err := Run(context.Background(), ws, "hook", []byte(`{"type":"track","event":"x","userId":"u1","context":{"groupId":"acme"}}`), Options{Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(res.Enrichments)
	want := `[{"model":"accounts","key_path":"$.context.groupId","key":"acme","found":true,"row":{"tier":"enterprise"}},{"model":"users","key_path":"$.userId","key":"u1","found":false}]`
	if string(got) != want {
		t.Fatalf("enrichments %s\nwant %s", got, want)
	}
	if len(res.Mappings) != 1 || string(res.Mappings[0].Payload) != `{"url":"https://h.example.com","method":"POST","data":{"tier":"enterprise"}}` {
		t.Fatalf("payload %s", res.Mappings[0].Payload)
	}
}
