package braze

import (
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Braze's recommended ecommerce events are custom events with reserved
// names and a fixed property layout, sent through /users/track like any
// other event; Braze then feeds them to its ecommerce reports and catalog
// triggers.

// Ecommerce sends a cart, checkout or order event with its products.
var Ecommerce = &destkit.Action{
	Key:         "ecommerce",
	Title:       "Ecommerce Event (multi product)",
	Description: "Send a Braze recommended ecommerce event about a cart, checkout or order (beta).",
	Fields: ecommerceFields([]destkit.Field{
		{Key: "products", Label: "Products", Type: destkit.Object, Required: true, Multiple: true, AdditionalProperties: true, Default: `{"@arrayPath":["$.properties.products",{"product_id":{"@path":"$.product_id"},"product_name":{"@path":"$.name"},"variant_id":{"@path":"$.variant"},"image_url":{"@path":"$.image_url"},"product_url":{"@path":"$.url"},"quantity":{"@path":"$.quantity"},"price":{"@path":"$.price"}}]}`, Description: "Products of the cart, checkout or order.",
			Properties: []destkit.Field{
				{Key: "product_id", Label: "Product ID", Type: destkit.String, Required: true, Description: "Product identifier."},
				{Key: "product_name", Label: "Product Name", Type: destkit.String, Required: true, Description: "Product name."},
				{Key: "variant_id", Label: "Variant ID", Type: destkit.String, Required: true, Description: "Product variant identifier."},
				{Key: "image_url", Label: "Image URL", Type: destkit.String, Format: "uri", Description: "URL of the product image."},
				{Key: "product_url", Label: "Product URL", Type: destkit.String, Format: "uri", Description: "URL of the product page."},
				{Key: "quantity", Label: "Quantity", Type: destkit.Number, Required: true, Description: "Number of units."},
				{Key: "price", Label: "Price", Type: destkit.Number, Required: true, Description: "Unit price."},
			}},
	}),
	Batch: &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := ecommerceEvents(b, false)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return ecommerceEvents(in, false) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "events", sequential(in))
	},
}

// EcommerceSingleProduct sends a product view.
var EcommerceSingleProduct = &destkit.Action{
	Key:         "ecommerceSingleProduct",
	Title:       "Ecommerce Event (single product)",
	Description: "Send a Braze recommended ecommerce event about one product, such as a product view (beta).",
	Fields: ecommerceFields([]destkit.Field{
		{Key: "catalog_type", Label: "Catalog Trigger Type", Type: destkit.String, Multiple: true, Choices: []destkit.Choice{{Value: "price_drop", Label: "Price Drop"}, {Value: "back_in_stock", Label: "Back In Stock"}}, Default: `{"@path":"$.properties.type"}`, Description: "Catalog triggers this view may feed: price drop or back in stock."},
		{Key: "product", Label: "Product", Type: destkit.Object, Required: true, Default: `{"product_id":{"@path":"$.properties.product_id"},"product_name":{"@path":"$.properties.name"},"variant_id":{"@path":"$.properties.variant"},"image_url":{"@path":"$.properties.image_url"},"product_url":{"@path":"$.properties.url"},"price":{"@path":"$.properties.price"}}`, Description: "The product viewed.",
			Properties: []destkit.Field{
				{Key: "product_id", Label: "Product ID", Type: destkit.String, Required: true, Description: "Product identifier."},
				{Key: "product_name", Label: "Product Name", Type: destkit.String, Required: true, Description: "Product name."},
				{Key: "variant_id", Label: "Variant ID", Type: destkit.String, Required: true, Description: "Product variant identifier."},
				{Key: "image_url", Label: "Image URL", Type: destkit.String, Format: "uri", Description: "URL of the product image."},
				{Key: "product_url", Label: "Product URL", Type: destkit.String, Format: "uri", Description: "URL of the product page."},
				{Key: "price", Label: "Price", Type: destkit.Number, Required: true, Description: "Unit price."},
			}},
	}),
	Batch: &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := ecommerceEvents(b, true)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return ecommerceEvents(in, true) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "events", sequential(in))
	},
}

// currencyChoices are the ISO 4217 codes Braze accepts, in Segment's order
// (which lists some codes more than once).
var currencyChoices = []destkit.Choice{{Value: "AFN", Label: "AFN"}, {Value: "EUR", Label: "EUR"}, {Value: "ALL", Label: "ALL"}, {Value: "DZD", Label: "DZD"}, {Value: "USD", Label: "USD"}, {Value: "AOA", Label: "AOA"}, {Value: "XCD", Label: "XCD"}, {Value: "XAD", Label: "XAD"}, {Value: "ARS", Label: "ARS"}, {Value: "AMD", Label: "AMD"}, {Value: "AWG", Label: "AWG"}, {Value: "AUD", Label: "AUD"}, {Value: "AZN", Label: "AZN"}, {Value: "BSD", Label: "BSD"}, {Value: "BHD", Label: "BHD"}, {Value: "BDT", Label: "BDT"}, {Value: "BBD", Label: "BBD"}, {Value: "BYN", Label: "BYN"}, {Value: "BZD", Label: "BZD"}, {Value: "XOF", Label: "XOF"}, {Value: "BMD", Label: "BMD"}, {Value: "INR", Label: "INR"}, {Value: "BTN", Label: "BTN"}, {Value: "BOB", Label: "BOB"}, {Value: "BOV", Label: "BOV"}, {Value: "BAM", Label: "BAM"}, {Value: "BWP", Label: "BWP"}, {Value: "NOK", Label: "NOK"}, {Value: "BRL", Label: "BRL"}, {Value: "BND", Label: "BND"}, {Value: "BGN", Label: "BGN"}, {Value: "BIF", Label: "BIF"}, {Value: "CVE", Label: "CVE"}, {Value: "KHR", Label: "KHR"}, {Value: "XAF", Label: "XAF"}, {Value: "CAD", Label: "CAD"}, {Value: "KYD", Label: "KYD"}, {Value: "CLP", Label: "CLP"}, {Value: "CLF", Label: "CLF"}, {Value: "CNY", Label: "CNY"}, {Value: "COP", Label: "COP"}, {Value: "COU", Label: "COU"}, {Value: "KMF", Label: "KMF"}, {Value: "CDF", Label: "CDF"}, {Value: "NZD", Label: "NZD"}, {Value: "CRC", Label: "CRC"}, {Value: "CUP", Label: "CUP"}, {Value: "XCG", Label: "XCG"}, {Value: "CZK", Label: "CZK"}, {Value: "DKK", Label: "DKK"}, {Value: "DJF", Label: "DJF"}, {Value: "DOP", Label: "DOP"}, {Value: "EGP", Label: "EGP"}, {Value: "SVC", Label: "SVC"}, {Value: "ERN", Label: "ERN"}, {Value: "SZL", Label: "SZL"}, {Value: "ETB", Label: "ETB"}, {Value: "FKP", Label: "FKP"}, {Value: "FJD", Label: "FJD"}, {Value: "XPF", Label: "XPF"}, {Value: "GMD", Label: "GMD"}, {Value: "GEL", Label: "GEL"}, {Value: "GHS", Label: "GHS"}, {Value: "GIP", Label: "GIP"}, {Value: "GTQ", Label: "GTQ"}, {Value: "GBP", Label: "GBP"}, {Value: "GNF", Label: "GNF"}, {Value: "GYD", Label: "GYD"}, {Value: "HTG", Label: "HTG"}, {Value: "HNL", Label: "HNL"}, {Value: "HKD", Label: "HKD"}, {Value: "HUF", Label: "HUF"}, {Value: "ISK", Label: "ISK"}, {Value: "IDR", Label: "IDR"}, {Value: "XDR", Label: "XDR"}, {Value: "IRR", Label: "IRR"}, {Value: "IQD", Label: "IQD"}, {Value: "ILS", Label: "ILS"}, {Value: "JMD", Label: "JMD"}, {Value: "JPY", Label: "JPY"}, {Value: "JOD", Label: "JOD"}, {Value: "KZT", Label: "KZT"}, {Value: "KES", Label: "KES"}, {Value: "KPW", Label: "KPW"}, {Value: "KRW", Label: "KRW"}, {Value: "KWD", Label: "KWD"}, {Value: "KGS", Label: "KGS"}, {Value: "LAK", Label: "LAK"}, {Value: "LBP", Label: "LBP"}, {Value: "LSL", Label: "LSL"}, {Value: "ZAR", Label: "ZAR"}, {Value: "LRD", Label: "LRD"}, {Value: "LYD", Label: "LYD"}, {Value: "CHF", Label: "CHF"}, {Value: "MOP", Label: "MOP"}, {Value: "MGA", Label: "MGA"}, {Value: "MWK", Label: "MWK"}, {Value: "MYR", Label: "MYR"}, {Value: "MVR", Label: "MVR"}, {Value: "MRU", Label: "MRU"}, {Value: "MUR", Label: "MUR"}, {Value: "XUA", Label: "XUA"}, {Value: "MXN", Label: "MXN"}, {Value: "MXV", Label: "MXV"}, {Value: "MDL", Label: "MDL"}, {Value: "MNT", Label: "MNT"}, {Value: "MAD", Label: "MAD"}, {Value: "MZN", Label: "MZN"}, {Value: "MMK", Label: "MMK"}, {Value: "NAD", Label: "NAD"}, {Value: "NPR", Label: "NPR"}, {Value: "NIO", Label: "NIO"}, {Value: "NGN", Label: "NGN"}, {Value: "MKD", Label: "MKD"}, {Value: "OMR", Label: "OMR"}, {Value: "PKR", Label: "PKR"}, {Value: "PAB", Label: "PAB"}, {Value: "PGK", Label: "PGK"}, {Value: "PYG", Label: "PYG"}, {Value: "PEN", Label: "PEN"}, {Value: "PHP", Label: "PHP"}, {Value: "PLN", Label: "PLN"}, {Value: "QAR", Label: "QAR"}, {Value: "RON", Label: "RON"}, {Value: "RUB", Label: "RUB"}, {Value: "RWF", Label: "RWF"}, {Value: "SHP", Label: "SHP"}, {Value: "WST", Label: "WST"}, {Value: "STN", Label: "STN"}, {Value: "SAR", Label: "SAR"}, {Value: "RSD", Label: "RSD"}, {Value: "SCR", Label: "SCR"}, {Value: "SLE", Label: "SLE"}, {Value: "SGD", Label: "SGD"}, {Value: "XSU", Label: "XSU"}, {Value: "SBD", Label: "SBD"}, {Value: "SOS", Label: "SOS"}, {Value: "SSP", Label: "SSP"}, {Value: "LKR", Label: "LKR"}, {Value: "SDG", Label: "SDG"}, {Value: "SRD", Label: "SRD"}, {Value: "SEK", Label: "SEK"}, {Value: "CHE", Label: "CHE"}, {Value: "CHW", Label: "CHW"}, {Value: "SYP", Label: "SYP"}, {Value: "TWD", Label: "TWD"}, {Value: "TJS", Label: "TJS"}, {Value: "TZS", Label: "TZS"}, {Value: "THB", Label: "THB"}, {Value: "TOP", Label: "TOP"}, {Value: "TTD", Label: "TTD"}, {Value: "TND", Label: "TND"}, {Value: "TRY", Label: "TRY"}, {Value: "TMT", Label: "TMT"}, {Value: "UGX", Label: "UGX"}, {Value: "UAH", Label: "UAH"}, {Value: "AED", Label: "AED"}, {Value: "USN", Label: "USN"}, {Value: "UYU", Label: "UYU"}, {Value: "UYI", Label: "UYI"}, {Value: "UYW", Label: "UYW"}, {Value: "UZS", Label: "UZS"}, {Value: "VUV", Label: "VUV"}, {Value: "VES", Label: "VES"}, {Value: "VED", Label: "VED"}, {Value: "VND", Label: "VND"}, {Value: "YER", Label: "YER"}, {Value: "ZMW", Label: "ZMW"}, {Value: "ZWG", Label: "ZWG"}}

const productViewed = "ecommerce.product_viewed"

// orderExtras lists, per multi-product event, the optional properties it
// carries besides products and total_value, in the order they are sent.
// Subtotal, tax and shipping are mapped but not sent: Segment leaves them
// out of every event, and so does Actuate.
var orderExtras = map[string][]string{
	"ecommerce.cart_updated":     {"cart_id", "action"},
	"ecommerce.checkout_started": {"checkout_id", "cart_id"},
	"ecommerce.order_placed":     {"order_id", "total_discounts", "discounts", "cart_id"},
	"ecommerce.order_refunded":   {"order_id", "total_discounts", "discounts"},
	"ecommerce.order_cancelled":  {"order_id", "cancel_reason", "total_discounts", "discounts"},
}

// productKeys are the product properties Braze defines; anything else a
// product carries goes under its metadata.
var productKeys = []string{"quantity", "product_id", "product_name", "variant_id", "price", "image_url", "product_url"}

func checkEcommerce(p *fastjson.Value, singleProduct bool) (time.Time, error) {
	if !identified(p, true) && p.Get("phone") == nil {
		return time.Time{}, destkit.ValidationErrorf("external_id", "One of External ID, User Alias, Braze ID, Email or Phone is required.")
	}
	name := string(p.GetStringBytes("name"))
	if singleProduct != (name == productViewed) {
		return time.Time{}, destkit.ValidationErrorf("name", "The event %s is not sent by this action; use the %s product action.",
			name, map[bool]string{true: "multi", false: "single"}[singleProduct])
	}
	if name == "ecommerce.cart_updated" && p.Get("total_value") == nil {
		if a := string(p.GetStringBytes("action")); a != "add" && a != "remove" {
			return time.Time{}, destkit.ValidationErrorf("total_value", "Total value is required for cart_updated unless the action is add or remove.")
		}
	}
	t, err := time.Parse(time.RFC3339Nano, string(p.GetStringBytes("time")))
	if err != nil {
		return time.Time{}, destkit.ValidationErrorf("time", "Time must be an ISO 8601 date and time.")
	}
	// The subscription must choose a sync mode, as in Segment.
	switch m := string(p.GetStringBytes(destkit.SyncModeKey)); m {
	case "add", "update":
	default:
		return time.Time{}, destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use add or update.", m)
	}
	return t, nil
}

func ecommerceEvents(in *destkit.BatchInput, singleProduct bool) ([]destkit.Request, error) {
	times := make([]time.Time, len(in.Payloads))
	for i, p := range in.Payloads {
		t, err := checkEcommerce(p, singleProduct)
		if err != nil {
			in.Reject(i, err)
		}
		times[i] = t
	}
	return trackRequest(in, "events", func(w *destkit.JSONWriter, i int, p *fastjson.Value) int {
		w.ObjectStart()
		for _, k := range []string{"external_id", "braze_id", "email", "phone", "user_alias"} {
			w.Field(k, p.Get(k))
		}
		w.StringField("app_id", in.Settings.Str("app_id"))
		w.Field("name", p.Get("name"))
		w.Key("time")
		w.String(times[i].UTC().Format("2006-01-02T15:04:05.000Z"))
		w.Key("properties")
		w.ObjectStart()
		w.Field("currency", p.Get("currency"))
		w.Field("source", p.Get("source"))
		w.Field("metadata", p.Get("metadata"))
		if singleProduct {
			p.Get("product").GetObject().Visit(func(k []byte, v *fastjson.Value) {
				w.Key(string(k))
				w.Value(v)
			})
			if ct := p.GetArray("catalog_type"); len(ct) > 0 {
				w.Key("type")
				w.Value(p.Get("catalog_type"))
			}
		} else {
			w.Key("products")
			w.ArrayStart()
			for _, prod := range p.GetArray("products") {
				writeEcommerceProduct(w, prod)
			}
			w.ArrayEnd()
			w.Field("total_value", p.Get("total_value"))
			for _, k := range orderExtras[string(p.GetStringBytes("name"))] {
				w.Field(k, p.Get(k))
			}
		}
		w.ObjectEnd()
		// Braze must not create a user from an alias alone, and the
		// "update" mode means the same for every identifier.
		if p.Get("user_alias") != nil || string(p.GetStringBytes(destkit.SyncModeKey)) == "update" {
			w.Key("_update_existing_only")
			w.Bool(true)
		}
		w.ObjectEnd()
		return 1
	})
}

// writeEcommerceProduct writes a product with Braze's product keys first
// and every other key of the mapped product under metadata.
func writeEcommerceProduct(w *destkit.JSONWriter, prod *fastjson.Value) {
	w.ObjectStart()
	for _, k := range productKeys {
		w.Field(k, prod.Get(k))
	}
	o := prod.GetObject()
	extra := 0
	o.Visit(func(k []byte, _ *fastjson.Value) {
		if !isProductKey(string(k)) {
			extra++
		}
	})
	if extra > 0 {
		w.Key("metadata")
		w.ObjectStart()
		o.Visit(func(k []byte, v *fastjson.Value) {
			if !isProductKey(string(k)) {
				w.Key(string(k))
				w.Value(v)
			}
		})
		w.ObjectEnd()
	}
	w.ObjectEnd()
}

func isProductKey(k string) bool {
	for _, pk := range productKeys {
		if k == pk {
			return true
		}
	}
	return false
}

// ecommerceFields is the field list both ecommerce actions start with (the user, the event
// and its amounts), followed by the action's own fields. Each call builds a new slice.
func ecommerceFields(own []destkit.Field) []destkit.Field {
	return append([]destkit.Field{
		{Key: "name", Label: "Ecommerce Event Name", Type: destkit.String, Required: true, Choices: []destkit.Choice{{Value: "ecommerce.product_viewed", Label: "Product Viewed"}, {Value: "ecommerce.cart_updated", Label: "Cart Updated"}, {Value: "ecommerce.checkout_started", Label: "Checkout Started"}, {Value: "ecommerce.order_placed", Label: "Order Placed"}, {Value: "ecommerce.order_cancelled", Label: "Order Cancelled"}, {Value: "ecommerce.order_refunded", Label: "Order Refunded"}}, Description: "Braze ecommerce event to record."},
		{Key: "external_id", Label: "External User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`, Description: "Your identifier of the user in Braze."},
		{Key: "user_alias", Label: "User Alias Object", Type: destkit.Object, Description: "Alias of the user; an alias-identified event only updates existing users.",
			Properties: []destkit.Field{aliasName, aliasLabel}},
		{Key: "email", Label: "Email", Type: destkit.String, Format: "email", Default: `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`, Description: "Email of the user."},
		{Key: "phone", Label: "Phone Number", Type: destkit.String, AllowNull: true, Default: `{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}`, Description: "Phone number of the user (E.164)."},
		{Key: "braze_id", Label: "Braze User Identifier", Type: destkit.String, AllowNull: true, Default: `{"@if":{"exists":{"@path":"$.context.traits.braze_id"},"then":{"@path":"$.context.traits.braze_id"},"else":{"@path":"$.properties.braze_id"}}}`, Description: "Braze's own identifier of the user."},
		{Key: "cancel_reason", Label: "Cancel Reason", Type: destkit.String, RequiredIf: &destkit.RequiredIf{Any: true, Conditions: []destkit.Condition{{FieldKey: "name", Operator: "is", Value: "ecommerce.order_cancelled"}}}, Default: `{"@path":"$.properties.reason"}`, Description: "Why the order was cancelled; needed for order_cancelled."},
		{Key: "time", Label: "Time", Type: destkit.String, Required: true, Format: "date-time", Default: `{"@path":"$.timestamp"}`, Description: "When the event happened; sent to Braze as ISO 8601 in UTC."},
		{Key: "checkout_id", Label: "Checkout ID", Type: destkit.String, RequiredIf: &destkit.RequiredIf{Any: true, Conditions: []destkit.Condition{{FieldKey: "name", Operator: "is", Value: "ecommerce.checkout_started"}}}, Default: `{"@path":"$.properties.checkout_id"}`, Description: "Checkout identifier; needed for checkout_started."},
		{Key: "order_id", Label: "Order ID", Type: destkit.String, RequiredIf: &destkit.RequiredIf{Any: true, Conditions: []destkit.Condition{{FieldKey: "name", Operator: "is", Value: "ecommerce.order_placed"}, {FieldKey: "name", Operator: "is", Value: "ecommerce.order_cancelled"}, {FieldKey: "name", Operator: "is", Value: "ecommerce.order_refunded"}}}, Default: `{"@path":"$.properties.order_id"}`, Description: "Order identifier; needed for order events."},
		{Key: "cart_id", Label: "Cart ID", Type: destkit.String, RequiredIf: &destkit.RequiredIf{Any: true, Conditions: []destkit.Condition{{FieldKey: "name", Operator: "is", Value: "ecommerce.cart_updated"}}}, Default: `{"@path":"$.properties.cart_id"}`, Description: "Cart identifier; needed for cart_updated."},
		{Key: "total_value", Label: "Total Value", Type: destkit.Number, RequiredIf: &destkit.RequiredIf{Any: true, Conditions: []destkit.Condition{{FieldKey: "name", Operator: "is", Value: "ecommerce.checkout_started"}, {FieldKey: "name", Operator: "is", Value: "ecommerce.order_placed"}, {FieldKey: "name", Operator: "is", Value: "ecommerce.order_cancelled"}, {FieldKey: "name", Operator: "is", Value: "ecommerce.order_refunded"}}}, Default: `{"@path":"$.properties.total"}`, Description: "Total monetary value; needed for checkout and order events."},
		{Key: "action", Label: "Action", Type: destkit.String, Choices: []destkit.Choice{{Value: "add", Label: "Add"}, {Value: "remove", Label: "Remove"}, {Value: "replace", Label: "Replace"}}, Default: `{"@path":"$.properties.action"}`, Description: "What happened to the cart: added, removed or replaced products."},
		{Key: "subtotal_value", Label: "Subtotal Value", Type: destkit.Number, Default: `{"@path":"$.properties.subtotal"}`, Description: "Value before tax, shipping and discounts."},
		{Key: "tax", Label: "Tax", Type: destkit.Number, Default: `{"@path":"$.properties.tax"}`, Description: "Tax amount."},
		{Key: "shipping", Label: "Shipping", Type: destkit.Number, Default: `{"@path":"$.properties.shipping"}`, Description: "Shipping cost."},
		{Key: "total_discounts", Label: "Total Discounts", Type: destkit.Number, Default: `{"@path":"$.properties.discount"}`, Description: "Total discount applied."},
		{Key: "discounts", Label: "Discounts", Type: destkit.Object, Multiple: true, Default: `{"@arrayPath":["$.properties.discount_items",{"code":{"@path":"$.code"},"amount":{"@path":"$.amount"}}]}`, Description: "Discounts applied, each a code and an amount.",
			Properties: []destkit.Field{
				{Key: "code", Label: "Discount Code", Type: destkit.String, Required: true, Description: "Discount code."},
				{Key: "amount", Label: "Discount Amount", Type: destkit.Number, Required: true, Description: "Discount amount."},
			}},
		{Key: "currency", Label: "Currency", Type: destkit.String, Required: true, Choices: currencyChoices, Default: `{"@path":"$.properties.currency"}`, Description: "Currency of every amount, as an ISO 4217 code."},
		{Key: "source", Label: "Source", Type: destkit.String, Required: true, Default: `{"@path":"$.properties.source"}`, Description: "Where the event came from, e.g. web or mobile."},
		{Key: "metadata", Label: "Metadata", Type: destkit.Object, Description: "Extra event properties kept under metadata."},
		{Key: "enable_batching", Label: "Batch Data to Braze", Type: destkit.Boolean, Required: true, Default: `true`, Description: "Send events in batches."},
		{Key: "batch_size", Label: "Maximum Batch Size", Type: destkit.Number, Required: true, Min: 2, Max: 75, Default: `75`, Description: "Largest number of events per batch."},
	}, own...)
}
