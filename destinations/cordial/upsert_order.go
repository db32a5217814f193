package cordial

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpsertOrder creates or updates an order of the contact.
var UpsertOrder = withPerform(&destkit.Action{
	Key:                 "upsertOrder",
	Title:               "Upsert Order",
	Description:         "Create or update an order of the contact in Cordial.",
	DefaultSubscription: `event = "Order Completed" or event = "Order Updated" or event = "Order Refunded" or event = "Order Cancelled"`,
	Fields: slices.Concat(identityFields, []destkit.Field{
		{Key: "orderID", Label: "Order ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.order_id"}`,
			Description: "ID of the order."},
		{Key: "purchaseDate", Label: "Order purchase date", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the order was placed."},
		{Key: "status", Label: "Order status", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Status of the order, by default the event name (Order Completed, Order Refunded, …)."},
		{Key: "totalAmount", Label: "Order total", Type: destkit.Number, Required: true,
			Default:     `{"@path":"$.properties.total"}`,
			Description: "Total amount of the order."},
		{Key: "discountApplication", Label: "Discount application", Type: destkit.Object,
			Default: `{"type":"fixed","amount":{"@path":"$.properties.discount"}}`,
			Properties: []destkit.Field{
				{Key: "type", Label: "Type", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "fixed", Label: "fixed"}},
					Description: "Type of discount; only \"fixed\" is sent."},
				{Key: "amount", Label: "Amount", Type: destkit.Number,
					Description: "Amount of the discount."},
			},
			Description: "Discount on the order; sent only when its type is \"fixed\" and it has a non-zero amount, null otherwise."},
		{Key: "properties", Label: "Order properties", Type: destkit.Object,
			Default:     `{"affiliation":{"@path":"$.properties.affiliation"},"revenue":{"@path":"$.properties.revenue"},"shipping":{"@path":"$.properties.shipping"},"tax":{"@path":"$.properties.tax"},"discount":{"@path":"$.properties.discount"},"coupon":{"@path":"$.properties.coupon"},"currency":{"@path":"$.properties.currency"}}`,
			Description: "More properties of the order (affiliation, revenue, shipping, tax, discount, coupon, currency)."},
		{Key: "items", Label: "Order items", Type: destkit.Object, Required: true, Multiple: true,
			Default: `{"@arrayPath":["$.properties.products",{"productID":{"@path":"$.product_id"},"sku":{"@path":"$.sku"},"category":{"@path":"$.category"},"name":{"@path":"$.name"},"manufacturerNname":{"@path":"$.brand"},"itemPrice":{"@path":"$.price"},"qty":{"@path":"$.quantity"},"url":{"@path":"$.url"},"imageUrl":{"@path":"$.image_url"},"properties":{"variant":{"@path":"$.variant"},"coupon":{"@path":"$.coupon"}}}]}`,
			Properties: []destkit.Field{
				{Key: "productID", Label: "ID", Type: destkit.String, Required: true,
					Description: "ID of the item."},
				{Key: "sku", Label: "SKU", Type: destkit.String, Required: true,
					Description: "SKU of the item."},
				{Key: "category", Label: "Category", Type: destkit.String,
					Description: "Category the item belongs to."},
				{Key: "name", Label: "Name", Type: destkit.String, Required: true,
					Description: "Name of the item."},
				{Key: "manufacturerName", Label: "Manufacturer name", Type: destkit.String,
					Description: "Manufacturer name of the item."},
				{Key: "itemPrice", Label: "Price", Type: destkit.Number,
					Description: "Unit price of the item."},
				{Key: "qty", Label: "Quantity", Type: destkit.Integer,
					Description: "Quantity of the item."},
				{Key: "url", Label: "URL", Type: destkit.String,
					Description: "URL of the item page."},
				{Key: "imageUrl", Label: "Image URL", Type: destkit.String,
					Description: "URL of the item image."},
				{Key: "properties", Label: "Properties", Type: destkit.Object,
					Description: "More properties of the item."},
			},
			Description: "Items of the order."},
	}),
}, upsertOrder)

func upsertOrder(w *destkit.JSONWriter, p *fastjson.Value) {
	copyKeys(w, p, identified("orderID", "purchaseDate", "status", "totalAmount", "properties", "items"))
	// Cordial takes fixed discounts only, and only with an amount.
	w.Key("discountApplication")
	if d := p.Get("discountApplication"); d != nil && string(d.GetStringBytes("type")) == "fixed" && destkit.Truthy(d.Get("amount")) {
		w.Value(d)
	} else {
		w.Null()
	}
}
