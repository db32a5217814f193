package gameball

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// TrackOrder sends a completed order, for cashback and order-based
// rewards.
var TrackOrder = &destkit.Action{
	Key:                 "trackOrder",
	Title:               "Track Order",
	Description:         "Send a player's order to Gameball, for cashback and order-based rewards.",
	DefaultSubscription: `event = "Order Completed"`,
	Fields: []destkit.Field{
		playerUniqueID, mobile, email,
		{Key: "orderId", Label: "Order Id", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.order_id"}`,
			Description: "Your unique identifier of the order."},
		{Key: "orderDate", Label: "Order Date", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the order was placed."},
		{Key: "totalPrice", Label: "Total Price", Type: destkit.Number, Required: true,
			Default:     `{"@path":"$.properties.total"}`,
			Description: "Total price of the order before discounts."},
		{Key: "totalPaid", Label: "Total Paid", Type: destkit.Number, Required: true,
			Default:     `{"@path":"$.properties.subtotal"}`,
			Description: "Amount the player actually paid."},
		{Key: "totalShipping", Label: "Total Shipping", Type: destkit.Number,
			Default:     `{"@path":"$.properties.shipping"}`,
			Description: "Shipping costs of the order."},
		{Key: "totalTax", Label: "Total Tax", Type: destkit.Number,
			Default:     `{"@path":"$.properties.tax"}`,
			Description: "Taxes of the order."},
		{Key: "totalDiscount", Label: "Total Discount", Type: destkit.Number,
			Default:     `{"@path":"$.properties.discount"}`,
			Description: "Discounts applied to the order."},
		{Key: "lineItems", Label: "Line Items", Type: destkit.Object, Multiple: true,
			Default: `{"@arrayPath":["$.properties.products",{"productId":{"@path":"product_id"},"sku":{"@path":"sku"},"title":{"@path":"title"},"category":{"@path":"category"},"collection":{"@path":"collection"},"tags":{"@path":"tags"},"weight":{"@path":"weight"},"vendor":{"@path":"vendor"},"quantity":{"@path":"quantity"},"price":{"@path":"price"},"taxes":{"@path":"taxes"},"discount":{"@path":"discount"}}]}`,
			Properties: []destkit.Field{
				{Key: "productId", Label: "Product Id", Type: destkit.String, Description: "Identifier of the product."},
				{Key: "sku", Label: "SKU", Type: destkit.String, Description: "Stock keeping unit of the product."},
				{Key: "title", Label: "Title", Type: destkit.String, Description: "Name of the product."},
				{Key: "category", Label: "Category", Type: destkit.String, Multiple: true, Description: "Categories the product is listed under."},
				{Key: "collection", Label: "Collection", Type: destkit.String, Multiple: true, Description: "Collections the product belongs to."},
				{Key: "tags", Label: "Tags", Type: destkit.String, Multiple: true, Description: "Tags of the product."},
				{Key: "weight", Label: "Weight", Type: destkit.Number, Description: "Weight of the product."},
				{Key: "vendor", Label: "Vendor", Type: destkit.String, Description: "Vendor of the product."},
				{Key: "quantity", Label: "Quantity", Type: destkit.Number, Description: "Quantity ordered."},
				{Key: "price", Label: "Price", Type: destkit.Number, Required: true, Description: "Unit price of the product."},
				{Key: "taxes", Label: "Taxes", Type: destkit.Number, Required: true, Description: "Taxes on the line."},
				{Key: "discount", Label: "Discount", Type: destkit.Number, Required: true, Description: "Discount on the line."},
			},
			Description: "Products of the order."},
		{Key: "discountCodes", Label: "Discount Codes", Type: destkit.String, Multiple: true,
			Default:     `{"@path":"$.properties.coupon"}`,
			Description: "Discount codes used."},
		{Key: "redeemedAmount", Label: "Redeemed Amount", Type: destkit.Number,
			Default:     `{"@path":"$.properties.redeemedAmount"}`,
			Description: "Amount paid with redeemed points."},
		{Key: "holdReference", Label: "Hold Reference", Type: destkit.String,
			Default:     `{"@path":"$.properties.holdReference"}`,
			Description: "Reference of the points hold used for the redemption."},
		{Key: "guest", Label: "Guest", Type: destkit.Boolean,
			Default:     `{"@if":{"exists":{"@path":"$.properties.is_guest"},"then":{"@path":"$.properties.is_guest"},"else":false}}`,
			Description: "Whether the order was placed as a guest."},
		{Key: "extra", Label: "Extra", Type: destkit.Object,
			Default:     `{"@path":"$.properties.extra"}`,
			Description: "Extra attributes of the order."},
		{Key: "merchantId", Label: "Merchant Id", Type: destkit.String,
			Default:     `{"@path":"$.properties.merchantId"}`,
			Description: "Identifier of the merchant, for marketplaces."},
		{Key: "merchantName", Label: "Merchant Name", Type: destkit.String,
			Default:     `{"@path":"$.properties.merchantName"}`,
			Description: "Name of the merchant."},
		{Key: "branchId", Label: "Branch Id", Type: destkit.String,
			Default:     `{"@path":"$.properties.branchId"}`,
			Description: "Identifier of the merchant's branch."},
		{Key: "branchName", Label: "Branch Name", Type: destkit.String,
			Default:     `{"@path":"$.properties.branchName"}`,
			Description: "Name of the merchant's branch."},
	},
	Perform: trackOrder,
}

func trackOrder(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	var body destkit.JSObject
	body.Assign(p, notInternal)
	// With a merchant id and name the merchant (and its branch) is also
	// sent as an object.
	if mid, mname := p.GetStringBytes("merchantId"), p.GetStringBytes("merchantName"); len(mid) > 0 && len(mname) > 0 {
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		w.StringField("uniqueId", string(mid))
		w.StringField("name", string(mname))
		if bid, bname := p.GetStringBytes("branchId"), p.GetStringBytes("branchName"); len(bid) > 0 && len(bname) > 0 {
			w.Key("branch")
			w.ObjectStart()
			w.StringField("uniqueId", string(bid))
			w.StringField("name", string(bname))
			w.ObjectEnd()
		}
		w.ObjectEnd()
		body.Set("merchant", w.Bytes())
	}
	r := destkit.NewJSONRequest("POST", apiBase+"order", body.AppendJSON(nil))
	if k := in.Settings.Str("secretKey"); k != "" {
		r.SetHeader("SecretKey", k)
	}
	return []destkit.Request{r}, nil
}
