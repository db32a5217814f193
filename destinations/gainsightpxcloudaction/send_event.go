package gainsightpxcloudaction

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// SendEvent forwards the whole event.
var SendEvent = &destkit.Action{
	Key:         "sendEvent",
	Title:       "Send Event",
	Description: "Send the Segment event as it is to Gainsight PX.",
	Fields: []destkit.Field{
		{Key: "segmentEvent", Label: "Segment Event", Type: destkit.Object,
			Default:     `{"@path":"$."}`,
			Description: "The event to send; by default the whole Segment event."},
	},
	Perform: sendEvent,
}

func sendEvent(in *destkit.Input) ([]destkit.Request, error) {
	ev := in.Payload.Get("segmentEvent")
	if ev == nil {
		return nil, destkit.ValidationErrorf("segmentEvent", "The Segment Event field maps to nothing; there is no event to send.")
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", pushURL(in.Settings), destkit.AppendValue(nil, ev))}, nil
}
