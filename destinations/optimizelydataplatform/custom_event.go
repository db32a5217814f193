package optimizelydataplatform

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CustomEvent sends an ecommerce event (product or order).
var CustomEvent = &destkit.Action{
	Key:         "customEvent",
	Title:       "Ecommerce Event",
	Description: "Send an ecommerce event (product view, cart change, purchase) to ODP.",
	Fields: []destkit.Field{
		identifiers(false),
		eventTypeField,
		{Key: "event_action", Label: "Optimizely Event Action", Type: destkit.String, Required: true,
			Description: "ODP event action, such as detail, add_to_cart or purchase."},
		{Key: "products", Label: "Product details", Type: destkit.Object, Multiple: true,
			Default: `{"@arrayPath":["$.properties.products",{"product_id":{"@path":"$.product_id"},"qty":{"@path":"$.quantity"}}]}`,
			Properties: []destkit.Field{
				{Key: "product_id", Label: "Product ID", Type: destkit.String, Description: "Id of the product."},
				{Key: "qty", Label: "Quantity", Type: destkit.Number, Description: "Number of units."},
			},
			Description: "Products of the event."},
		{Key: "order_id", Label: "Order ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.order_id"}`,
			Description: "Id of the order."},
		{Key: "total", Label: "Order Total", Type: destkit.String,
			Default:     `{"@path":"$.properties.total"}`,
			Description: "Total of the order."},
		timestampField,
		enableBatchingField,
		batchSizeField,
	},
	Batch:        batch,
	Perform:      perform("batch_custom_event", writeCustomEvent),
	PerformBatch: performBatch("batch_custom_event", writeCustomEvent),
}

func writeEventHead(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Field("user_identifiers", p.Get("user_identifiers"))
	w.Field("action", p.Get("event_action"))
	w.Key("type")
	if t := p.Get("event_type"); t != nil && t.Type() != fastjson.TypeNull {
		w.Value(t)
	} else {
		w.String("custom")
	}
	w.Field("timestamp", p.Get("timestamp"))
}

func writeCustomEvent(w *destkit.JSONWriter, p *fastjson.Value) error {
	if err := requireString(p, "event_action", "timestamp"); err != nil {
		return err
	}
	w.ObjectStart()
	writeEventHead(w, p)
	w.Field("order_id", p.Get("order_id"))
	w.Field("total", p.Get("total"))
	w.Field("products", p.Get("products"))
	w.ObjectEnd()
	return nil
}
