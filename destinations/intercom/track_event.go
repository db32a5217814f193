package intercom

import (
	"context"
	"math"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent submits one event for a contact.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Submit an event for an Intercom contact.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event; Intercom ignores case and turns periods and dollar signs into hyphens."},
		{Key: "created_at", Label: "Event Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; sent as Unix seconds."},
		{Key: "user_id", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the contact; needed unless an email or Contact ID is given."},
		{Key: "email", Label: "Email Address", Type: destkit.String, Format: "email",
			Default:     `{"@path":"$.properties.email"}`,
			Description: "Email of the contact; needed unless a user id or Contact ID is given."},
		{Key: "revenue", Label: "Revenue", Type: destkit.Number,
			Default:     `{"@path":"$.properties.revenue"}`,
			Description: "Amount of a purchase; sent in cents as the event's price."},
		{Key: "currency", Label: "Currency", Type: destkit.String,
			Default:     `{"@path":"$.properties.currency"}`,
			Description: "Currency of the revenue; USD when unset."},
		{Key: "id", Label: "Contact ID", Type: destkit.String,
			Description: "Intercom's id of the contact; otherwise the user id or email identifies it."},
		{Key: "metadata", Label: "Event Metadata", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Up to ten flat key-value pairs describing the event."},
	},
	Run: trackEvent,
}

func trackEvent(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	if len(p.GetStringBytes("event_name")) == 0 {
		return destkit.ValidationErrorf("event_name", "The field event_name is required.")
	}
	if p.Get("created_at") == nil {
		return destkit.ValidationErrorf("created_at", "The field created_at is required.")
	}
	var contact string
	email := string(p.GetStringBytes("email"))
	if email != "" && len(p.GetStringBytes("user_id")) == 0 && len(p.GetStringBytes("id")) == 0 {
		// An email alone may be a lead's: look the contact up.
		var err error
		if contact, err = findContact(ctx, d, "", email); err != nil {
			return err
		}
		if contact == "" {
			return &destkit.IntegrationError{Code: "Contact not found", Message: "No unique contact found"}
		}
	}
	revenue := p.Get("revenue")
	price := revenue != nil && revenue.Type() == fastjson.TypeNumber

	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	wroteMeta := false
	o, _ := p.Object()
	o.Visit(func(k []byte, v *fastjson.Value) {
		switch key := string(k); key {
		case "revenue", "currency":
		case "created_at":
			w.Key(key)
			writeUnix(w, v)
		case "metadata":
			writeMetadata(w, v, p, price)
			wroteMeta = true
		default:
			w.Key(key)
			w.Value(v)
		}
	})
	if contact != "" {
		w.Key("id")
		w.String(contact)
	}
	if !wroteMeta && price {
		writeMetadata(w, nil, p, price)
	}
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", apiBase+"/events", w.Bytes())
	_, err := d.Do(ctx, &r)
	return err
}

// writeMetadata writes the metadata without email, revenue and currency,
// with the price when there is revenue (in place of a mapped price).
func writeMetadata(w *destkit.JSONWriter, meta, p *fastjson.Value, price bool) {
	writePrice := func() {
		w.Key("price")
		w.ObjectStart()
		w.Key("amount")
		w.Float(math.Round(p.GetFloat64("revenue") * 100))
		w.Key("currency")
		if c := p.GetStringBytes("currency"); len(c) > 0 {
			w.String(string(c))
		} else {
			w.String("USD")
		}
		w.ObjectEnd()
	}
	w.Key("metadata")
	w.ObjectStart()
	wrote := false
	if meta != nil && meta.Type() == fastjson.TypeObject {
		meta.GetObject().Visit(func(k []byte, v *fastjson.Value) {
			switch string(k) {
			case "email", "revenue", "currency":
				return
			case "price":
				if price {
					writePrice()
					wrote = true
					return
				}
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	if price && !wrote {
		writePrice()
	}
	w.ObjectEnd()
}
