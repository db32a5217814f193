package braze

import (
	"context"
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const orderPlaced = `{"type":"track","event":"Order Completed","userId":"user-1234","timestamp":"2024-05-01T12:00:00+02:00",` +
	`"context":{"traits":{"email":"ada@example.com"}},"properties":{"order_id":"o-1","total":27.5,"subtotal":25,"tax":2.5,` +
	`"currency":"EUR","source":"web","discount_items":[{"code":"SPRING","amount":3}],` +
	`"products":[{"product_id":"p-1","name":"Lamp","variant":"blue","price":12.5,"quantity":1,"url":"https://shop.example/p-1"}]}}`

func TestEcommerceOrderPlacedDefaultMapping(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"events_processed":1,"message":"success"}`})
	m := destkit.JSON(`{"__segment_internal_sync_mode":"add","name":"ecommerce.order_placed",` + string(Ecommerce.DefaultMapping())[1:])
	p := desttest.Render(t, Definition, "ecommerce", m, orderPlaced)
	if err := srv.Client().Send(context.Background(), brazeInst(t), Ecommerce, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/users/track")
	desttest.JSONEqual(t, r.Body, `{"events":[{"external_id":"user-1234","email":"ada@example.com","app_id":"app-1","name":"ecommerce.order_placed","time":"2024-05-01T10:00:00.000Z","properties":{"currency":"EUR","source":"web","products":[{"quantity":1,"product_id":"p-1","product_name":"Lamp","variant_id":"blue","price":12.5,"product_url":"https://shop.example/p-1"}],"total_value":27.5,"order_id":"o-1","discounts":[{"code":"SPRING","amount":3}]}}]}`)
}

func TestEcommerceSingleProductViewed(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"message":"success"}`})
	m := destkit.JSON(`{"__segment_internal_sync_mode":"update","name":"ecommerce.product_viewed",` + string(EcommerceSingleProduct.DefaultMapping())[1:])
	p := desttest.Render(t, Definition, "ecommerceSingleProduct", m, `{"type":"track","event":"Product Viewed","userId":"user-1234",`+
		`"timestamp":"2024-05-01T10:00:00.5Z","properties":{"product_id":"p-1","name":"Lamp","variant":"blue","price":12.5,"currency":"EUR","source":"app","type":["price_drop"]}}`)
	if err := srv.Client().Send(context.Background(), brazeInst(t), EcommerceSingleProduct, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	wantCall(t, r, "POST", "/users/track")
	desttest.JSONEqual(t, r.Body, `{"events":[{"external_id":"user-1234","app_id":"app-1","name":"ecommerce.product_viewed",`+
		`"time":"2024-05-01T10:00:00.500Z","properties":{"currency":"EUR","source":"app","product_id":"p-1","product_name":"Lamp","variant_id":"blue","price":12.5,`+
		`"type":["price_drop"]},"_update_existing_only":true}]}`)
}

func TestEcommerceBatch(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201,
		Body: `{"message":"success","errors":[{"type":"bad product","input_array":"events","index":1}]}`})
	event := func(body string) []byte {
		return desttest.Validate(t, Definition, "ecommerce", `{"__segment_internal_sync_mode":"add","currency":"EUR","source":"web","time":"2024-05-01T10:00:00Z",`+
			`"enable_batching":true,"batch_size":75,`+body+`}`)
	}
	ps := [][]byte{
		event(`"name":"ecommerce.cart_updated","external_id":"u1","cart_id":"c1","action":"add","products":[{"product_id":"p","product_name":"P","variant_id":"v","price":1,"quantity":2,"color":"red"}]`),
		event(`"name":"ecommerce.checkout_started","user_alias":{"alias_name":"a","alias_label":"l"},"checkout_id":"k1","total_value":2,"products":[{"product_id":"p","product_name":"P","variant_id":"v","price":1,"quantity":2}]`),
		event(`"name":"ecommerce.cart_updated","external_id":"u3","cart_id":"c3","action":"replace","products":[{"product_id":"p","product_name":"P","variant_id":"v","price":1,"quantity":1}]`),
		event(`"name":"ecommerce.product_viewed","external_id":"u4","products":[{"product_id":"p","product_name":"P","variant_id":"v","price":1,"quantity":1}]`),
	}
	errs := srv.Client().SendBatch(context.Background(), brazeInst(t), Ecommerce, ps)
	var pv *destkit.PayloadValidationError
	var api *destkit.APIError
	if errs[0] != nil || !errors.As(errs[1], &api) || !errors.As(errs[2], &pv) || !errors.As(errs[3], &pv) {
		t.Fatalf("errs %v", errs)
	}
	r := srv.Only(t)
	desttest.Header(t, r, "X-Braze-Batch", "true")
	desttest.JSONEqual(t, r.Body, `{"events":[`+
		`{"external_id":"u1","app_id":"app-1","name":"ecommerce.cart_updated","time":"2024-05-01T10:00:00.000Z","properties":{"currency":"EUR","source":"web",`+
		`"products":[{"quantity":2,"product_id":"p","product_name":"P","variant_id":"v","price":1,"metadata":{"color":"red"}}],"cart_id":"c1","action":"add"}},`+
		`{"user_alias":{"alias_name":"a","alias_label":"l"},"app_id":"app-1","name":"ecommerce.checkout_started","time":"2024-05-01T10:00:00.000Z",`+
		`"properties":{"currency":"EUR","source":"web","products":[{"quantity":2,"product_id":"p","product_name":"P","variant_id":"v","price":1}],"total_value":2,"checkout_id":"k1"},`+
		`"_update_existing_only":true}]}`)

	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 401: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"x"}`})
		errs := srv.Client().SendBatch(context.Background(), brazeInst(t), Ecommerce, ps[:1])
		if got := destkit.Classify(errs[0]).Outcome; got != want {
			t.Errorf("%d: %v", status, got)
		}
		srv = desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"x"}`})
		p := desttest.Validate(t, Definition, "ecommerceSingleProduct", `{"__segment_internal_sync_mode":"add","name":"ecommerce.product_viewed","external_id":"u","currency":"EUR",`+
			`"source":"web","time":"2024-05-01T10:00:00Z","enable_batching":false,"batch_size":75,"product":{"product_id":"p","product_name":"P","variant_id":"v","price":1}}`)
		if got := destkit.Classify(srv.Client().Send(context.Background(), brazeInst(t), EcommerceSingleProduct, p)).Outcome; got != want {
			t.Errorf("single %d: %v", status, got)
		}
	}
}
