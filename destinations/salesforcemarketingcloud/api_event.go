package salesforcemarketingcloud

import "github.com/actuate/actuate/destinations/destkit"

// APIEvent fires a Journey Builder API event for a contact.
var APIEvent = &destkit.Action{
	Key:         "apiEvent",
	Title:       "Send API Event",
	Description: "Send an API event that enters the contact into the Journey listening for its event definition key.",
	Fields: []destkit.Field{
		{Key: "eventDefinitionKey", Label: "Event Definition Key", Type: destkit.String, Required: true,
			Description: "Key of the entry event's definition, shown in the Journey Builder entry source."},
		{Key: "contactKey", Label: "Contact Key", Type: destkit.String, Required: true, Default: `{"@path":"$.userId"}`,
			Description: "The contact the event is about."},
		{Key: "data", Label: "Event Data", Type: destkit.Object,
			Description: "Values for the event definition's fields, keyed by field name."},
	},
	Perform: apiEvent,
}

func apiEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	for _, k := range []string{"eventDefinitionKey", "contactKey"} {
		if len(p.GetStringBytes(k)) == 0 {
			return nil, destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	u, err := restURL(in.Settings, "/interaction/v1/events")
	if err != nil {
		return nil, err
	}
	// The payload goes as it is: its keys are the API's.
	return []destkit.Request{destkit.NewJSONRequest("POST", u, destkit.AppendValue(nil, p))}, nil
}
