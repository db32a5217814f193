package rehook

import "github.com/actuate/actuate/destinations/destkit"

// TrackEvent reports one event of a customer.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send a track event to Rehook.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.type"}}}`,
			Description: "Name of the event; the event type when the call has no event name."},
		{Key: "source_id", Label: "Source ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the customer."},
		{Key: "metadata", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event, as key-value pairs."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		if len(in.Payload.GetStringBytes("event_name")) == 0 {
			return nil, destkit.ValidationErrorf("event_name", "The root value is missing the required field 'event_name'.")
		}
		return postPayload(in, "/events/invoke")
	},
}
