// Package segmentprofiles writes identifies, groups, tracks and messaging
// subscriptions into a Segment Profile Space (Unify / Engage), so reverse
// ETL or another source can update profiles.
//
// Segment's own Segment Profiles destination hands each call to Segment's
// internal pipeline, addressed by the Profile Space the mapping picks from a
// list of the space's internal sources (engage_space). From outside Segment
// the equivalent is the tracking API: every call is posted as a one-call
// batch to https://api.segment.io/v1/batch, authenticated with the write key
// of the Profile Space's source, kept as a secret setting (Segment's
// definition has none). engage_space stays required, as in Segment, and
// names the space the write key belongs to; it is not sent.
//
// Every call carries integrations {All: false}, so the Profile Space
// forwards it to no destination, and context.consent: the mapped consent
// object when its categoryPreferences are all booleans, else {}.
// Subscriptions are identify calls whose context holds
// messaging_subscriptions (one per channel with a status: email with its
// subscription groups, SMS, WhatsApp, Android and iOS push), the
// externalIds they are keyed by, and messaging_subscriptions_retl: true.
//
// Every call needs a user id or an anonymous id, as the tracking API does;
// Segment's Send Subscriptions does not check, and its internal pipeline
// takes the call on the external ids alone.
package segmentprofiles

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Segment Profiles destination.
var Definition = &destkit.Definition{
	Slug:        "segment-profiles",
	SegmentSlug: "actions-segment-profiles",
	Name:        "Segment Profiles",
	Description: "Create and update profiles, their groups, events and messaging subscriptions in a Segment Profile Space.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{{
		Key: "source_write_key", Label: "Profile Space Write Key", Type: destkit.Password, Required: true, Secret: true,
		Description: "Write key of the Profile Space's source (Unify > Settings > API access), which the calls are sent with.",
	}},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		// The tracking API takes the write key as the basic-auth user.
		r.SetBasicAuth(s.Str("source_write_key"), "")
		return nil
	},
	Actions: []*destkit.Action{SendGroup, SendIdentify, SendSubscription, SendTrack},
}

// batchURL is the tracking API's batch endpoint.
const batchURL = "https://api.segment.io/v1/batch"

// The fields the actions share.
var (
	engageSpaceField = destkit.Field{Key: "engage_space", Label: "Profile Space", Type: destkit.String, Required: true,
		Description: "The Profile Space the calls are written to (the one whose write key is configured)."}
	userIDField = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String,
		Description: "The user's id in your systems; a user id or an anonymous id is required."}
	anonymousIDField = destkit.Field{Key: "anonymous_id", Label: "Anonymous ID", Type: destkit.String,
		Description: "An id of a visitor not yet known by user id; a user id or an anonymous id is required."}
	groupIDField = destkit.Field{Key: "group_id", Label: "Group ID", Type: destkit.String,
		Description: "The account or group the user belongs to."}
	traitsField = destkit.Field{Key: "traits", Label: "Traits", Type: destkit.Object, AdditionalProperties: true,
		Description: "Traits written to the profile."}
	timestampField = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Default: `{"@path":"$.timestamp"}`,
		Description: "When the call happened."}
	messageIDField = destkit.Field{Key: "message_id", Label: "MessageId", Type: destkit.String, Default: `{"@path":"$.messageId"}`,
		Description: "The call's message id, which Segment deduplicates on."}
	consentField = destkit.Field{Key: "consent", Label: "Consent", Type: destkit.Object, Default: `{"@path":"$.context.consent"}`,
		Description: "Consent preferences (categoryPreferences: category to true or false) passed on in the call's context."}
)

// call checks that the payload names a user, then writes {"batch": [call]}
// with body writing the call's members.
func call(in *destkit.Input, body func(w *destkit.JSONWriter, p *fastjson.Value)) ([]destkit.Request, error) {
	p := in.Payload
	if len(p.GetStringBytes("user_id")) == 0 && len(p.GetStringBytes("anonymous_id")) == 0 {
		return nil, destkit.ValidationErrorf("user_id", "Either Anonymous ID or User ID must be defined.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("batch")
	w.ArrayStart()
	w.ObjectStart()
	body(w, p)
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", batchURL, w.Bytes())}, nil
}

// writeSpread writes key: {...v} (an empty object when v is not one).
func writeSpread(w *destkit.JSONWriter, key string, v *fastjson.Value) {
	var o destkit.JSObject
	o.Assign(v, nil)
	w.Key(key)
	o.Write(w)
}

// writeConsent writes consent: the mapped object when its
// categoryPreferences are all booleans, else {}.
func writeConsent(w *destkit.JSONWriter, v *fastjson.Value) {
	valid := v == nil
	if prefs := v.Get("categoryPreferences"); prefs != nil && prefs.Type() == fastjson.TypeObject {
		valid = true
		prefs.GetObject().Visit(func(_ []byte, x *fastjson.Value) {
			if t := x.Type(); t != fastjson.TypeTrue && t != fastjson.TypeFalse {
				valid = false
			}
		})
	}
	if !valid {
		v = nil
	}
	writeSpread(w, "consent", v)
}

// writeIntegrations keeps the call from every destination of the space.
func writeIntegrations(w *destkit.JSONWriter) {
	w.Key("integrations")
	w.ObjectStart()
	w.Key("All")
	w.Bool(false)
	w.ObjectEnd()
}
