package friendbuy

import "github.com/actuate/actuate/destinations/destkit"

// TrackPurchase records a purchase, which Friendbuy credits to the referral
// that led to it.
var TrackPurchase = &destkit.Action{
	Key:         "trackPurchase",
	Title:       "Track Purchase",
	Description: "Record a purchase in Friendbuy, credited to the referral that led to it.",
	Fields: withContext(append(append([]destkit.Field{
		{Key: "orderId", Label: "Order ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.order_id"}`,
			Description: "Id of the order."},
		{Key: "amount", Label: "Purchase Amount", Type: destkit.Number, Required: true,
			Default:     `{"@path":"$.properties.total"}`,
			Description: "Total amount of the purchase."},
		{Key: "currency", Label: "Currency", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.currency"}`,
			Description: "Currency of the amount, as an ISO 4217 code (USD)."},
		{Key: "coupon", Label: "Coupon", Type: destkit.String,
			Default:     `{"@path":"$.properties.coupon"}`,
			Description: "Coupon code used."},
		attributionIDField,
		referralCodeField,
		{Key: "giftCardCodes", Label: "Gift Card Codes", Type: destkit.String, Multiple: true,
			Default:     `{"@path":"$.properties.giftCardCodes"}`,
			Description: "Gift card codes used."},
		{Key: "products", Label: "Products", Type: destkit.Object, Multiple: true,
			Default: `{"@path":"$.properties.products"}`,
			Properties: []destkit.Field{
				{Key: "sku", Label: "Product SKU", Type: destkit.String,
					Description: "SKU of the product (unknown when missing)."},
				{Key: "name", Label: "Product Name", Type: destkit.String,
					Description: "Name of the product (unknown when missing)."},
				{Key: "quantity", Label: "Quantity (default 1)", Type: destkit.Integer,
					Description: "Number of units (1 when missing)."},
				{Key: "price", Label: "Price", Type: destkit.Number, Required: true,
					Description: "Price of one unit."},
				{Key: "description", Label: "Product Description", Type: destkit.String,
					Description: "What the product is, in a few words."},
				{Key: "category", Label: "Product Category", Type: destkit.String,
					Description: "Category the product is sold in."},
				{Key: "url", Label: "Product URL", Type: destkit.String,
					Description: "URL of the product page."},
				{Key: "image_url", Label: "Product Image URL", Type: destkit.String,
					Description: "URL of the product's image."},
			},
			Description: "Products bought."},
	}, eventCustomerFields(false)...), attributesField("$.properties.friendbuyAttributes"))...),
	Run: run(purchaseMapping, "", "v1/event/purchase"),
}

// purchaseMapping is how a purchase is sent.
var purchaseMapping = &mapping{additional: true, members: members(map[string]member{
	"orderId":       {convert: toString},
	"amount":        {convert: toNumber},
	"currency":      keep,
	"coupon":        {name: "couponCode"},
	"attributionId": keep,
	"referralCode":  keep,
	"giftCardCodes": keep,
	"products": {list: &mapping{
		defaults: [][2]string{{"sku", `"unknown"`}, {"name", `"unknown"`}, {"quantity", `1`}},
		members: map[string]member{
			"sku":         {convert: toString},
			"name":        keep,
			"quantity":    {convert: toInteger},
			"price":       {convert: toNumber},
			"description": keep,
			"category":    keep,
			"url":         keep,
			"image_url":   {name: "imageUrl"},
		},
	}},
	"customerId":    keep,
	"email":         keep,
	"firstName":     keep,
	"lastName":      keep,
	"isNewCustomer": keep,
	"age":           drop,
	"birthday":      drop,
})}
