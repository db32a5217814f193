package revx

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"client_id": "revx-client-7"}

const screen = `{"type":"screen","name":"Checkout","userId":"u-1","timestamp":"2026-03-02T10:16:00.000Z","properties":{"step":2,"price":19.5,"quantity":1,"product_id":"sku-9"},` +
	`"context":{"ip":"198.51.100.23","locale":"de-DE","app":{"version":"3.4.1"},"os":{"name":"iOS","version":"17.1"},` +
	`"device":{"id":"B537","advertisingId":"7A3C","type":"ios","brand":"Apple","manufacturer":"Apple","model":"iPhone14,2"},` +
	`"network":{"carrier":"Telekom"},"location":{"city":"Berlin","country":"Germany","region":"BE","latitude":52.52,"longitude":13.405},` +
	`"traits":{"email":"jane@example.com"}}}`

func TestSendRevxPing(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Header: map[string]string{"Content-Type": "image/gif"}, Body: "GIF89a"})
	p := desttest.RenderDefault(t, Definition, "sendRevxPing", screen)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), SendRevxPing, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/data/1x1.gif" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `{"client_id":"revx-client-7","os":"ios","advertising_id":"7A3C","event_name":"Checkout","type":"screen","idfv":"B537",`+
		`"time":"2026-03-02T10:16:00.000Z","event_properties":{"step":2,"price":19.5,"quantity":1,"product_id":"sku-9"},"user_properties":{"email":"jane@example.com"},`+
		`"app_version":"3.4.1","os_name":"iOS","os_version":"17.1","device_brand":"Apple","device_manufacturer":"Apple","device_model":"iPhone14,2",`+
		`"carrier":"Telekom","country":"Germany","region":"BE","city":"Berlin","language":"de-DE","product":{"price":19.5,"quantity":1,"productId":"sku-9"},`+
		`"location_lat":52.52,"location_lng":13.405,"ip":"198.51.100.23"}`)
}

func TestPreset(t *testing.T) {
	if len(Definition.Presets) != 1 || string(Definition.Presets[0].Mapping) != string(SendRevxPing.DefaultMapping()) {
		t.Fatalf("preset %+v", Definition.Presets)
	}
}

func TestRefusesAndErrors(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: "sendRevxPing", Payload: `{"event_name":"Checkout"}`, Field: "os"},
		{Action: "sendRevxPing", Payload: `{"os":"ios","products":[{"quantity":1.5}]}`, Field: "products[0].quantity"},
	})
	desttest.RefusesEmpty(t, Definition, settings, SendRevxPing)
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{SendRevxPing}, `{"os":"ios"}`, desttest.Statuses(`bad request`))
}
