package talonone

import "github.com/actuate/actuate/destinations/destkit"

// TrackEventV2 records a custom event through the v2 path; the event and
// its attributes must exist in Talon.One.
var TrackEventV2 = &destkit.Action{
	Key:         "trackEventV2",
	Title:       "Track event",
	Description: "Record a custom event for a customer profile; the event and its attributes must exist in Talon.One.",
	Fields: []destkit.Field{
		skipNonExistingField,
		customerProfileIDField,
		eventTypeField,
		eventAttributesField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		w, err := eventBody(p)
		if err != nil {
			return nil, err
		}
		w.Field("eventAttributes", p.Get("attributes"))
		w.ObjectEnd()
		return put(resourceURL(p, "/v2/events", ""), w), nil
	},
}
