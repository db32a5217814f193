package insideraudiences

import (
	"net/http"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
)

// InsiderAudiences sends one audience or computed trait change of one user.
var InsiderAudiences = &destkit.Action{
	Key:                 "insiderAudiences",
	Title:               "Insider Audiences",
	Description:         "Add users to or remove them from Insider audiences, and send computed traits, as Engage computes them.",
	DefaultSubscription: `type = "track" or type = "identify"`,
	Fields: []destkit.Field{
		{Key: "custom_audience_name", Label: "Custom Audience Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.personas.computation_key"}`,
			Description: "The audience (or computed trait) key."},
		{Key: "segment_computation_action", Label: "Segment Computation Action", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.personas.computation_class"}`,
			Description: "What Engage computed: an audience or a trait."},
		{Key: "append_arrays", Label: "Append Array Fields", Type: destkit.Boolean, Default: `false`,
			Description: "Append to array attributes instead of replacing them."},
		{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
			Default:     `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.traits.email"}}}`,
			Description: "The user's email address."},
		{Key: "phone", Label: "Phone", Type: destkit.String, Format: "text",
			Default:     `{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.traits.phone"}}}`,
			Description: "The user's phone number in E.164 form."},
		{Key: "traits_or_props", Label: "traits or properties object", Type: destkit.Object, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.properties"},"then":{"@path":"$.properties"},"else":{"@path":"$.traits"}}}`,
			Description: "The event's properties (track) or traits (identify), holding the flag or trait value under the key."},
		{Key: "user_id", Label: "User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
			Description: "The user id, Insider's uuid."},
		{Key: "anonymous_id", Label: "Anonymous ID", Type: destkit.String, Default: `{"@path":"$.anonymousId"}`,
			Description: "The anonymous id, kept in the custom identifier segment_anonymous_id."},
		{Key: "event_type", Label: "Event Type", Type: destkit.String, Required: true, Default: `{"@path":"$.type"}`,
			Description: "The event's type: identify or track."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.name"}}}`,
			Description: "The event's name, sent as Insider's event name for track events."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Default: `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
	},
	Perform: perform,
}

var membership = destkit.MembershipFields{Key: "custom_audience_name", Props: "traits_or_props"}

func perform(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	key, err := membership.AudienceKey(p)
	if err != nil {
		return nil, err
	}
	audience := false
	switch c := string(p.GetStringBytes("segment_computation_action")); c {
	case "audience":
		audience = true
	case "trait":
	default:
		return nil, destkit.ValidationErrorf("segment_computation_action", "Only audience and computed trait events are synced, not %q.", c)
	}
	typ := string(p.GetStringBytes("event_type"))
	if typ != "identify" && typ != "track" {
		return nil, destkit.ValidationErrorf("event_type", "Only track and identify events are synced, not %q.", typ)
	}
	flag, err := membership.Flag(p)
	if err != nil {
		return nil, err
	}
	path := "user/v1/upsert"
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("users")
	w.ArrayStart()
	w.ObjectStart()
	writeIdentifiers(w, p)
	switch {
	case typ == "track":
		writeEvent(w, p, key)
	case audience && flag != nil && flag.Type() == fastjson.TypeFalse:
		// Leaving: only an explicit false removes the audience name.
		path = "user/v1/attribute/delete"
		w.Key("custom")
		w.ObjectStart()
		w.Key("partial")
		w.ObjectStart()
		writeAudienceName(w, key)
		w.ObjectEnd()
		w.ObjectEnd()
	case audience:
		w.Key("attributes")
		w.ObjectStart()
		w.Key("custom")
		w.ObjectStart()
		writeAudienceName(w, key)
		w.ObjectEnd()
		w.ObjectEnd()
	default:
		w.Key("attributes")
		w.ObjectStart()
		w.Key("custom")
		w.ObjectStart()
		w.Field("segment_io_"+key, flag)
		w.ObjectEnd()
		w.ObjectEnd()
	}
	w.ObjectEnd()
	w.ArrayEnd()
	w.Key("not_append")
	w.Bool(!p.GetBool("append_arrays"))
	w.StringField("platform", "segment")
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest(http.MethodPost, apiBase+path, w.Bytes())}, nil
}

func writeAudienceName(w *destkit.JSONWriter, key string) {
	w.Key("segment_audience_name")
	w.ArrayStart()
	w.String(key)
	w.ArrayEnd()
}

// writeIdentifiers writes the user's identifiers, each when present.
func writeIdentifiers(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Key("identifiers")
	w.ObjectStart()
	w.StringField("email", string(p.GetStringBytes("email")))
	w.StringField("uuid", string(p.GetStringBytes("user_id")))
	if anon := string(p.GetStringBytes("anonymous_id")); anon != "" {
		w.Key("custom")
		w.ObjectStart()
		w.StringField("segment_anonymous_id", anon)
		w.ObjectEnd()
	}
	w.StringField("phone_number", string(p.GetStringBytes("phone")))
	w.ObjectEnd()
}

// writeEvent writes the one event of a track: Insider's event names are
// lower case with underscores.
func writeEvent(w *destkit.JSONWriter, p *fastjson.Value, key string) {
	w.Key("events")
	w.ArrayStart()
	w.ObjectStart()
	if name := p.Get("event_name"); name != nil {
		w.Key("event_name")
		w.String(strings.ReplaceAll(strings.ToLower(string(name.GetStringBytes())), " ", "_"))
	}
	w.Field("timestamp", p.Get("timestamp"))
	w.Key("event_params")
	w.ObjectStart()
	w.Key("custom")
	w.ObjectStart()
	w.StringField("segment_engage_name", key)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	w.ArrayEnd()
}
