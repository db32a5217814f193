package facebookconversionsapi

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// The fourteen actions differ only in event name, fields and trigger; the
// request is built the same way for all of them. The V2 actions exist for
// Segment's sync-mode UI and send exactly what their V1 twins send.

// standardAction builds an action whose Meta event name is fixed.
func standardAction(key, title, description, trigger, eventName string, fields []destkit.Field) *destkit.Action {
	return &destkit.Action{
		Key: key, Title: title, Description: description, DefaultSubscription: trigger, Fields: fields,
		Perform: func(in *destkit.Input) ([]destkit.Request, error) { return perform(in, eventName) },
	}
}

// customAction builds an action whose event name comes from the payload.
func customAction(key, title, description string, fields []destkit.Field) *destkit.Action {
	return &destkit.Action{
		Key: key, Title: title, Description: description, Fields: fields,
		Perform: func(in *destkit.Input) ([]destkit.Request, error) {
			return perform(in, string(in.Payload.GetStringBytes("event_name")))
		},
	}
}

// customDataKeys are the payload fields that go into custom_data, where
// they override keys of the free-form custom_data field.
var customDataKeys = []string{"currency", "value", "net_revenue", "content_ids", "content_name", "content_type",
	"contents", "num_items", "content_category", "search_string"}

// checkContents rejects contents the Conversions API would: an item without
// an id, or with a delivery category it does not know (Segment checks the
// same before sending).
func checkContents(contents []*fastjson.Value) error {
	for i, c := range contents {
		if !destkit.Truthy(c.Get("id")) {
			return destkit.ValidationErrorf("contents", "contents[%d] must include an 'id' parameter.", i)
		}
		switch dc := string(c.GetStringBytes("delivery_category")); dc {
		case "", "in_store", "curbside", "home_delivery":
		default:
			return destkit.ValidationErrorf("contents", "contents[%d].delivery_category must be one of {in_store, home_delivery, curbside}.", i)
		}
	}
	return nil
}

func perform(in *destkit.Input, eventName string) ([]destkit.Request, error) {
	p, s := in.Payload, in.Settings
	currency := ""
	if c := p.GetStringBytes("currency"); c != nil {
		currency = strings.ToUpper(string(c))
		if !validCurrency(currency) {
			return nil, &destkit.PayloadValidationError{Field: "currency", Message: currency + " is not a valid currency code."}
		}
	}
	if ud := p.GetObject("user_data"); ud == nil || !hasIdentifier(ud) {
		return nil, destkit.ValidationErrorf("user_data", "User data must contain at least one customer information field.")
	}
	if err := checkContents(p.GetArray("contents")); err != nil {
		return nil, err
	}

	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("event_name")
	w.String(eventName)
	w.Key("event_time")
	writeEventTime(w, p.Get("event_time"))
	w.Field("action_source", p.Get("action_source"))
	w.Field("event_source_url", p.Get("event_source_url"))
	w.Field("event_id", p.Get("event_id"))
	w.Key("user_data")
	writeUserData(w, p.Get("user_data"))
	writeCustomData(w, p, currency)
	writeAppData(w, p.Get("app_data_field"))
	if p.GetBool("data_processing_options") {
		// Limited Data Use; 0/0 lets Meta geolocate the user.
		w.Key("data_processing_options")
		w.ArrayStart()
		w.String("LDU")
		w.ArrayEnd()
		w.Key("data_processing_options_country")
		w.Int(int64(p.GetInt("data_processing_options_country")))
		w.Key("data_processing_options_state")
		w.Int(int64(p.GetInt("data_processing_options_state")))
	}
	w.ObjectEnd()
	w.ArrayEnd()
	if code := p.GetStringBytes("test_event_code"); len(code) > 0 {
		w.Key("test_event_code")
		w.String(string(code))
	} else if code := s.Str("testEventCode"); code != "" {
		w.Key("test_event_code")
		w.String(code)
	}
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", eventsURL(s), w.Bytes())}, nil
}

// writeEventTime writes the mapped time as it is, as Segment does: the
// Conversions API takes an ISO 8601 time as well as unix seconds.
func writeEventTime(w *destkit.JSONWriter, v *fastjson.Value) {
	w.Value(v)
}

func writeCustomData(w *destkit.JSONWriter, p *fastjson.Value, currency string) {
	own := p.GetObject("custom_data")
	present := false
	for _, k := range customDataKeys {
		if p.Get(k) != nil {
			present = true
			break
		}
	}
	if own == nil && !present {
		return
	}
	w.Key("custom_data")
	w.ObjectStart()
	if own != nil {
		own.Visit(func(k []byte, v *fastjson.Value) {
			if p.Get(string(k)) != nil && isCustomDataKey(string(k)) {
				return
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	for _, k := range customDataKeys {
		if k == "currency" && currency != "" {
			w.Key(k)
			w.String(currency)
			continue
		}
		w.Field(k, p.Get(k))
	}
	w.ObjectEnd()
}

func isCustomDataKey(k string) bool {
	for _, c := range customDataKeys {
		if c == k {
			return true
		}
	}
	return false
}

// extinfoKeys lists app_data_field keys in the order of Meta's 16-element
// extinfo array; the first element is the platform version.
var extinfoKeys = []string{"version", "packageName", "shortVersion", "longVersion", "osVersion", "deviceName",
	"locale", "timezone", "carrier", "width", "height", "density", "cpuCores", "storageSize", "freeStorage", "deviceTimezone"}

func writeAppData(w *destkit.JSONWriter, v *fastjson.Value) {
	if v == nil || !v.GetBool("use_app_data") {
		return
	}
	w.Key("app_data")
	w.ObjectStart()
	w.Key("advertiser_tracking_enabled")
	w.Int(boolInt(v.GetBool("advertiser_tracking_enabled")))
	w.Key("application_tracking_enabled")
	w.Int(boolInt(v.GetBool("application_tracking_enabled")))
	w.Field("madid", v.Get("madId"))
	w.Key("extinfo")
	w.ArrayStart()
	for _, k := range extinfoKeys {
		e := v.Get(k)
		switch {
		case e == nil:
			w.String("")
		case e.Type() == fastjson.TypeString:
			w.String(string(e.GetStringBytes()))
		default:
			w.String(string(e.MarshalTo(nil)))
		}
	}
	w.ArrayEnd()
	w.ObjectEnd()
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// validCurrency accepts three-letter codes. Meta rejects unknown codes
// itself; catching malformed ones here gives a clearer dead letter.
func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}
