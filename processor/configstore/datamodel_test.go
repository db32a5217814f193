package configstore

import (
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations"
)

func TestDataModelObjects(t *testing.T) {
	objects, err := ObjectsFromFile([]byte(`
sources: [{ id: web, topics: [events] }]
data_models:
  - { id: accounts, key: "$.context.groupId" }
  - { id: "", key: "$.userId" }
`))
	if err == nil || !strings.Contains(err.Error(), "data_model 1") {
		t.Fatalf("a data model without an id: %v", err)
	}
	objects, err = ObjectsFromFile([]byte(`
sources: [{ id: web, topics: [events] }]
data_models:
  - { id: accounts, key: "$.context.groupId" }
  - { id: plans, key: "" }
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := objects["data_model/accounts"]; !ok {
		t.Fatalf("objects: %v", objects)
	}
	_, err = Compile(objects, destinations.Get)
	if err == nil || !strings.Contains(err.Error(), "data_model/plans.key: is required") {
		t.Fatalf("problems name the object: %v", err)
	}
	delete(objects, "data_model/plans")
	ws, err := Compile(objects, destinations.Get)
	if err != nil || len(ws.DataModels) != 1 || ws.DataModels[0].ID != "accounts" {
		t.Fatalf("compiled: %v", err)
	}
}
