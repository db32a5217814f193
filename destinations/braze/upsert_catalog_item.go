package braze

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// catalogHook is the mapping-save step that picks (or creates) the catalog.
// Its output, the catalog name, is read from the mapping on every event:
// a mapping carries {"onMappingSave":{"outputs":{"catalog_name":"…"}}}
// exactly as Segment stores it, so one destination instance can feed
// several catalogs, one per subscription.
var catalogHook = destkit.Hook{
	Key:         "onMappingSave",
	Label:       "Select or Create a Catalog",
	Description: "Choose the Braze catalog this mapping writes to, or create one.",
	Inputs: []destkit.Field{
		{Key: "operation", Label: "Operation", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "create", Label: "Create a new catalog"}, {Value: "select", Label: "Select an existing catalog"}},
			Description: "Use an existing catalog or create a new one."},
		{Key: "selected_catalog_name", Label: "Catalog Name", Type: destkit.String,
			RequiredIf:  &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "operation", Operator: "is", Value: "select"}}},
			Description: "Name of the existing catalog.", Dynamic: catalogNames},
		{Key: "created_catalog_name", Label: "Catalog Name", Type: destkit.String,
			RequiredIf:  &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "operation", Operator: "is", Value: "create"}}},
			Description: "Name of the catalog to create: unique, at most 250 letters, digits, hyphens or underscores."},
		{Key: "description", Label: "Catalog Description", Type: destkit.String,
			Description: "Description of the catalog to create, at most 250 characters."},
		{Key: "columns", Label: "Catalog Fields", Type: destkit.Object, Multiple: true, AdditionalProperties: true,
			RequiredIf:  &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "operation", Operator: "is", Value: "create"}}},
			Description: "Fields of the catalog to create (at most 500); Braze adds the string id field itself.",
			Properties: []destkit.Field{
				{Key: "name", Label: "Field Name", Type: destkit.String, Required: true, Description: "Field name: at most 250 letters, digits, hyphens or underscores."},
				{Key: "type", Label: "Field Type", Type: destkit.String, Required: true,
					Choices:     destkit.ChoiceValues("string", "number", "time", "boolean", "object", "array"),
					Description: "Data type of the field."},
			}},
	},
	Outputs: []destkit.Field{
		{Key: "catalog_name", Label: "Catalog Name", Type: destkit.String, Required: true, Description: "Name of the catalog items are written to."},
	},
	Run: selectOrCreateCatalog,
}

// selectOrCreateCatalog keeps the chosen catalog, or creates one whose first
// field is the string id Braze requires (a column named id is left out, so
// it is never declared twice or with another type).
func selectOrCreateCatalog(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
	if string(in.Inputs.GetStringBytes("operation")) == "select" {
		return map[string]any{"catalog_name": string(in.Inputs.GetStringBytes("selected_catalog_name"))}, nil
	}
	name := string(in.Inputs.GetStringBytes("created_catalog_name"))
	var w destkit.JSONWriter
	w.ObjectStart()
	w.Key("catalogs")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("name")
	w.String(name)
	w.Key("description")
	w.String(string(in.Inputs.GetStringBytes("description")))
	w.Key("fields")
	w.ArrayStart()
	w.Raw([]byte(`{"name":"id","type":"string"}`))
	for _, c := range in.Inputs.GetArray("columns") {
		if string(c.GetStringBytes("name")) == "id" {
			continue
		}
		w.ObjectStart()
		w.Key("name")
		w.String(string(c.GetStringBytes("name")))
		w.Key("type")
		w.String(string(c.GetStringBytes("type")))
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest(http.MethodPost, endpoint(in.Settings, "/catalogs"), w.Bytes())
	if _, err := d.Do(ctx, &r); err != nil {
		return nil, err
	}
	return map[string]any{"catalog_name": name}, nil
}

// catalogNames lists the workspace's catalogs, the choices of
// selected_catalog_name.
func catalogNames(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := destkit.GetJSON(ctx, d, endpoint(in.Settings, "/catalogs"), "Braze's catalog list")
	if err != nil {
		return nil, err
	}
	var choices []destkit.Choice
	for _, c := range v.GetArray("catalogs") {
		name := string(c.GetStringBytes("name"))
		choices = append(choices, destkit.Choice{Value: name, Label: name})
	}
	return choices, nil
}

// UpsertCatalogItem writes or deletes items of a Braze catalog.
var UpsertCatalogItem = &destkit.Action{
	Key:         "upsertCatalogItem",
	Title:       "Upsert Catalog Item",
	Description: "Create, replace or delete items of a Braze catalog; the sync mode chooses between upsert and delete.",
	Fields: []destkit.Field{
		{Key: "item", Label: "Catalog item to upsert", Type: destkit.Object,
			RequiredIf:  &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: destkit.SyncModeKey, Operator: "is", Value: "upsert"}}},
			Description: "Fields of the item, named as in the catalog; leave the id out, it comes from Item ID. Required when upserting."},
		{Key: "item_id", Label: "Item ID", Type: destkit.String, Required: true, Min: 1, Max: 250,
			Description: "Unique identifier of the item: at most 250 letters, digits, hyphens or underscores."},
		{Key: "enable_batching", Label: "Batch Data to Braze?", Type: destkit.Boolean, Default: `true`,
			Description: "Send items in batches instead of one request per item."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `50`, Min: 1, Max: 50,
			Description: "Items per batch when batching; Braze accepts at most 50."},
	},
	Hooks: []destkit.Hook{catalogHook},
	// Braze's catalog item endpoints take at most 50 items per request.
	Batch:        &destkit.Batch{MaxSize: 50},
	Run:          upsertCatalogItem,
	PerformBatch: upsertCatalogItems,
	BatchStatus:  catalogItemsStatus,
}

var errItemIDFormat = destkit.ValidationErrorf("item_id", "Item ID may only contain letters, digits, hyphens and underscores.")

// catalogTarget reads what every item request needs: the catalog chosen
// when the mapping was saved, and whether to upsert or delete.
func catalogTarget(p *fastjson.Value) (catalog, method string, err error) {
	catalog = string(destkit.HookOutput(p, catalogHook.Key, "catalog_name").GetStringBytes())
	if catalog == "" {
		return "", "", destkit.ValidationErrorf(catalogHook.Key,
			"No catalog is selected: the mapping needs onMappingSave.outputs.catalog_name.")
	}
	switch m := string(p.GetStringBytes(destkit.SyncModeKey)); m {
	case "upsert":
		method = http.MethodPut
	case "delete":
		method = http.MethodDelete
	case "":
		return "", "", destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode is required for this action; use upsert or delete.")
	default:
		return "", "", destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use upsert or delete.", m)
	}
	if !validItemID(p.GetStringBytes("item_id")) {
		return "", "", errItemIDFormat
	}
	if method == http.MethodPut {
		if o := p.GetObject("item"); o == nil || o.Len() == 0 {
			return "", "", destkit.ValidationErrorf("item", "The item to upsert has no fields.")
		}
	}
	return catalog, method, nil
}

func validItemID(id []byte) bool {
	if len(id) == 0 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func catalogItemsURL(s *destkit.Settings, catalog string) string {
	return endpoint(s, "/catalogs/"+url.PathEscape(catalog)+"/items/")
}

// upsertCatalogItem addresses the item by ID in the URL. Deleting an item
// Braze does not have is the desired end state, so it counts as delivered.
func upsertCatalogItem(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	catalog, method, err := catalogTarget(p)
	if err != nil {
		return err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("items")
	w.ArrayStart()
	if item := p.Get("item"); item != nil {
		w.Value(item)
	} else {
		w.ObjectStart()
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest(method, catalogItemsURL(in.Settings, catalog)+string(p.GetStringBytes("item_id")), w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err == nil {
		return nil
	}
	var api *destkit.APIError
	if resp != nil && errors.As(err, &api) {
		id := fastjson.GetString(resp.Body, "errors", "0", "id")
		if id == "item-not-found" && method == http.MethodDelete {
			return nil
		}
		api.Code = id
	}
	return err
}

// upsertCatalogItems sends one request per catalog and sync mode; a
// subscription's batch normally shares both, since they come from its
// mapping. Braze rejects a request that names an item twice, so repeats
// are rejected here and the first occurrence goes out.
func upsertCatalogItems(in *destkit.BatchInput) ([]destkit.Request, error) {
	type group struct {
		catalog, method string
		events          []int
		seen            map[string]bool
	}
	var groups []*group
	for j, p := range in.Payloads {
		catalog, method, err := catalogTarget(p)
		if err != nil {
			in.Reject(j, err)
			continue
		}
		var g *group
		for _, c := range groups {
			if c.catalog == catalog && c.method == method {
				g = c
				break
			}
		}
		if g == nil {
			g = &group{catalog: catalog, method: method, seen: map[string]bool{}}
			groups = append(groups, g)
		}
		id := string(p.GetStringBytes("item_id"))
		if g.seen[id] {
			in.Reject(j, destkit.ValidationErrorf("item_id", "Item ID %s appears more than once in the batch.", id))
			continue
		}
		g.seen[id] = true
		g.events = append(g.events, j)
	}
	reqs := make([]destkit.Request, 0, len(groups))
	for _, g := range groups {
		w := destkit.NewJSONWriter(make([]byte, 0, 128*len(g.events)))
		w.ObjectStart()
		w.Key("items")
		w.ArrayStart()
		for _, j := range g.events {
			p := in.Payloads[j]
			w.ObjectStart()
			if g.method == http.MethodPut {
				p.GetObject("item").Visit(func(k []byte, v *fastjson.Value) {
					if string(k) != "id" {
						w.Key(string(k))
						w.Value(v)
					}
				})
			}
			w.Field("id", p.Get("item_id"))
			w.ObjectEnd()
		}
		w.ArrayEnd()
		w.ObjectEnd()
		r := destkit.NewJSONRequest(g.method, catalogItemsURL(in.Settings, g.catalog), w.Bytes())
		r.Events = g.events
		reqs = append(reqs, r)
	}
	return reqs, nil
}

// catalogItemsStatus reads Braze's error list, which names failed items by
// ID (parameter_values holds IDs, or objects with an id when the error is
// about several parameters). Items named fail for good; a missing catalog
// fails every item; items Braze did not name were refused only because of
// the others, so they are retried. A response that names no item at all
// (429, 5xx, 401) is judged by its status.
func catalogItemsStatus(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
	errs := make([]error, len(events))
	whole := destkit.StatusError(resp)
	if whole == nil {
		return errs
	}
	byID := make(map[string]int, len(events))
	for k, j := range events {
		byID[string(in.Payloads[j].GetStringBytes("item_id"))] = k
	}
	deleting := len(events) > 0 && string(in.Payloads[events[0]].GetStringBytes(destkit.SyncModeKey)) == "delete"
	settled := make([]bool, len(events))
	named, catalogMissing := false, false
	v, _ := fastjson.ParseBytes(resp.Body)
	for _, e := range v.GetArray("errors") {
		id := string(e.GetStringBytes("id"))
		if id == "catalog-not-found" {
			catalogMissing = true
			continue
		}
		for _, pv := range e.GetArray("parameter_values") {
			itemID := pv.GetStringBytes()
			if pv.Type() == fastjson.TypeObject {
				itemID = pv.GetStringBytes("id")
			}
			k, ok := byID[string(itemID)]
			if !ok || settled[k] {
				continue
			}
			named, settled[k] = true, true
			if id == "item-not-found" && deleting {
				continue
			}
			errs[k] = &destkit.APIError{Status: http.StatusBadRequest, Code: id, Body: e.GetStringBytes("message")}
		}
	}
	for k := range errs {
		switch {
		case settled[k]:
		case catalogMissing:
			errs[k] = &destkit.APIError{Status: http.StatusNotFound, Code: "catalog-not-found", Body: []byte("the catalog does not exist in Braze")}
		case named:
			errs[k] = &destkit.RetryableError{Err: errors.New("Braze refused the request because of other items in it")}
		default:
			errs[k] = whole
		}
	}
	return errs
}
