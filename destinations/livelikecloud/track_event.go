package livelikecloud

import "github.com/actuate/actuate/destinations/destkit"

// TrackEvent sends one event of a user.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send an event of a user to LiveLike.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event (User Registration, say)."},
		{Key: "event_type", Label: "Event Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Kind of Segment call: track, page or screen."},
		{Key: "segment_user_id", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id of the user."},
		{Key: "livelike_profile_id", Label: "LiveLike User Profile ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.livelike_profile_id"}`,
			Description: "LiveLike's id of the user profile."},
		{Key: "anonymous_id", Label: "Segment Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Segment's anonymous id of the user."},
		{Key: "custom_id", Label: "Custom ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.custom_id"}`,
			Description: "Your own id of the user, when you create LiveLike access tokens yourself (client-generated access tokens) instead of keeping the LiveLike profile id."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened, in ISO 8601 form."},
		{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if !destkit.Truthy(p.Get("livelike_profile_id")) && !destkit.Truthy(p.Get("custom_id")) && !destkit.Truthy(p.Get("segment_user_id")) {
			return nil, destkit.ValidationErrorf("livelike_profile_id", "Map livelike_profile_id, custom_id or segment_user_id: LiveLike needs one to know the user.")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 512))
		w.ObjectStart()
		w.Key("events")
		w.ArrayStart()
		w.Value(p)
		w.ArrayEnd()
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "segment-events/"), w.Bytes())}, nil
	},
}
