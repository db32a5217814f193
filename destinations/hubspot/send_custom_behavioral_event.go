package hubspot

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// SendCustomBehavioralEvent records a custom behavioral event on a contact
// found by email, tracking cookie or object ID.
var SendCustomBehavioralEvent = &destkit.Action{
	Key:                 "sendCustomBehavioralEvent",
	Title:               "Send Custom Behavioral Event",
	Description:         "Send a custom behavioral event to HubSpot.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "eventName", Label: "Event Name", Type: destkit.String, Required: true, Dynamic: behavioralEventChoices,
			Description: "Internal name of the custom behavioral event in HubSpot (pe<portal>_<name>)."},
		{Key: "occurredAt", Label: "Event Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "email", Label: "Email Address", Type: destkit.String, Format: "email",
			Default:     `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}`,
			Description: "Email of the contact the event belongs to."},
		{Key: "utk", Label: "User Token", Type: destkit.String,
			Description: "HubSpot tracking cookie (hubspotutk) of the visitor."},
		{Key: "objectId", Label: "Object ID", Type: destkit.String,
			Description: "HubSpot ID of the contact the event belongs to."},
		{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Description: "Event properties, keyed by their HubSpot internal names."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if p.Get("email") == nil && p.Get("utk") == nil && p.Get("objectId") == nil {
			return nil, destkit.ValidationErrorf("email", "One of Email, User Token or Object ID is required.")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		w.ObjectStart()
		for _, k := range []string{"eventName", "occurredAt", "email", "utk", "objectId", "properties"} {
			w.Field(k, p.Get(k))
		}
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/events/v3/send", w.Bytes())}, nil
	},
}
