package encharge

import "github.com/actuate/actuate/destinations/destkit"

// TrackEvent sends a track event.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send an event to Encharge, to trigger flows and update the user.",
	DefaultSubscription: `type = "track"`,
	Fields: withCommon(
		destkit.Field{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		destkit.Field{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		userFields,
	),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return []destkit.Request{destkit.NewJSONRequest("POST", ingestURL, ingestBody(in.Payload, "userFields"))}, nil
	},
}
