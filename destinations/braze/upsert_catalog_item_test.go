package braze

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// catalogMapping is what a saved subscription looks like: the hook's output
// (the catalog picked when the mapping was saved) and the sync mode travel
// in the mapping beside the default field mappings.
func catalogMapping(mode string) destkit.JSON {
	return destkit.JSON(`{"onMappingSave":{"inputs":{"operation":"select","selected_catalog_name":"shoes"},"outputs":{"catalog_name":"shoes"}},` +
		`"__segment_internal_sync_mode":"` + mode + `","item_id":{"@path":"$.properties.sku"},` +
		`"item":{"name":{"@path":"$.properties.name"},"price":{"@path":"$.properties.price"},"in_stock":{"@path":"$.properties.in_stock"}},` +
		string(UpsertCatalogItem.DefaultMapping())[1:])
}

const productEvent = `{"type":"track","event":"Product Updated","userId":"ops-1","properties":{"sku":"SKU-42_b","name":"Trail Runner","price":129.5,"in_stock":true}}`

func TestUpsertCatalogItem(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 202, Body: `{"message":"success"}`})
	p := desttest.Render(t, Definition, "upsertCatalogItem", catalogMapping("upsert"), productEvent)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "PUT" || r.Path != "/catalogs/shoes/items/SKU-42_b" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer brz-key")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `{"items":[{"name":"Trail Runner","price":129.5,"in_stock":true}]}`)
}

func TestDeleteCatalogItem(t *testing.T) {
	p := desttest.Render(t, Definition, "upsertCatalogItem", catalogMapping("delete"), `{"type":"track","properties":{"sku":"SKU-42_b"}}`)
	srv := desttest.NewServer(t, desttest.Reply{Status: 202})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "DELETE" || r.Path != "/catalogs/shoes/items/SKU-42_b" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"items":[{}]}`)

	// An item Braze does not have is already deleted.
	srv = desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"errors":[{"id":"item-not-found","message":"Could not find item"}]}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, p); err != nil {
		t.Fatal(err)
	}
}

func TestUpsertCatalogItemErrors(t *testing.T) {
	p := desttest.Render(t, Definition, "upsertCatalogItem", catalogMapping("upsert"), productEvent)
	for name, tc := range map[string]struct {
		reply desttest.Reply
		want  destkit.Outcome
		code  string
	}{
		"400":            {desttest.Reply{Status: 400, Body: `{"errors":[{"id":"invalid-fields","message":"bad field"}]}`}, destkit.Fail, "invalid-fields"},
		"catalog absent": {desttest.Reply{Status: 404, Body: `{"errors":[{"id":"catalog-not-found"}]}`}, destkit.Fail, "catalog-not-found"},
		"429":            {desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}}, destkit.Retry, ""},
		"503":            {desttest.Reply{Status: 503}, destkit.Retry, ""},
		"401":            {desttest.Reply{Status: 401, Body: `{"message":"Invalid API key"}`}, destkit.Fail, ""},
	} {
		srv := desttest.NewServer(t, tc.reply)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, p)
		v := destkit.Classify(err)
		var api *destkit.APIError
		if v.Outcome != tc.want || errors.As(err, &api) && api.Code != tc.code {
			t.Errorf("%s: %v (%v)", name, v.Outcome, err)
		}
		if name == "429" && v.RetryAfter.Seconds() != 7 {
			t.Errorf("429: retry after %v", v.RetryAfter)
		}
		var ae *destkit.AuthError
		if name == "401" && !errors.As(err, &ae) {
			t.Errorf("401: %T", err)
		}
	}
	// Nothing is sent without a catalog, a sync mode or a valid ID.
	for _, payload := range []string{
		`{"__segment_internal_sync_mode":"upsert","item_id":"a","item":{"x":1}}`,
		`{"onMappingSave":{"outputs":{"catalog_name":"shoes"}},"item_id":"a","item":{"x":1}}`,
		`{"onMappingSave":{"outputs":{"catalog_name":"shoes"}},"__segment_internal_sync_mode":"upsert","item_id":"a b","item":{"x":1}}`,
		`{"onMappingSave":{"outputs":{"catalog_name":"shoes"}},"__segment_internal_sync_mode":"upsert","item_id":"a","item":{}}`,
	} {
		srv := desttest.NewServer(t)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, desttest.Validate(t, Definition, "upsertCatalogItem", payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v", payload, err)
		}
	}
	// Upserting requires the item.
	if _, err := UpsertCatalogItem.Validate([]byte(`{"__segment_internal_sync_mode":"upsert","item_id":"a"}`)); err == nil {
		t.Error("upsert without item validated")
	}
}

func TestUpsertCatalogItemBatch(t *testing.T) {
	m := catalogMapping("upsert")
	ev := func(sku, name string) string {
		return `{"type":"track","properties":{"sku":"` + sku + `","name":"` + name + `","price":10}}`
	}
	ps := [][]byte{
		desttest.Render(t, Definition, "upsertCatalogItem", m, ev("a-1", "A")),
		desttest.Render(t, Definition, "upsertCatalogItem", m, ev("b-2", "B")),
		desttest.Render(t, Definition, "upsertCatalogItem", m, ev("a-1", "A again")),
		desttest.Render(t, Definition, "upsertCatalogItem", m, ev("c 3", "C")),
		desttest.Render(t, Definition, "upsertCatalogItem", m, ev("d-4", "D")),
	}
	srv := desttest.NewServer(t, desttest.Reply{Status: 400, Body: `{"errors":[{"id":"invalid-fields","message":"price must be a string",` +
		`"parameters":["id","price"],"parameter_values":[{"id":"b-2","price":10}]}]}`})
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, ps)
	r := srv.Only(t)
	if r.Method != "PUT" || r.Path != "/catalogs/shoes/items/" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer brz-key")
	desttest.JSONEqual(t, r.Body, `{"items":[{"name":"A","price":10,"id":"a-1"},{"name":"B","price":10,"id":"b-2"},{"name":"D","price":10,"id":"d-4"}]}`)
	var api *destkit.APIError
	if !errors.As(errs[1], &api) || api.Code != "invalid-fields" || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Errorf("blamed item: %v", errs[1])
	}
	for _, i := range []int{0, 4} {
		if destkit.Classify(errs[i]).Outcome != destkit.Retry {
			t.Errorf("innocent item %d: %v", i, errs[i])
		}
	}
	var pv *destkit.PayloadValidationError
	if !errors.As(errs[2], &pv) || !errors.As(errs[3], &pv) {
		t.Errorf("duplicate / bad ID: %v %v", errs[2], errs[3])
	}

	// Success, and whole-request statuses.
	for status, want := range map[int]destkit.Outcome{202: destkit.Delivered, 429: destkit.Retry, 500: destkit.Retry, 401: destkit.Fail} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"x"}`})
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, ps[:2])
		for i, err := range errs {
			if got := destkit.Classify(err).Outcome; got != want {
				t.Errorf("%d: event %d %v (%v)", status, i, got, err)
			}
		}
	}

	// Batch deletion sends IDs only; missing items and a missing catalog.
	del := catalogMapping("delete")
	ds := [][]byte{
		desttest.Render(t, Definition, "upsertCatalogItem", del, ev("a-1", "A")),
		desttest.Render(t, Definition, "upsertCatalogItem", del, ev("b-2", "B")),
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"errors":[{"id":"item-not-found","parameters":["id"],"parameter_values":["a-1"]}]}`})
	errs = srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, ds)
	r = srv.Only(t)
	if r.Method != "DELETE" || r.Path != "/catalogs/shoes/items/" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.JSONEqual(t, r.Body, `{"items":[{"id":"a-1"},{"id":"b-2"}]}`)
	if errs[0] != nil || destkit.Classify(errs[1]).Outcome != destkit.Retry {
		t.Errorf("delete: %v", errs)
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"errors":[{"id":"catalog-not-found","message":"Could not find catalog"}]}`})
	for i, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), UpsertCatalogItem, ds) {
		if !errors.As(err, &api) || api.Status != 404 || destkit.Classify(err).Outcome != destkit.Fail {
			t.Errorf("catalog missing: event %d %v", i, err)
		}
	}
}
