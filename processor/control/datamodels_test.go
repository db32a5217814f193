package control

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/workspace"
)

// memRows is DataModelRows in memory.
type memRows struct {
	*datamodel.Tables
	writes int
}

func (m *memRows) PutRows(_ context.Context, model *workspace.DataModel, rows []datamodel.Row) (int, error) {
	for _, r := range rows {
		m.writes++
		if r.Value == nil {
			m.Remove(model.ID, r.Key)
			continue
		}
		v, err := datamodel.ParseRow(r.Value)
		if err != nil {
			return 0, err
		}
		m.Set(model.ID, r.Key, v)
	}
	return len(rows), nil
}

func TestDataModelRows(t *testing.T) {
	rows := &memRows{Tables: datamodel.NewTables()}
	c, mem := newAPI(t, Options{DataModels: rows})
	if _, err := mem.Update(context.Background(), configstore.Meta{}, func(*configstore.Snapshot) ([]configstore.Change, error) {
		return []configstore.Change{{Key: "data_model/accounts", Value: []byte(`{"id":"accounts","key":"$.context.groupId"}`)}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	c.must(http.StatusNotFound, "GET", "/v1/data-models/accounts/rows/acme", "")
	c.must(http.StatusNotFound, "PUT", "/v1/data-models/nope/rows/acme", `{"tier":"pro"}`)
	c.must(http.StatusBadRequest, "PUT", "/v1/data-models/accounts/rows/acme", `["not","an","object"]`)
	put := c.must(http.StatusOK, "PUT", "/v1/data-models/accounts/rows/acme", `{ "tier": "enterprise", "seats": 40 }`)
	if got := put.json(t)["row"].(map[string]any)["tier"]; got != "enterprise" {
		t.Fatalf("put answered %s", put.body)
	}
	get := c.must(http.StatusOK, "GET", "/v1/data-models/accounts/rows/acme", "")
	if !strings.Contains(get.body, `"row": {`) || !strings.Contains(get.body, `"seats": 40`) {
		t.Fatalf("get answered %s", get.body)
	}
	c.must(http.StatusNoContent, "DELETE", "/v1/data-models/accounts/rows/acme", "")
	c.must(http.StatusNotFound, "GET", "/v1/data-models/accounts/rows/acme", "")

	// A load with a bad line writes nothing and names each bad line.
	writes := rows.writes
	bad := c.must(http.StatusBadRequest, "POST", "/v1/data-models/accounts/rows?key_column=id", "{\"id\":\"a\",\"tier\":\"pro\"}\n{\"tier\":\"x\"}\n\nnot json\n")
	lines := bad.json(t)["lines"].([]any)
	if len(lines) != 2 || lines[0].(map[string]any)["line"] != float64(2) || lines[1].(map[string]any)["line"] != float64(4) ||
		!strings.Contains(lines[0].(map[string]any)["reason"].(string), `the key column "id" is missing`) || rows.writes != writes {
		t.Fatalf("bad load answered %s (%d writes)", bad.body, rows.writes-writes)
	}
	ok := c.must(http.StatusOK, "POST", "/v1/data-models/accounts/rows?key_column=id", "{\"id\":\"a\",\"tier\":\"pro\"}\n{\"id\":2,\"tier\":\"free\"}\n")
	if ok.json(t)["written"] != float64(2) {
		t.Fatalf("load answered %s", ok.body)
	}
	if row, found := rows.Get("accounts", "2"); !found || string(row) != `{"id":2,"tier":"free"}` {
		t.Fatalf("row 2: %s", row)
	}

	// Without rows the routes say so.
	off, _ := newAPI(t, Options{})
	off.must(http.StatusNotImplemented, "GET", "/v1/data-models/accounts/rows/a", "")
}
