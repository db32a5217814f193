package actablepredictive

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// SendTransactionEvent sends a purchase with its products and codes.
var SendTransactionEvent = withWriter(&destkit.Action{
	Key:         "sendTransactionEvent",
	Title:       "Send Transaction Event",
	Description: "Send a purchase to Actable with the ids of its products and its discount codes.",
	Fields: []destkit.Field{
		customerIDField,
		{Key: "discount_code", Label: "Discount Code", Type: destkit.String,
			Description: "Discount code of the order; sent with the products' coupons, joined by |."},
		{Key: "transaction_id", Label: "Transaction ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.order_id"}`,
			Description: "Id of the order."},
		{Key: "spend", Label: "Amount", Type: destkit.Number,
			Default:     `{"@path":"$.properties.total"}`,
			Description: "Total amount of the order."},
		{Key: "products", Label: "Products Purchased", Type: destkit.Object, Required: true, Multiple: true,
			Default:     `{"@path":"$.properties.products"}`,
			Description: "Products bought; their product ids (or SKUs) are sent joined by | as product_column, their coupons added to discount_code."},
		{Key: "purchase_datetime", Label: "Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the purchase happened; sent as Unix seconds."},
		streamKeyField("transaction"),
	},
}, writeTransaction)

// writeTransaction writes the payload without its products and discount
// code, then product_column and discount_code.
func writeTransaction(w *destkit.JSONWriter, p *fastjson.Value) error {
	if err := required(p, "customer_id", "stream_key", "products", "purchase_datetime"); err != nil {
		return err
	}
	var codes, ids []string
	if code := p.Get("discount_code"); destkit.Truthy(code) {
		codes = append(codes, text(code))
	}
	products := p.GetArray("products")
	for _, pr := range products {
		if c := pr.Get("coupon"); destkit.Truthy(c) {
			codes = append(codes, text(c))
		}
	}
	for _, pr := range products {
		id := pr.Get("product_id")
		if !destkit.Truthy(id) {
			id = pr.Get("sku")
		}
		if destkit.Truthy(id) {
			ids = append(ids, text(id))
		}
	}
	var o destkit.JSObject
	o.Assign(p, func(k string) bool { return k == "products" || k == "discount_code" })
	o.Set("purchase_datetime", unixSeconds(p.Get("purchase_datetime")))
	o.SetString("product_column", strings.Join(ids, "|"))
	o.SetString("discount_code", strings.Join(codes, "|"))
	o.Write(w)
	return nil
}

// text is a value as Array.prototype.join prints it.
func text(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeNumber:
		return jsvalue.FormatNumber(v.GetFloat64())
	case fastjson.TypeTrue:
		return "true"
	case fastjson.TypeFalse:
		return "false"
	case fastjson.TypeObject:
		return "[object Object]"
	}
	return string(destkit.AppendValue(nil, v))
}
