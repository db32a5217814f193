package avo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "avo-key-1", "env": "dev"}

const event = `{"type":"track","event":"Checkout Started","messageId":"msg-1","userId":"u-1","timestamp":"2026-03-02T10:15:00.000Z",` +
	`"properties":{"order_id":"o-9","total":42.5,"items":2,"coupon":null,"gift":false,"tags":["a","b"],"ratio":2.0,` +
	`"products":[{"sku":"s-1","price":10},{"sku":"s-2","name":"x"}],"address":{"city":"Lyon","zip":69001},"empty":[],"nulls":[null,1]},` +
	`"context":{"app":{"name":"Shop","version":"3.1.0"},"page":{"url":"https://shop.example.com/cart"}}}`

// schema is what event's properties become.
const schema = `[{"propertyName":"order_id","propertyType":"string"},{"propertyName":"total","propertyType":"float"},` +
	`{"propertyName":"items","propertyType":"int"},{"propertyName":"coupon","propertyType":"null"},` +
	`{"propertyName":"gift","propertyType":"boolean"},{"propertyName":"tags","propertyType":"list(string)","children":[[]]},` +
	`{"propertyName":"ratio","propertyType":"int"},` +
	`{"propertyName":"products","propertyType":"list(object)","children":[[{"propertyName":"sku","propertyType":"string"},{"propertyName":"price","propertyType":"int"}]]},` +
	`{"propertyName":"address","propertyType":"object","children":[{"propertyName":"city","propertyType":"string"},{"propertyName":"zip","propertyType":"int"}]},` +
	`{"propertyName":"empty","propertyType":"list","children":[]},{"propertyName":"nulls","propertyType":"list","children":[[]]}]`

func TestSendSchemaToInspector(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.RenderDefault(t, Definition, "sendSchemaToInspector", event)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendSchemaToInspector, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/inspector/segment/v1/track" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "api-key", "avo-key-1")
	desttest.Header(t, r, "env", "dev")
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.Header(t, r, "Accept", "application/json")
	desttest.JSONEqual(t, r.Body, `[{"appName":"Shop","appVersion":"3.1.0","libVersion":"1.0.0","libPlatform":"Segment","messageId":"msg-1",`+
		`"createdAt":"2026-03-02T10:15:00.000Z","sessionId":"_","type":"event","eventName":"Checkout Started","eventProperties":`+schema+
		`,"eventId":null,"eventHash":null}]`)
}

// TestAppNameAndVersion covers the fallbacks: the page URL's host, then a
// fixed name; the version property setting, then the field, then a fixed
// version.
func TestAppNameAndVersion(t *testing.T) {
	const base = `"event":"E","messageId":"m","createdAt":"2026-03-02T10:15:00Z"`
	for _, c := range []struct {
		name, versionProp, payload, want string
	}{
		{"host from URL", "", `"properties":{},"pageUrl":"https://docs.example.com/a/b"`,
			`"appName":"docs.example.com","appVersion":"unversioned"`},
		{"URL without scheme has no name", "", `"properties":{},"pageUrl":"example.com"`,
			`"appVersion":"unversioned"`},
		{"no name at all", "", `"properties":{},"appVersion":"1.2"`,
			`"appName":"unnamed Segment app","appVersion":"1.2"`},
		{"version property wins", "app_version", `"properties":{"app_version":7},"appVersion":"1.2"`,
			`"appName":"unnamed Segment app","appVersion":7`},
		{"version property null", "app_version", `"properties":{"app_version":null},"appVersion":"1.2"`,
			`"appName":"unnamed Segment app","appVersion":null`},
		{"version property absent", "app_version", `"properties":{},"appVersion":"1.2"`,
			`"appName":"unnamed Segment app","appVersion":"1.2"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := map[string]any{"apiKey": "k", "env": "prod"}
			if c.versionProp != "" {
				s["appVersionPropertyName"] = c.versionProp
			}
			srv := desttest.NewServer(t)
			p := desttest.Validate(t, Definition, "sendSchemaToInspector", `{`+base+`,`+c.payload+`}`)
			if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, s), SendSchemaToInspector, p); err != nil {
				t.Fatal(err)
			}
			var props string
			switch c.name {
			case "version property wins":
				props = `[{"propertyName":"app_version","propertyType":"int"}]`
			case "version property null":
				props = `[{"propertyName":"app_version","propertyType":"null"}]`
			default:
				props = `[]`
			}
			desttest.JSONEqual(t, srv.Only(t).Body, `[{`+c.want+`,"libVersion":"1.0.0","libPlatform":"Segment","messageId":"m",`+
				`"createdAt":"2026-03-02T10:15:00Z","sessionId":"_","type":"event","eventName":"E","eventProperties":`+props+
				`,"eventId":null,"eventHash":null}]`)
		})
	}
}

func TestSendSchemaToInspectorBatch(t *testing.T) {
	srv := desttest.NewServer(t)
	ps := [][]byte{
		desttest.RenderDefault(t, Definition, "sendSchemaToInspector", event),
		desttest.Validate(t, Definition, "sendSchemaToInspector", `{"event":"Signed Up","messageId":"msg-2","createdAt":"2026-03-02T10:16:00Z","properties":{"n":1e21}}`),
	}
	for i, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings), SendSchemaToInspector, ps) {
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	r := srv.Only(t)
	desttest.Header(t, r, "api-key", "avo-key-1")
	desttest.JSONEqual(t, r.Body, `[{"appName":"Shop","appVersion":"3.1.0","libVersion":"1.0.0","libPlatform":"Segment","messageId":"msg-1",`+
		`"createdAt":"2026-03-02T10:15:00.000Z","sessionId":"_","type":"event","eventName":"Checkout Started","eventProperties":`+schema+
		`,"eventId":null,"eventHash":null},`+
		`{"appName":"unnamed Segment app","appVersion":"unversioned","libVersion":"1.0.0","libPlatform":"Segment","messageId":"msg-2",`+
		`"createdAt":"2026-03-02T10:16:00Z","sessionId":"_","type":"event","eventName":"Signed Up",`+
		`"eventProperties":[{"propertyName":"n","propertyType":"int"}],"eventId":null,"eventHash":null}]`)
}

func TestSendSchemaToInspectorRejectsIncompletePayloads(t *testing.T) {
	for field, p := range map[string]string{
		"event":      `{"messageId":"m","createdAt":"t","properties":{}}`,
		"properties": `{"event":"E","messageId":"m","createdAt":"t","properties":"x"}`,
		"messageId":  `{"event":"E","messageId":"","createdAt":"t","properties":{}}`,
		"createdAt":  `{"event":"E","messageId":"m","properties":{}}`,
	} {
		_, err := SendSchemaToInspector.Validate([]byte(p))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestSendSchemaToInspectorErrors(t *testing.T) {
	desttest.ErrorPathsFor(t, Definition, settings, SendSchemaToInspector,
		desttest.RenderDefault(t, Definition, "sendSchemaToInspector", event),
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "3"}}, Outcome: destkit.Retry, RetryAfter: 3 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 502}, Outcome: destkit.Retry},
		})
}
