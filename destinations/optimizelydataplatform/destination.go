// Package optimizelydataplatform sends events and contacts to Optimizely
// Data Platform (ODP) through its Segment intake functions.
//
// Every action posts a JSON array (one element per event; batches are one
// request) to https://function.zaius.app/twilio_segment/{batch_custom_event,
// batch_email_event, batch_upsert_contact}, or the EU or AU host of the
// region setting, with the API key as a Bearer credential. These functions
// are ODP's private intake for Segment and have no public reference, so
// the bodies are Segment's:
//   - custom and ecommerce events: user_identifiers, action, type (the
//     mapped event type, "custom" when unset), timestamp, and either data
//     or order_id, total and products;
//   - email events: type "email", action, campaign, campaign_id,
//     user_identifiers, campaign_event_value (the link URL, null when
//     unset) and timestamp;
//   - contacts: the additional traits, then the profile fields (a field
//     left unset removes a trait of the same name, as a JavaScript spread
//     does), with the birthday split into dob_year, dob_month and dob_day
//     (UTC).
//
// One check Segment lacks: an event whose user identifiers are all empty is
// a validation error on user_identifiers instead of a request ODP could not
// attribute.
package optimizelydataplatform

import (
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

var hosts = map[string]string{
	"US": "https://function.zaius.app/twilio_segment",
	"EU": "https://function.eu1.ocp.optimizely.com/twilio_segment",
	"AU": "https://function.au1.ocp.optimizely.com/twilio_segment",
}

func endpoint(s *destkit.Settings, fn string) string {
	h, ok := hosts[s.Str("region")]
	if !ok {
		h = hosts["US"]
	}
	return h + "/" + fn
}

// Definition is the Optimizely Data Platform destination.
var Definition = &destkit.Definition{
	Slug:        "optimizely-data-platform",
	SegmentSlug: "actions-optimizely-data-platform",
	Name:        "Optimizely Data Platform",
	Description: "Send customer profiles, ecommerce, email and custom events to Optimizely Data Platform.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "Api Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "ODP private API key, sent as a Bearer credential."},
		{Key: "region", Label: "Region", Type: destkit.String, Required: true,
			Default:     `"US"`,
			Choices:     []destkit.Choice{{Value: "US", Label: "US"}, {Value: "EU", Label: "Europe"}, {Value: "AU", Label: "Australia"}},
			Description: "Region that hosts the ODP account."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{CustomEvent, NonEcommCustomEvent, UpsertContact, EmailEvent},
	Presets: []destkit.Preset{
		{Name: "Product Viewed", Action: "customEvent", Trigger: `type = "track" and event = "Product Viewed"`, Mapping: productPreset("detail")},
		{Name: "Product Added", Action: "customEvent", Trigger: `type = "track" and event = "Product Added"`, Mapping: productPreset("add_to_cart")},
		{Name: "Product Removed", Action: "customEvent", Trigger: `type = "track" and event = "Product Removed"`, Mapping: productPreset("remove_from_cart")},
		{Name: "Order Completed", Action: "customEvent", Trigger: `type = "track" and event = "Order Completed"`,
			Mapping: `{"user_identifiers":` + defaultIdentifiers + `,"event_type":"order","products":{"@arrayPath":["$.properties.products",{"product_id":{"@path":"$.product_id"},"qty":{"@path":"$.quantity"}}]},"order_id":{"@path":"$.properties.order_id"},"total":{"@path":"$.properties.total"},"timestamp":{"@path":"$.timestamp"},"enable_batching":true,"batch_size":100,"event_action":"purchase"}`},
		{Name: "Email Sent", Action: "emailEvent", Trigger: `type = "track" and event = "Email Sent"`, Mapping: emailPreset("sent")},
		{Name: "Email Link Clicked", Action: "emailEvent", Trigger: `type = "track" and event = "Email Link Clicked"`, Mapping: emailPreset("click")},
		{Name: "Email Opened", Action: "emailEvent", Trigger: `type = "track" and event = "Email Opened"`, Mapping: emailPreset("open")},
		{Name: "Unsubscribed", Action: "emailEvent", Trigger: `type = "track" and event = "Unsubscribed"`, Mapping: emailPreset("unsubscribe")},
		{Name: "Email Marked as Spam", Action: "emailEvent", Trigger: `type = "track" and event = "Email Marked as Spam"`, Mapping: emailPreset("spam_report")},
	},
}

// productPreset maps a single-product event (the product is the event's
// properties) to an ecommerce event with the given action.
func productPreset(action string) destkit.JSON {
	return destkit.JSON(`{"user_identifiers":` + defaultIdentifiers + `,"event_type":"product","products":{"@arrayPath":["$.properties",{"product_id":{"@path":"$.product_id"},"qty":{"@path":"$.quantity"}}]},"order_id":{"@path":"$.properties.order_id"},"total":{"@path":"$.properties.total"},"timestamp":{"@path":"$.timestamp"},"enable_batching":true,"batch_size":100,"event_action":"` + action + `"}`)
}

func emailPreset(action string) destkit.JSON {
	return destkit.JSON(`{"user_identifiers":` + emailIdentifiers + `,"campaign":{"@path":"$.properties.campaign_name"},"campaign_id":{"@path":"$.properties.campaign_id"},"link_url":{"@path":"$.properties.link_url"},"timestamp":{"@path":"$.timestamp"},"enable_batching":true,"batch_size":100,"event_action":"` + action + `"}`)
}

// request posts the elements, one per payload not rejected; write returns
// false (after rejecting) for a payload that cannot be sent.
func request(s *destkit.Settings, fn string, ps []*fastjson.Value, reject func(i int, err error), write func(w *destkit.JSONWriter, p *fastjson.Value) error) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(ps)))
	w.ArrayStart()
	n := 0
	for i, p := range ps {
		if err := checkIdentifiers(p); err != nil {
			if reject == nil {
				return nil, err
			}
			reject(i, err)
			continue
		}
		el := destkit.NewJSONWriter(make([]byte, 0, 512))
		if err := write(el, p); err != nil {
			if reject == nil {
				return nil, err
			}
			reject(i, err)
			continue
		}
		w.Raw(el.Bytes())
		n++
	}
	w.ArrayEnd()
	if n == 0 {
		return nil, nil
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(s, fn), w.Bytes())}, nil
}

// perform and performBatch adapt an element writer to both forms.
func perform(fn string, write func(w *destkit.JSONWriter, p *fastjson.Value) error) func(*destkit.Input) ([]destkit.Request, error) {
	return func(in *destkit.Input) ([]destkit.Request, error) {
		return request(in.Settings, fn, []*fastjson.Value{in.Payload}, nil, write)
	}
}

func performBatch(fn string, write func(w *destkit.JSONWriter, p *fastjson.Value) error) func(*destkit.BatchInput) ([]destkit.Request, error) {
	return func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return request(in.Settings, fn, in.Payloads, in.Reject, write)
	}
}

// checkIdentifiers requires at least one non-empty user identifier.
func checkIdentifiers(p *fastjson.Value) error {
	ok := false
	if o := p.GetObject("user_identifiers"); o != nil {
		o.Visit(func(_ []byte, v *fastjson.Value) {
			if v.Type() == fastjson.TypeString && len(v.GetStringBytes()) > 0 {
				ok = true
			}
		})
	}
	if !ok {
		return destkit.ValidationErrorf("user_identifiers", "At least one user identifier is required.")
	}
	return nil
}

func requireString(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02",
}

// birthday reads a date of birth as a UTC date; ok is false when unset or
// unreadable.
func birthday(v *fastjson.Value) (t time.Time, ok bool) {
	if v == nil {
		return t, false
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		return time.UnixMilli(int64(v.GetFloat64())).UTC(), true
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		for _, l := range timeLayouts {
			if p, err := time.Parse(l, s); err == nil {
				return p.UTC(), true
			}
		}
	}
	return t, false
}
