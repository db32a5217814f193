package optimizelyfeatureexperimentationactions

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const eventsURL = "https://logx.optimizely.com/v1/events"

// TrackEvent records one conversion for one visitor.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Record a conversion event in Optimizely Feature Experimentation.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "eventKey", Label: "Event Key", Type: destkit.String, Required: true, Dynamic: eventKeyChoices,
			Default:     `{"@path":"$.event"}`,
			Description: "Key of the event as created in the Optimizely project."},
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "The visitor; must be the user id the SDK was given for decisions."},
		{Key: "attributes", Label: "Event Attributes", Type: destkit.Object,
			Default:     `{"@path":"$.context.traits"}`,
			Description: "User attributes for results segmentation; only keys the datafile declares are sent."},
		{Key: "revenue", Label: "Revenue", Type: destkit.Integer,
			Default:     `{"@path":"$.properties.revenue"}`,
			Description: "Revenue of the conversion as an integer (for example in cents)."},
		{Key: "value", Label: "Value", Type: destkit.Number,
			Default:     `{"@path":"$.properties.value"}`,
			Description: "A numeric value for numeric metrics."},
		{Key: "eventTags", Label: "Event Tags", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Tags of this event occurrence (strings, numbers or booleans)."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "uuid", Label: "Unique ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Unique id of the event, for deduplication."},
	},
	Run: trackEvent,
}

func trackEvent(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	for _, k := range []string{"eventKey", "userId", "uuid"} {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	ms, ok := epochMillis(p.Get("timestamp"))
	if !ok {
		return destkit.ValidationErrorf("timestamp", "The timestamp is not a valid date.")
	}
	df, err := fetchDatafile(ctx, d, in.Settings.Str("dataFileUrl"))
	if err != nil {
		return err
	}
	key := string(p.GetStringBytes("eventKey"))
	eventID := lookupID(df.GetArray("events"), key)
	if eventID == nil {
		return destkit.ValidationErrorf("eventKey", "Event with name %s is not defined", key)
	}

	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Field("account_id", df.Get("accountId"))
	w.Field("anonymize_ip", df.Get("anonymizeIP"))
	w.Key("client_name")
	w.String("Segment")
	w.Key("enrich_decisions")
	w.Bool(true)
	w.Key("visitors")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("snapshots")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("events")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("entity_id")
	w.Value(eventID)
	w.Key("timestamp")
	w.Int(ms)
	w.Field("uuid", p.Get("uuid"))
	w.Field("key", p.Get("eventKey"))
	w.Field("revenue", p.Get("revenue"))
	w.Field("value", p.Get("value"))
	w.Key("tags")
	w.ObjectStart()
	if tags := p.GetObject("eventTags"); tags != nil {
		tags.Visit(func(k []byte, v *fastjson.Value) {
			if s := string(k); s == "revenue" || s == "value" {
				return
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.ObjectEnd()
	w.ObjectEnd()
	w.ArrayEnd()
	w.Key("decisions")
	w.ArrayStart()
	w.ArrayEnd()
	w.ObjectEnd()
	w.ArrayEnd()
	w.Field("visitor_id", p.Get("userId"))
	w.Key("attributes")
	w.ArrayStart()
	writeAttributes(w, df.GetArray("attributes"), p.GetObject("attributes"))
	if bf := df.Get("botFiltering"); bf != nil && (bf.Type() == fastjson.TypeTrue || bf.Type() == fastjson.TypeFalse) {
		w.ObjectStart()
		w.Key("entity_id")
		w.String("$opt_bot_filtering")
		w.Key("key")
		w.String("$opt_bot_filtering")
		w.Key("type")
		w.String("custom")
		w.Key("value")
		w.Value(bf)
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()

	r := destkit.NewJSONRequest("POST", eventsURL, w.Bytes())
	_, err = d.Do(ctx, &r)
	return err
}

// fetchDatafile downloads and parses the project's datafile.
func fetchDatafile(ctx context.Context, d destkit.Doer, u string) (*fastjson.Value, error) {
	u = strings.TrimSpace(u)
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return nil, &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "The Datafile URL setting is not an http(s) URL."}
	}
	r := destkit.Request{Method: "GET", URL: u, Header: make(http.Header, 2)}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	df, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil || df.Type() != fastjson.TypeObject {
		// A deactivated project's datafile is a JavaScript comment.
		msg := string(resp.Body)
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return nil, &destkit.IntegrationError{Code: "PROJECT_DEACTIVATED", Message: msg}
	}
	return df, nil
}

// lookupID returns the id of the first entity whose key is key, or nil.
func lookupID(entities []*fastjson.Value, key string) *fastjson.Value {
	for _, e := range entities {
		if string(e.GetStringBytes("key")) == key {
			if id := e.Get("id"); id != nil {
				return id
			}
		}
	}
	return nil
}

// writeAttributes writes the mapped attributes the datafile declares.
func writeAttributes(w *destkit.JSONWriter, declared []*fastjson.Value, attrs *fastjson.Object) {
	if attrs == nil {
		return
	}
	attrs.Visit(func(k []byte, v *fastjson.Value) {
		switch v.Type() {
		case fastjson.TypeString, fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
		default:
			return
		}
		id := lookupID(declared, string(k))
		if id == nil {
			return
		}
		w.ObjectStart()
		w.Key("entity_id")
		w.Value(id)
		w.Key("key")
		w.String(string(k))
		w.Key("value")
		w.Value(v)
		w.Key("type")
		w.String("custom")
		w.ObjectEnd()
	})
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02",
}

// epochMillis reads a datetime as dayjs.utc(x).valueOf() does: numbers are
// milliseconds, strings without a zone are UTC.
func epochMillis(v *fastjson.Value) (int64, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		return int64(v.GetFloat64()), true
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t.UnixMilli(), true
			}
		}
	}
	return 0, false
}
