package talonone

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent is the deprecated custom event, with an event type and
// attribute types.
var TrackEvent = &destkit.Action{
	Key:         "trackEvent",
	Title:       "[Deprecated] Track event",
	Description: "Record a custom event for a customer profile. Deprecated: use Track event.",
	Fields: []destkit.Field{
		customerProfileIDField,
		eventTypeField,
		{Key: "type", Label: "Type", Type: destkit.String, Required: true, Default: `"string"`,
			Description: "Type of the event: " + attributeTypes + "."},
		eventAttributesField,
		attributesInfo("attributesInfo", "Attributes info", "$.properties.attributesInfo", false,
			"Types of the event's attributes, for attributes Talon.One should create with a given type."),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		w, err := eventBody(p)
		if err != nil {
			return nil, err
		}
		w.Field("type", p.Get("type"))
		w.Field("eventAttributes", p.Get("attributes"))
		w.Field("attributesInfo", p.Get("attributesInfo"))
		w.ObjectEnd()
		return put(apiBase+"/event", w), nil
	},
}

// eventBody opens an event's body with its profile and event type, both
// required.
func eventBody(p *fastjson.Value) (*destkit.JSONWriter, error) {
	id, err := requiredString(p, "customerProfileId")
	if err != nil {
		return nil, err
	}
	typ, err := requiredString(p, "eventType")
	if err != nil {
		return nil, err
	}
	w := &destkit.JSONWriter{}
	w.ObjectStart()
	w.StringField("customerProfileId", id)
	w.StringField("eventType", typ)
	return w, nil
}
