package klaviyo

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// OrderCompleted records an order, then one "Ordered Product" event per
// product so Klaviyo can segment on single products.
var OrderCompleted = &destkit.Action{
	Key:                 "orderCompleted",
	Title:               "Order Completed",
	Description:         "Record a completed order on a profile, and one event per product of the order.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		eventProfileField(""),
		propertiesField(`{"@path":"$.properties"}`, true),
		timeField,
		valueField,
		uniqueIDField,
		{Key: "products", Label: "Products", Type: destkit.Object, Multiple: true,
			Description: "Products of the order; each becomes one product event carrying the order's properties."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Default: `"Order Completed"`,
			Description: "Metric name of the order event."},
		{Key: "product_event_name", Label: "Product Event Name", Type: destkit.String, Default: `"Ordered Product"`,
			Description: "Metric name of the per-product events."},
	},
	Run: orderCompleted,
}

func orderCompleted(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	prof, phone, err := eventProfile(p)
	if err != nil {
		return err
	}
	at, err := eventTime(p)
	if err != nil {
		return err
	}
	name := p.Get("event_name")
	if name == nil {
		name = fastjson.MustParse(`"Order Completed"`)
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("event")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("properties")
	w.Value(p.Get("properties"))
	w.StringField("time", at)
	w.Field("value", p.Get("value"))
	w.Field("unique_id", p.Get("unique_id"))
	writeMetric(w, name)
	w.Key("profile")
	writeProfileData(w, prof, phone)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	order := w.Bytes()
	resp, err := do(ctx, d, destkit.NewJSONRequest(http.MethodPost, apiBase+"/events/", order))
	if err != nil {
		return err
	}
	// Klaviyo accepts events with 202; anything else means the order was
	// not queued, and products without their order would mislead.
	if resp.Status != http.StatusAccepted {
		return nil
	}
	productName := p.Get("product_event_name")
	if productName == nil {
		productName = fastjson.MustParse(`"Ordered Product"`)
	}
	for i, prod := range p.GetArray("products") {
		w := destkit.NewJSONWriter(make([]byte, 0, 1024))
		w.ObjectStart()
		w.Key("data")
		w.ObjectStart()
		w.Key("type")
		w.String("event")
		w.Key("attributes")
		w.ObjectStart()
		w.Key("properties")
		writeProductProperties(w, p.GetObject("properties"), prod.GetObject())
		w.Key("unique_id")
		w.String(productEventID(p, order, i))
		writeMetric(w, productName)
		w.StringField("time", at)
		w.Key("profile")
		writeProfileData(w, prof, phone)
		w.ObjectEnd()
		w.ObjectEnd()
		w.ObjectEnd()
		if _, err := do(ctx, d, destkit.NewJSONRequest(http.MethodPost, apiBase+"/events/", w.Bytes())); err != nil {
			return err
		}
	}
	return nil
}

// writeProductProperties writes the order's properties without its product
// list, overlaid with the product's own keys (a product key replaces the
// order key of the same name in place, as a JavaScript spread does).
func writeProductProperties(w *destkit.JSONWriter, order, prod *fastjson.Object) {
	w.ObjectStart()
	if order != nil {
		order.Visit(func(k []byte, v *fastjson.Value) {
			if string(k) == "products" {
				return
			}
			if prod != nil {
				if pv := prod.Get(string(k)); pv != nil {
					v = pv
				}
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	if prod != nil {
		prod.Visit(func(k []byte, v *fastjson.Value) {
			if order != nil && string(k) != "products" && order.Get(string(k)) != nil {
				return
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.ObjectEnd()
}

// productEventID derives the unique ID of a product event from the order's
// unique ID (or, without one, from the order event itself) and the
// product's position. Segment draws a random UUID; a derived one makes a
// retried order produce the same product events, which Klaviyo then
// de-duplicates instead of counting twice.
func productEventID(p *fastjson.Value, order []byte, i int) string {
	h := sha1.New()
	if id := p.GetStringBytes("unique_id"); len(id) > 0 {
		h.Write(id)
	} else {
		h.Write(order)
	}
	h.Write([]byte("/product/" + strconv.Itoa(i)))
	sum := h.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50 // version 5: name-based, SHA-1
	sum[8] = sum[8]&0x3f | 0x80
	b := hex.EncodeToString(sum[:16])
	return b[:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:]
}
