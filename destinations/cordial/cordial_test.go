package cordial

import (
	"context"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "cordial-key", "endpoint": "https://integrations-ingest-svc.usw2.cordial.com", "segmentIdKey": "segment_id"}

const ids = `"segmentIdKey":"segment_id","segmentId":"user-1","anonymousId":"anon-1"`

func track(event, properties string) string {
	return `{"type":"track","event":"` + event + `","userId":"user-1","anonymousId":"anon-1","timestamp":"2026-03-02T10:15:42.500Z",` +
		`"context":{"ip":"203.0.113.7"},"properties":` + properties + `}`
}

// posted sends the default mapping of action over event and checks the one
// request: POST /api/segment/<action> with the credentials and body.
func posted(t *testing.T, a *destkit.Action, event, body string) {
	t.Helper()
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, a.Key, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/api/segment/"+a.Key {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "x-api-key", "cordial-key")
	desttest.Header(t, r, "Accept", "application/json")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, body)
}

func TestCreateContactactivity(t *testing.T) {
	posted(t, CreateContactactivity, track("Signed Up", `{"plan":"pro"}`),
		`{`+ids+`,"action":"Signed Up","time":"2026-03-02T10:15:42.500Z","properties":{"plan":"pro"},"context":{"ip":"203.0.113.7"}}`)
	// A page call has no event name: the activity is a page view.
	posted(t, CreateContactactivity, `{"type":"page","userId":"user-1","anonymousId":"anon-1","properties":{"path":"/pricing"}}`,
		`{`+ids+`,"action":"pageView","properties":{"path":"/pricing"}}`)
}

func TestUpsertContact(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, "upsertContact", `{"segmentId":{"@path":"$.userId"},`+
		`"userIdentities":{"channels.email.address":{"@path":"$.traits.email"}},"attributes":{"first_name":{"@path":"$.traits.first_name"}}}`,
		`{"type":"identify","userId":"user-1","traits":{"email":"ada@example.com","first_name":"Ada"}}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, map[string]any{"apiKey": "k"}), UpsertContact, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Path != "/api/segment/upsertContact" {
		t.Fatal(r.Path)
	}
	// No segmentIdKey setting: the key is left out.
	desttest.JSONEqual(t, r.Body, `{"segmentId":"user-1","userIdentities":{"channels.email.address":"ada@example.com"},"attributes":{"first_name":"Ada"}}`)
}

func TestLists(t *testing.T) {
	group := `{"type":"group","userId":"user-1","anonymousId":"anon-1","groupId":"grp-42","traits":{"name":"Acme Inc"}}`
	posted(t, AddContactToList, group, `{`+ids+`,"groupId":"grp-42","listName":"Acme Inc"}`)
	posted(t, RemoveContactFromList, group, `{`+ids+`,"groupId":"grp-42"}`)
}

func TestCart(t *testing.T) {
	product := `{"product_id":"sku-100","sku":"TS-100","name":"Trail Shoe","category":"Shoes","brand":"Northpeak","variant":"Black","price":89.99,"quantity":2,` +
		`"url":"https://shop.example.com/p/ts","image_url":"https://cdn.example.com/ts.jpg"}`
	posted(t, AddProductToCart, track("Product Added", product), `{`+ids+`,"productID":"sku-100","sku":"TS-100","qty":2,"category":"Shoes","name":"Trail Shoe",`+
		`"itemPrice":89.99,"url":"https://shop.example.com/p/ts","imageUrl":"https://cdn.example.com/ts.jpg","properties":{"brand":"Northpeak","variant":"Black"}}`)
	posted(t, RemoveProductFromCart, track("Product Removed", product), `{`+ids+`,"productID":"sku-100","qty":2}`)

	// A mapped description goes out after the name, as Segment's client places it.
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "addProductToCart", `{"segmentId":"user-1","productID":"sku-100","sku":"TS-100","qty":1,`+
		`"category":"Shoes","name":"Trail Shoe","description":"A light shoe for rocky trails"}`)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), AddProductToCart, p); err != nil {
		t.Fatal(err)
	}
	if got, want := string(srv.Only(t).Body), `{"segmentIdKey":"segment_id","segmentId":"user-1","productID":"sku-100","sku":"TS-100","qty":1,`+
		`"category":"Shoes","name":"Trail Shoe","description":"A light shoe for rocky trails"}`; got != want {
		t.Errorf("body %s\nwant %s", got, want)
	}
}

func TestUpsertOrder(t *testing.T) {
	order := `{"order_id":"ord-1","total":197.97,"revenue":179.98,"discount":%s,"currency":"USD","products":[` +
		`{"product_id":"sku-100","sku":"TS-100","category":"Shoes","name":"Trail Shoe","brand":"Northpeak","price":89.99,"quantity":2,"variant":"Black"}]}`
	item := `"items":[{"productID":"sku-100","sku":"TS-100","category":"Shoes","name":"Trail Shoe","itemPrice":89.99,"qty":2,"properties":{"variant":"Black"}}]`
	props := `"properties":{"revenue":179.98,"discount":%s,"currency":"USD"}`
	// The default mapping's manufacturer key is misspelt as in Segment's (manufacturerNname), so the brand is dropped.
	posted(t, UpsertOrder, track("Order Completed", sprintf(order, "5")), `{`+ids+`,"orderID":"ord-1","purchaseDate":"2026-03-02T10:15:42.500Z",`+
		`"status":"Order Completed","totalAmount":197.97,`+sprintf(props, "5")+`,`+item+`,"discountApplication":{"type":"fixed","amount":5}}`)
	// A zero discount is no discount: null.
	posted(t, UpsertOrder, track("Order Refunded", sprintf(order, "0")), `{`+ids+`,"orderID":"ord-1","purchaseDate":"2026-03-02T10:15:42.500Z",`+
		`"status":"Order Refunded","totalAmount":197.97,`+sprintf(props, "0")+`,`+item+`,"discountApplication":null}`)
}

func sprintf(format, v string) string { return strings.ReplaceAll(format, "%s", v) }

func TestMergeContacts(t *testing.T) {
	posted(t, MergeContacts, `{"type":"alias","userId":"user-1","anonymousId":"anon-1","previousId":"anon-0"}`,
		`{"segmentIdKey":"segment_id","anonymousId":"anon-1","segmentId":"user-1","previousId":"anon-0"}`)
}

func TestRefusesAndErrors(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "createContactactivity", Payload: `{"segmentId":"u"}`, Field: "action"},
		{Action: "addProductToCart", Payload: `{"productID":"p","sku":"s","name":"n"}`, Field: "qty"},
		{Action: "addProductToCart", Payload: `{"productID":"p","sku":"s","qty":1,"name":"n"}`, Field: "category"},
		{Action: "upsertOrder", Payload: `{"orderID":"o","purchaseDate":"2026-03-02","status":"x","totalAmount":1,"items":[{"sku":"s","name":"n"}]}`, Field: "items[0].productID"},
		{Action: "mergeContacts", Payload: `{"segmentId":"u"}`, Field: "previousId"},
	})
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{UpsertContact, AddContactToList},
		`{"segmentId":"user-1","groupId":"grp-42"}`, desttest.Statuses(`{"error":"contact not found"}`))
}
