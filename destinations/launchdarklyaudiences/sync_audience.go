package launchdarklyaudiences

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
)

// Context key priorities: which identifier becomes the LaunchDarkly
// context key.
const (
	userIDThenEmail                = "user_id_then_email"
	userIDThenAnonymousID          = "user_id_then_anonymousId"
	userIDThenEmailThenAnonymousID = "user_id_then_email_then_anonymousId"
	userIDOnly                     = "user_id_only"
	emailOnly                      = "email_only"
)

// SyncAudience includes users in a Big Segment or excludes them.
var SyncAudience = &destkit.Action{
	Key:                 "syncAudience",
	Title:               "Sync Audience",
	Description:         "Include users in a LaunchDarkly segment when they enter an Engage audience and exclude them when they leave it.",
	DefaultSubscription: `type = "identify" or type = "track"`,
	Fields: []destkit.Field{
		{Key: "segment_audience_id", Label: "Audience ID", Type: destkit.String, Required: true, Default: `{"@path":"$.context.personas.computation_id"}`,
			Description: "The audience's computation id: it names the LaunchDarkly segment."},
		{Key: "segment_audience_key", Label: "Audience Key", Type: destkit.String, Required: true, Default: `{"@path":"$.context.personas.computation_key"}`,
			Description: "The audience key: it holds the membership flag, and gives the segment its name."},
		{Key: "segment_computation_action", Label: "Segment Computation Action", Type: destkit.String, Required: true,
			Default: `{"@path":"$.context.personas.computation_class"}`, Choices: []destkit.Choice{{Value: "audience", Label: "audience"}, {Value: "journey_step", Label: "journey_step"}},
			Description: "Only audience and journey step events are synced."},
		{Key: "context_kind", Label: "Context kind", Type: destkit.String, Required: true, Default: `"user"`,
			Description: "The LaunchDarkly context kind of the synced contexts."},
		{Key: "segment_user_id", Label: "Segment User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
			Description: "The user id."},
		{Key: "segment_anonymous_id", Label: "Segment Anonymous ID", Type: destkit.String, Default: `{"@path":"$.anonymousId"}`,
			Description: "The anonymous id."},
		{Key: "user_email", Label: "Email address", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.context.traits.email"}}}`,
			Description: "The user's email address."},
		{Key: "context_key", Label: "Context key", Type: destkit.String, Required: true, Default: `"user_id_only"`,
			Choices: []destkit.Choice{
				{Value: userIDThenEmail, Label: "Use Segment UserId or email"},
				{Value: userIDThenAnonymousID, Label: "Use Segment UserId or Segment AnonymousId"},
				{Value: userIDThenEmailThenAnonymousID, Label: "Use Segment UserId or email or Segment AnonymousId"},
				{Value: userIDOnly, Label: "Use Segment UserId only"},
				{Value: emailOnly, Label: "Use email only"},
			},
			Description: "Which identifier, in which order of preference, becomes the LaunchDarkly context key."},
		{Key: "traits_or_props", Label: "Traits or properties object", Type: destkit.Object, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.properties"},"then":{"@path":"$.properties"},"else":{"@path":"$.traits"}}}`,
			Description: "The event's properties (track) or traits (identify), holding the membership flag under the audience key."},
		{Key: "enable_batching", Label: "Batch events", Type: destkit.Boolean, Default: `true`,
			Description: "Send membership changes in batches."},
		{Key: "audience_action", Label: "Audience Action", Type: destkit.String,
			Choices:     destkit.ChoiceValues("ADD", "REMOVE"),
			Description: "Whether the user is added or removed; it is read from the membership flag, whatever is mapped here."},
	},
	Batch:        &destkit.Batch{MaxSize: 1000}, // Segment's default batch size
	Perform:      perform,
	PerformBatch: performBatch,
}

func perform(in *destkit.Input) ([]destkit.Request, error) {
	b := &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}
	reqs, err := performBatch(b)
	if err == nil {
		err = b.Rejected(0)
	}
	return reqs, err
}

// audienceBatch is the request body of one audience.
type audienceBatch struct {
	contextKind string
	events      []int
	w           *destkit.JSONWriter
}

// performBatch groups the batch by audience, keeping event order within
// each, and makes one request per audience.
func performBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	var order []string
	batches := map[string]*audienceBatch{}
	for i, p := range in.Payloads {
		key, err := contextKey(p)
		if err == nil {
			_, err = destkit.TraitsOrProps.AudienceKey(p)
		}
		var m destkit.Membership
		if err == nil {
			m, err = destkit.TraitsOrProps.Of(p)
		}
		if err != nil {
			in.Reject(i, err)
			continue
		}
		id := string(p.GetStringBytes("segment_audience_id"))
		b := batches[id]
		if b == nil {
			b = &audienceBatch{contextKind: string(p.GetStringBytes("context_kind")), w: destkit.NewJSONWriter(nil)}
			batches[id] = b
			order = append(order, id)
		}
		b.events = append(b.events, i)
		b.w.ObjectStart()
		b.w.StringField("userId", key)
		b.w.StringField("cohortName", sentenceCase(string(p.GetStringBytes("segment_audience_key"))))
		b.w.StringField("cohortId", id)
		b.w.Key("value")
		b.w.Bool(m == destkit.AudienceAdd)
		b.w.ObjectEnd()
	}
	reqs := make([]destkit.Request, 0, len(order))
	for _, id := range order {
		b := batches[id]
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		w.StringField("environmentId", in.Settings.Str("clientId"))
		w.StringField("contextKind", b.contextKind)
		w.Key("batch")
		w.ArrayStart()
		w.Raw(b.w.Bytes())
		w.ArrayEnd()
		w.ObjectEnd()
		r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/segment-targets/segment-audiences", w.Bytes())
		r.Events = b.events
		reqs = append(reqs, r)
	}
	return reqs, nil
}

// contextKey picks the context key by the payload's priority; the first
// present identifier wins.
func contextKey(p *fastjson.Value) (string, error) {
	uid, email, anon := string(p.GetStringBytes("segment_user_id")), string(p.GetStringBytes("user_email")), string(p.GetStringBytes("segment_anonymous_id"))
	var candidates []string
	switch prio := string(p.GetStringBytes("context_key")); prio {
	case userIDThenEmail:
		candidates = []string{uid, email}
	case userIDThenAnonymousID:
		candidates = []string{uid, anon}
	case userIDThenEmailThenAnonymousID:
		candidates = []string{uid, email, anon}
	case userIDOnly:
		candidates = []string{uid}
	case emailOnly:
		candidates = []string{email}
	default:
		return "", destkit.ValidationErrorf("context_key", "Context key priority %q is not one of the choices.", prio)
	}
	for _, c := range candidates {
		if c != "" {
			return c, nil
		}
	}
	return "", destkit.ValidationErrorf("context_key", "The event has none of the identifiers the context key priority %s takes.", p.GetStringBytes("context_key"))
}

// sentenceCase turns an audience key into LaunchDarkly's segment name:
// first letter upper-cased, underscores as spaces.
func sentenceCase(key string) string {
	r, size := utf8.DecodeRuneInString(key)
	if r == utf8.RuneError {
		return strings.ReplaceAll(key, "_", " ")
	}
	return strings.ReplaceAll(string(unicode.ToUpper(r))+key[size:], "_", " ")
}
