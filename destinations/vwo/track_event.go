package vwo

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// TrackEvent sends a track event as the custom event "segment.<event>".
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send a track event to VWO as the custom event segment.<event name>, with its properties.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "name", Label: "Name", Type: destkit.String, Required: true, Default: `{"@path":"$.event"}`,
			Description: "Name of the event; sent to VWO prefixed with \"segment.\"."},
		{Key: "properties", Label: "Properties", Type: destkit.Object, Default: `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		vwoUUIDField("$.properties.vwo_uuid"),
		pageField, ipField, userAgentField, timestampField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		name := string(p.GetStringBytes("name"))
		if name == "" {
			return nil, destkit.ValidationErrorf("name", "The field \"name\" is required.")
		}
		ev := event{name: "segment." + name, custom: true, ogName: name}
		ev.props.Assign(p.Get("properties"), func(k string) bool { return k == "vwo_uuid" })
		r, err := ev.request(p, in.Settings)
		if err != nil {
			return nil, err
		}
		return []destkit.Request{r}, nil
	},
}
