package emarsys

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TriggerEvent triggers an external event for contacts, to start
// automation programs.
var TriggerEvent = &destkit.Action{
	Key:         "triggerEvent",
	Title:       "Trigger Event",
	Description: "Trigger an Emarsys external event for a contact, to launch automation programs; the event payload is an object passed to Emarsys's templates.",
	Fields: []destkit.Field{
		{Key: "eventid", Label: "Id of the external event", Type: destkit.Integer, Required: true,
			Dynamic:     listChoices("event"),
			Description: "ID of the Emarsys external event."},
		keyField,
		keyValue,
		{Key: "event_payload", Label: "Event payload", Type: destkit.Object, AllowNull: true, AdditionalProperties: true,
			Description: "Object handed to Emarsys's template engine for personalisation (an object, not a list or a single value)."},
	},
	Batch: &destkit.Batch{MaxSize: batchSize},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		k, err := readKeyed(in.Payload, "eventid")
		if err != nil {
			return err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.StringField("key_id", k.field)
		w.StringField("external_id", k.value)
		eventData(&w, in.Payload)
		w.ObjectEnd()
		return send(ctx, d, "triggerEvent", trigger(k.id, w.Bytes()))
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return perGroup(in, "eventid", func(k keyed, events []int) destkit.Request {
			var w destkit.JSONWriter
			w.ObjectStart()
			w.StringField("key_id", k.field)
			w.Key("contacts")
			w.ArrayStart()
			for _, i := range events {
				w.ObjectStart()
				w.Field("external_id", in.Payloads[i].Get("key_value"))
				eventData(&w, in.Payloads[i])
				w.ObjectEnd()
			}
			w.ArrayEnd()
			w.ObjectEnd()
			return trigger(k.id, w.Bytes())
		}), nil
	},
	BatchStatus: batchStatus("triggerEvent"),
}

func trigger(event string, body []byte) destkit.Request {
	return destkit.NewJSONRequest("POST", apiBase+"event/"+event+"/trigger", body)
}

// eventData writes "data": the event payload, or null without one.
func eventData(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Key("data")
	w.Value(p.Get("event_payload"))
}
