package gwen

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// SendEvent records one event for a player.
var SendEvent = &destkit.Action{
	Key:                 "sendEvent",
	Title:               "Send Event",
	Description:         "Send an event to GWEN.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true, Format: "uuid",
			Default:     `{"@path":"$.userId"}`,
			Description: "The player's identifier, a UUID."},
		{Key: "type", Label: "Event Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Type of the event."},
		{Key: "data", Label: "Data", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Data of the event; an empty object when absent."},
	},
	Run: sendEvent,
}

const sendEventQuery = "mutation SendEvent($userId: UUID!, $type: String!, $data: JSONObject) {\n event(userId: $userId, type: $type, data: $data)\n}"

func sendEvent(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.StringField("operationName", "SendEvent")
	w.StringField("query", sendEventQuery)
	w.Key("variables")
	w.ObjectStart()
	w.Field("userId", p.Get("userId"))
	w.Field("type", p.Get("type"))
	w.Key("data")
	if data := p.Get("data"); data != nil {
		w.Value(data)
	} else {
		w.ObjectStart()
		w.ObjectEnd()
	}
	w.ObjectEnd()
	w.ObjectEnd()
	return mutate(ctx, d, w.Bytes())
}
