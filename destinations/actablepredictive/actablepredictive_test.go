package actablepredictive

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"client_id": "client-1", "client_secret": "actable-secret"}

// track is a track event from a campaign visit.
func track(name, properties string) string {
	return `{"type":"track","event":"` + name + `","userId":"user-1042","properties":` + properties + `,` +
		`"context":{"campaign":{"name":"spring_sale","source":"google","medium":"cpc"}},"timestamp":"2026-03-02T10:15:42.500Z"}`
}

// send renders the mapping over event, sends it and returns the request
// after checking the call and its credentials.
func send(t *testing.T, a *destkit.Action, mapping destkit.JSON, event string) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	p := desttest.Render(t, Definition, a.Key, mapping, event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	checkCall(t, r)
	return r
}

func checkCall(t *testing.T, r desttest.Recorded) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/events" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "Authorization", base64.StdEncoding.EncodeToString([]byte("client-1:actable-secret")))
}

// with is the action's default mapping with extra fields set.
func with(a *destkit.Action, extra string) destkit.JSON {
	m := string(a.DefaultMapping())
	return destkit.JSON(m[:len(m)-1] + "," + extra + "}")
}

func TestSendEmailEvent(t *testing.T) {
	r := send(t, SendEmailEvent, with(SendEmailEvent, `"opened_flag":1,"clicked_flag":"0"`), track("Email Opened", `{}`))
	desttest.JSONEqual(t, r.Body, `{"data":[{"customer_id":"user-1042","date_email_sent":1772446542,"campaign_name":"spring_sale",`+
		`"stream_key":"email","opened_flag":1,"clicked_flag":0}]}`)
}

func TestSendWebEvent(t *testing.T) {
	r := send(t, SendWebEvent, destkit.JSON(SendWebEvent.DefaultMapping()), track("Product Viewed", `{}`))
	desttest.JSONEqual(t, r.Body, `{"data":[{"customer_id":"user-1042","datetime":1772446542,"interaction_type":"Product Viewed",`+
		`"utm_campaign":"spring_sale","utm_medium":"cpc","utm_source":"google","stream_key":"web"}]}`)
}

func TestSendTransactionEvent(t *testing.T) {
	r := send(t, SendTransactionEvent, with(SendTransactionEvent, `"discount_code":{"@path":"$.properties.coupon"}`),
		track("Order Completed", `{"order_id":"ord-1","total":197.97,"coupon":"SPRING","products":[`+
			`{"product_id":"sku-100","coupon":"SHOE10"},{"sku":205},{"name":"no id"}]}`))
	// The products and discount code give way to product_column and the
	// joined codes, at the end.
	desttest.JSONEqual(t, r.Body, `{"data":[{"customer_id":"user-1042","transaction_id":"ord-1","spend":197.97,`+
		`"purchase_datetime":1772446542,"stream_key":"transaction","product_column":"sku-100|205","discount_code":"SPRING|SHOE10"}]}`)
}

func TestSendCustomEvent(t *testing.T) {
	r := send(t, SendCustomEvent, destkit.JSON(SendCustomEvent.DefaultMapping()), track("Report Exported", `{"format":"csv","rows":120}`))
	desttest.JSONEqual(t, r.Body, `{"data":[{"customer_id":"user-1042","timestamp":1772446542,"properties":{"format":"csv","rows":120},"stream_key":"custom"}]}`)
}

func TestTimes(t *testing.T) {
	// Epoch milliseconds are whole seconds too, Unix seconds in a string stay
	// as they are; times before 1970 round down.
	for in, want := range map[string]string{`1772446542999`: `1772446542`, `"1969-12-31T23:59:59.500Z"`: `-1`, `"1772446542"`: `1772446542`} {
		p := desttest.Validate(t, Definition, "sendCustomEvent", `{"customer_id":"c","timestamp":`+in+`,"properties":{},"stream_key":"custom"}`)
		reqs, err := desttest.Perform(SendCustomEvent, desttest.Instance(t, Definition, settings), p)
		if err != nil {
			t.Fatal(err)
		}
		desttest.JSONEqual(t, reqs[0].Body, `{"data":[{"customer_id":"c","timestamp":`+want+`,"properties":{},"stream_key":"custom"}]}`)
	}
}

func TestBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	good := desttest.Render(t, Definition, "sendWebEvent", destkit.JSON(SendWebEvent.DefaultMapping()), track("Product Viewed", `{}`))
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), SendWebEvent,
		[][]byte{good, []byte(`{"customer_id":"c"}`), good})
	if errs[0] != nil || errs[2] != nil || destkit.Classify(errs[1]).Outcome != destkit.Fail {
		t.Fatalf("%v", errs)
	}
	r := srv.Only(t)
	checkCall(t, r)
	ev := `{"customer_id":"user-1042","datetime":1772446542,"interaction_type":"Product Viewed","utm_campaign":"spring_sale","utm_medium":"cpc","utm_source":"google","stream_key":"web"}`
	desttest.JSONEqual(t, r.Body, `{"data":[`+ev+`,`+ev+`]}`)
}

func TestErrorPaths(t *testing.T) {
	p := `{"customer_id":"c","date_email_sent":"2026-03-02T10:15:42Z","datetime":"2026-03-02T10:15:42Z","interaction_type":"x",` +
		`"purchase_datetime":"2026-03-02T10:15:42Z","products":[{"sku":"a"}],"timestamp":"2026-03-02T10:15:42Z","properties":{},"stream_key":"s"}`
	statuses := desttest.Statuses(`{"error":"invalid stream_key"}`)
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, p, statuses)
	desttest.BatchErrorPaths(t, Definition, settings, Definition.Actions, p, statuses)
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "sendTransactionEvent", Payload: `{"customer_id":"c","purchase_datetime":"2026-03-02T10:15:42Z","stream_key":"s"}`, Field: "products"},
	})
}
