package optimizelydataplatform

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// NonEcommCustomEvent sends any other event with its properties.
var NonEcommCustomEvent = &destkit.Action{
	Key:         "nonEcommCustomEvent",
	Title:       "Custom Event",
	Description: "Send a custom (non-ecommerce) event with its properties to ODP.",
	Fields: []destkit.Field{
		identifiers(false),
		eventTypeField,
		{Key: "event_action", Label: "Optimizely Event Action", Type: destkit.String,
			Description: "ODP event action."},
		{Key: "data", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		timestampField,
		enableBatchingField,
		batchSizeField,
	},
	Batch:        batch,
	Perform:      perform("batch_custom_event", writeNonEcommEvent),
	PerformBatch: performBatch("batch_custom_event", writeNonEcommEvent),
}

func writeNonEcommEvent(w *destkit.JSONWriter, p *fastjson.Value) error {
	if err := requireString(p, "timestamp"); err != nil {
		return err
	}
	w.ObjectStart()
	writeEventHead(w, p)
	w.Field("data", p.Get("data"))
	w.ObjectEnd()
	return nil
}
