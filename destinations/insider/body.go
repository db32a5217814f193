package insider

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// writeUser writes one member of the upsert call's users list, or returns
// a validation error naming the field that keeps the payload from being
// sent.
type writeUser func(w *destkit.JSONWriter, p *fastjson.Value) error

// upsert is the single request of one payload.
func upsert(p *fastjson.Value, write writeUser) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	w.Key("users")
	w.ArrayStart()
	if err := write(w, p); err != nil {
		return nil, err
	}
	w.ArrayEnd()
	w.StringField("platform", "segment")
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", upsertURL, w.Bytes())}, nil
}

// upsertBatch sends a batch as one call with a user per payload; a payload
// that cannot be written is rejected on its own.
func upsertBatch(in *destkit.BatchInput, write writeUser) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 1024*len(in.Payloads)))
	w.ObjectStart()
	w.Key("users")
	w.ArrayStart()
	sent := 0
	for i, p := range in.Payloads {
		// A user is written into a writer of its own so a failure leaves no
		// half-written member behind.
		one := destkit.NewJSONWriter(nil)
		if err := write(one, p); err != nil {
			in.Reject(i, err)
			continue
		}
		w.Raw(one.Bytes())
		sent++
	}
	w.ArrayEnd()
	w.StringField("platform", "segment")
	w.ObjectEnd()
	if sent == 0 {
		return nil, nil
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", upsertURL, w.Bytes())}, nil
}

// normalise is how Insider's integration turns a mapped key or event name
// into Insider's: lower-cased, trimmed, spaces as underscores.
func normalise(s string) string {
	return strings.ReplaceAll(jsvalue.Trim(strings.ToLower(s)), " ", "_")
}

// identifiers builds the user's identifiers: uuid, the custom identifiers
// (the anonymous id first, then the mapped ones, which may replace it),
// and the email and phone number when the mapping says so and they are
// given.
func identifiers(p, email, phone *fastjson.Value) []byte {
	var custom destkit.JSObject
	custom.SetValue("segment_anonymous_id", p.Get("segment_anonymous_id"))
	custom.Assign(p.Get("custom_identifiers"), nil)
	var ids destkit.JSObject
	ids.SetValue("uuid", p.Get("uuid"))
	ids.Set("custom", custom.AppendJSON(nil))
	if destkit.Truthy(p.Get("email_as_identifier")) {
		ids.SetValue("email", email)
	}
	if destkit.Truthy(p.Get("phone_number_as_identifier")) {
		ids.SetValue("phone_number", phone)
	}
	return ids.AppendJSON(nil)
}

// writeProfile writes the user of Create or Update a User Profile.
func writeProfile(w *destkit.JSONWriter, p *fastjson.Value) error {
	w.ObjectStart()
	w.Key("identifiers")
	w.Raw(identifiers(p, p.Get("email"), p.Get("phone")))
	w.Key("attributes")
	w.ObjectStart()
	for _, m := range [...]struct{ to, from string }{
		{"age", "age"}, {"birthday", "birthday"}, {"email", "email"}, {"name", "firstName"},
		{"gender", "gender"}, {"surname", "lastName"}, {"phone_number", "phone"}, {"city", "city"},
		{"country", "country"}, {"gdpr_optin", "gdprOptin"}, {"email_optin", "emailOptin"},
		{"sms_optin", "smsOptin"}, {"whatsapp_optin", "whatsappOptin"},
	} {
		w.Field(m.to, p.Get(m.from))
	}
	if lang := p.Get("language"); lang != nil && lang.Type() == fastjson.TypeString {
		// Only the first dash: en-US becomes en_US.
		w.StringField("language", strings.Replace(string(lang.GetStringBytes()), "-", "_", 1))
	}
	w.Field("custom", p.Get("custom"))
	w.ObjectEnd()
	w.Key("not_append")
	w.Bool(!destkit.Truthy(p.Get("append_arrays")))
	w.ObjectEnd()
	return nil
}

// standardAttributes go to the event user's attributes as they are; any
// other mapped attribute goes to attributes.custom.
var standardAttributes = map[string]bool{
	"email": true, "phone": true, "age": true, "birthday": true, "name": true, "gender": true,
	"surname": true, "city": true, "country": true, "app_version": true, "idfa": true, "model": true,
	"last_ip": true, "carrier": true, "os_version": true, "platform": true, "timezone": true, "locale": true,
}

// standardParameters go to event_params as they are; any other mapped
// parameter goes to event_params.custom.
var standardParameters = map[string]bool{
	"campaign_id": true, "campaign_name": true, "url": true, "product_id": true, "user_agent": true,
	"taxonomy": true, "name": true, "variant_id": true, "unit_sale_price": true, "unit_price": true,
	"quantity": true, "product_image_url": true, "event_group_id": true, "referrer": true, "currency": true,
}

// eventUser returns the writer of an event action's user: its identifiers
// and attributes, and one Insider event named name (or, when name is "",
// the normalised event_name), or one per product when products are
// mapped, each with the event's parameters.
func eventUser(name string) writeUser {
	return func(w *destkit.JSONWriter, p *fastjson.Value) error {
		ts := p.Get("timestamp")
		if ts == nil || ts.Type() == fastjson.TypeNull {
			return destkit.ValidationErrorf("timestamp", "The field timestamp is required.")
		}
		eventName := name
		if eventName == "" {
			eventName = normalise(string(p.GetStringBytes("event_name")))
			if eventName == "" {
				return destkit.ValidationErrorf("event_name", "The field event_name is required.")
			}
		}
		attrs := p.Get("attributes")
		email, phone := attrs.Get("email"), attrs.Get("phone")
		if !destkit.Truthy(email) {
			email = nil
		}
		if !destkit.Truthy(phone) {
			phone = nil
		}
		w.ObjectStart()
		w.Key("identifiers")
		w.Raw(identifiers(p, email, phone))
		w.Key("attributes")
		w.Raw(eventAttributes(attrs))
		w.Key("not_append")
		w.Bool(!destkit.Truthy(p.Get("append_arrays")))
		w.Key("events")
		w.ArrayStart()
		timestamp := destkit.AppendJSONString(nil, jsString(ts))
		params := p.Get("parameters")
		if products := p.Get("products"); products != nil && products.Type() == fastjson.TypeArray {
			for _, product := range products.GetArray() {
				writeEvent(w, eventName, timestamp, product, params)
			}
		} else {
			writeEvent(w, eventName, timestamp, params)
		}
		w.ArrayEnd()
		w.ObjectEnd()
		return nil
	}
}

// jsString is String(v) for a validated timestamp: a string as it is, a
// number as JavaScript prints it.
func jsString(v *fastjson.Value) string {
	if v.Type() == fastjson.TypeString {
		return string(v.GetStringBytes())
	}
	if v.Type() == fastjson.TypeNumber {
		return jsvalue.FormatNumber(v.GetFloat64())
	}
	return string(v.MarshalTo(nil))
}

// eventAttributes sorts the mapped attributes into standard and custom
// ones. Keys are normalised, and the value is read under the normalised
// key (so "First Name" reads first_name); the locale's dashes become
// underscores.
func eventAttributes(attrs *fastjson.Value) []byte {
	var out, custom destkit.JSObject
	out.Set("custom", nil)
	if attrs != nil && attrs.Type() == fastjson.TypeObject {
		o := attrs.GetObject()
		o.Visit(func(k []byte, _ *fastjson.Value) {
			name := normalise(string(k))
			v := o.Get(name)
			switch {
			case name == "locale":
				if v != nil && v.Type() == fastjson.TypeString {
					out.SetString(name, strings.ReplaceAll(string(v.GetStringBytes()), "-", "_"))
				} else {
					out.SetValue(name, v)
				}
			case standardAttributes[name]:
				out.SetValue(name, v)
			default:
				custom.SetValue(name, v)
			}
		})
	}
	out.Set("custom", custom.AppendJSON(nil))
	return out.AppendJSON(nil)
}

// writeEvent writes one Insider event whose parameters are those of each
// source in turn (a product's, then the event's, which win).
func writeEvent(w *destkit.JSONWriter, name string, timestamp []byte, sources ...*fastjson.Value) {
	var params, custom destkit.JSObject
	params.Set("custom", nil)
	for _, src := range sources {
		if src == nil || src.Type() != fastjson.TypeObject {
			continue
		}
		o := src.GetObject()
		o.Visit(func(k []byte, _ *fastjson.Value) {
			key := normalise(string(k))
			v := o.Get(key)
			switch {
			case key == "taxonomy":
				// Insider takes the category as a list; a missing one is [null].
				item := []byte("null")
				if v != nil {
					item = destkit.AppendValue(nil, v)
				}
				params.Set(key, append(append([]byte{'['}, item...), ']'))
			case standardParameters[key]:
				params.SetValue(key, v)
			default:
				custom.SetValue(key, v)
			}
		})
	}
	params.Set("custom", custom.AppendJSON(nil))
	w.ObjectStart()
	w.StringField("event_name", name)
	w.Key("timestamp")
	w.Raw(timestamp)
	w.Key("event_params")
	params.Write(w)
	w.ObjectEnd()
}
