package loops

import "github.com/actuate/actuate/destinations/destkit"

// SendEvent records an event for a contact, which can trigger loops.
var SendEvent = &destkit.Action{
	Key:                 "sendEvent",
	Title:               "Send Event",
	Description:         "Send an event for a contact in Loops.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "email", Label: "Contact Email", Type: destkit.String, Format: "email",
			Default:     `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}`,
			Description: "The contact's email address."},
		{Key: "eventName", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true, Format: "text",
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the contact."},
		{Key: "contactProperties", Label: "Contact Properties", Type: destkit.Object,
			Description: "Contact attributes to update along with the event."},
		{Key: "eventProperties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Event data available to the emails the event triggers."},
	},
	Perform: sendEvent,
}

func sendEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := requireString(p, "eventName", "userId"); err != nil {
		return nil, err
	}
	var b body
	b.set("email", p.Get("email"))
	b.set("eventName", p.Get("eventName"))
	b.set("userId", p.Get("userId"))
	b.set("eventProperties", p.Get("eventProperties"))
	b.spread(p.GetObject("contactProperties"))
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/events/send", b.bytes())}, nil
}
