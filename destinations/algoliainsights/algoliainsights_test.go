package algoliainsights

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"appId": "APP01", "apiKey": "algolia-secret"}

// track is a track event from a search results page.
func track(name, properties string) string {
	return `{"type":"track","event":"` + name + `","userId":"user-1042","anonymousId":"anon-5c1e",` +
		`"properties":` + properties + `,"timestamp":"2026-03-02T10:15:42.500Z"}`
}

// send renders the action's default mapping over event, sends it and
// returns the body of the one request, after checking the call.
func send(t *testing.T, a *destkit.Action, event string) []byte {
	t.Helper()
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, a.Key, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/1/events" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "X-Algolia-Application-Id", "APP01")
	desttest.Header(t, r, "X-Algolia-API-Key", "algolia-secret")
	desttest.Header(t, r, "X-Algolia-Agent", "algolia-segment-action-destination: 0.1")
	return r.Body
}

// ms is 2026-03-02T10:15:42.500Z in epoch milliseconds.
const ms = "1772446542500"

func TestProductClickedEvents(t *testing.T) {
	body := send(t, ProductClickedEvents, track("Product Clicked", `{"product_id":"sku-100","search_index":"products","query_id":"q-1","position":3}`))
	desttest.JSONEqual(t, body, `{"events":[{"product_id":"sku-100","search_index":"products","query_id":"q-1","position":3,
		"eventName":"Product Clicked","eventType":"click","index":"products","queryID":"q-1","objectIDs":["sku-100"],
		"userToken":"anon-5c1e","authenticatedUserToken":"user-1042","positions":[3],"timestamp":`+ms+`}]}`)
}

func TestProductViewedEvents(t *testing.T) {
	// The query id can come from the integrations object.
	ev := `{"type":"track","event":"Product Viewed","anonymousId":"anon-5c1e","properties":{"product_id":"sku-100","search_index":"products"},` +
		`"integrations":{"Algolia Insights (Actions)":{"query_id":"q-9"}},"timestamp":"2026-03-02T10:15:42.500Z"}`
	desttest.JSONEqual(t, send(t, ProductViewedEvents, ev), `{"events":[{"product_id":"sku-100","search_index":"products",
		"eventName":"Product Viewed","eventType":"view","index":"products","queryID":"q-9","objectIDs":["sku-100"],
		"timestamp":`+ms+`,"userToken":"anon-5c1e"}]}`)
}

func TestProductAddedEvents(t *testing.T) {
	// Product Added's user token is the user id first.
	body := send(t, ProductAddedEvents, track("Product Added", `{"product_id":"sku-100","search_index":"products","quantity":2}`))
	desttest.JSONEqual(t, body, `{"events":[{"product_id":"sku-100","search_index":"products","quantity":2,
		"eventName":"Add to cart","eventType":"conversion","eventSubtype":"addToCart","index":"products","objectIDs":["sku-100"],
		"userToken":"user-1042","authenticatedUserToken":"user-1042","timestamp":`+ms+`}]}`)
}

func TestProductListFilteredEvents(t *testing.T) {
	body := send(t, ProductListFilteredEvents, track("Product List Filtered",
		`{"search_index":"products","filters":[{"attribute":"color","value":"black"},{"attribute":"size","value":42}]}`))
	desttest.JSONEqual(t, body, `{"events":[{"search_index":"products","filters":["color:black","size:42"],
		"eventName":"Product List Filtered","eventType":"click","index":"products",
		"userToken":"anon-5c1e","authenticatedUserToken":"user-1042","timestamp":`+ms+`}]}`)
}

func TestProductListViewedEvents(t *testing.T) {
	body := send(t, ProductListViewedEvents, track("Product List Viewed",
		`{"search_index":"products","products":[{"product_id":"sku-100"},{"product_id":"sku-101"}]}`))
	desttest.JSONEqual(t, body, `{"events":[{"search_index":"products","products":[{"product_id":"sku-100"},{"product_id":"sku-101"}],
		"eventName":"Product List Viewed","eventType":"view","index":"products","objectIDs":["sku-100","sku-101"],
		"timestamp":`+ms+`,"userToken":"anon-5c1e","authenticatedUserToken":"user-1042"}]}`)
}

func TestConversionEvents(t *testing.T) {
	body := send(t, ConversionEvents, track("Order Completed", `{"search_index":"products","value":102.48,"currency":"USD",`+
		`"products":[{"product_id":"sku-100","price":89.99,"quantity":1},{"product_id":"sku-205","price":12.49,"discount":1,"queryID":"q-2"}]}`))
	desttest.JSONEqual(t, body, `{"events":[{"search_index":"products","value":102.48,"currency":"USD",
		"products":[{"product_id":"sku-100","price":89.99,"quantity":1},{"product_id":"sku-205","price":12.49,"discount":1,"queryID":"q-2"}],
		"eventName":"Conversion Event","eventType":"conversion","eventSubtype":"purchase","index":"products",
		"objectIDs":["sku-100","sku-205"],"objectData":[{"price":89.99,"quantity":1},{"queryID":"q-2","price":12.49,"discount":1}],
		"userToken":"anon-5c1e","authenticatedUserToken":"user-1042","timestamp":`+ms+`}]}`)

	// Without any per-record detail there is no objectData.
	body = send(t, ConversionEvents, track("Order Completed", `{"search_index":"products","products":[{"product_id":"sku-100"}]}`))
	desttest.JSONEqual(t, body, `{"events":[{"search_index":"products","products":[{"product_id":"sku-100"}],
		"eventName":"Conversion Event","eventType":"conversion","eventSubtype":"purchase","index":"products","objectIDs":["sku-100"],
		"userToken":"anon-5c1e","authenticatedUserToken":"user-1042","timestamp":`+ms+`}]}`)
}

func TestAlgoliaFieldsWinOverExtraProperties(t *testing.T) {
	srv := desttest.NewServer(t)
	// An extra property named like one of Algolia's fields keeps its place,
	// takes the field's value, and is removed when the field is unmapped; a
	// timestamp that is not a date is null.
	p := desttest.Validate(t, Definition, "productClickedEvents", `{"objectID":"sku-1","index":"products","userToken":"u-1",`+
		`"timestamp":"yesterday","extraProperties":{"queryID":"stale","positions":[9],"eventType":"view","note":"kept"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), ProductClickedEvents, p); err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, srv.Only(t).Body, `{"events":[{"eventType":"click","note":"kept","eventName":"Product Clicked",
		"index":"products","objectIDs":["sku-1"],"userToken":"u-1","timestamp":null}]}`)
}

func TestRefuses(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "productClickedEvents", Payload: `{"index":"products","userToken":"u-1"}`, Field: "objectID"},
		{Action: "productAddedEvents", Payload: `{"product":"sku-1","userToken":"u-1"}`, Field: "index"},
		{Action: "conversionEvents", Payload: `{"products":[{"product_id":"sku-1"}],"index":"products"}`, Field: "userToken"},
		{Action: "conversionEvents", Payload: `{"index":"products","userToken":"u-1","eventSubtype":"refund","products":[{"product_id":"sku-1"}]}`, Field: "eventSubtype"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrorPaths(t *testing.T) {
	statuses := desttest.Statuses(`{"status":422,"message":"Invalid timestamp"}`)
	p := `{"objectID":"sku-1","product":"sku-1","products":[{"product_id":"sku-1"}],"filters":[{"attribute":"a","value":"b"}],"index":"products","userToken":"u-1"}`
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, p, statuses)
}
