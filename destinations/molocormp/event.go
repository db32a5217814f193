package molocormp

import (
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// perform returns the Perform of an action sending events of eventType.
func perform(eventType string) func(in *destkit.Input) ([]destkit.Request, error) {
	return func(in *destkit.Input) ([]destkit.Request, error) {
		u, err := endpoint(in.Settings)
		if err != nil {
			return nil, err
		}
		body, err := event(eventType, in.Payload, in.Settings)
		if err != nil {
			return nil, err
		}
		return []destkit.Request{destkit.NewJSONRequest("POST", u, body)}, nil
	}
}

// event writes Moloco's event for payload p.
func event(eventType string, p *fastjson.Value, s *destkit.Settings) ([]byte, error) {
	if p.Get("timestamp") == nil {
		return nil, destkit.ValidationErrorf("timestamp", "The field timestamp is required.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.StringField("event_type", eventType)
	w.StringField("channel_type", s.Str("channel_type"))
	w.Field("timestamp", p.Get("timestamp"))
	w.Field("id", p.Get("event_id"))
	w.Field("user_id", p.Get("user_id"))
	if d := p.Get("device"); d != nil && d.Type() == fastjson.TypeObject {
		w.Key("device")
		w.ObjectStart()
		if os := d.GetStringBytes("os"); len(os) > 0 {
			name := strings.ToUpper(string(os))
			if name == "IPADOS" {
				name = "IOS"
			}
			w.StringField("os", name)
		}
		for _, k := range []string{"os_version", "advertising_id", "unique_device_id", "model", "ua", "language", "ip"} {
			w.Field(k, d.Get(k))
		}
		w.ObjectEnd()
	}
	w.Field("session_id", p.Get("session_id"))
	writeMoney(w, "revenue", p.Get("revenue"))
	w.Field("search_query", p.Get("search_query"))
	w.Field("referrer_page_id", p.Get("referrer_page_id"))
	writeMoney(w, "shipping_charge", p.Get("shipping_charge"))
	if items := p.GetArray("items"); p.Get("items") != nil {
		w.Key("items")
		w.ArrayStart()
		for i, item := range items {
			if err := writeItem(w, item, p.Get("default_currency"), i); err != nil {
				return nil, err
			}
		}
		w.ArrayEnd()
	}
	if id := p.Get("page_id"); len(id.GetStringBytes()) > 0 {
		w.Field("page_id", id)
	} else if tokens := p.GetObject("page_identifier_tokens"); tokens != nil {
		var b strings.Builder
		tokens.Visit(func(k []byte, v *fastjson.Value) {
			if b.Len() > 0 {
				b.WriteByte(';')
			}
			b.Write(k)
			b.WriteByte(':')
			b.WriteString(destkit.JSString(v))
		})
		w.Key("page_id")
		w.String(b.String())
	}
	w.ObjectEnd()
	return w.Bytes(), nil
}

// writeMoney writes {amount, currency} from a {price, currency} object.
func writeMoney(w *destkit.JSONWriter, key string, v *fastjson.Value) {
	if v == nil || v.Type() != fastjson.TypeObject {
		return
	}
	w.Key(key)
	w.ObjectStart()
	w.Field("amount", v.Get("price"))
	w.Field("currency", v.Get("currency"))
	w.ObjectEnd()
}

// writeItem writes {id, quantity, seller_id, price}; the price needs a
// currency, the item's or the default, and a currency needs a price.
func writeItem(w *destkit.JSONWriter, item, defaultCurrency *fastjson.Value, i int) error {
	currency := item.Get("currency")
	if currency == nil {
		currency = defaultCurrency
	}
	price := item.Get("price")
	if (price == nil) != (currency == nil) {
		return destkit.ValidationErrorf("items["+strconv.Itoa(i)+"].price", "Price and Currency/Default Currency should be both present or both absent.")
	}
	w.ObjectStart()
	w.Field("id", item.Get("id"))
	w.Field("quantity", item.Get("quantity"))
	w.Field("seller_id", item.Get("seller_id"))
	if price != nil && destkit.Truthy(price) && destkit.Truthy(currency) {
		w.Key("price")
		w.ObjectStart()
		w.Field("amount", price)
		w.Field("currency", currency)
		w.ObjectEnd()
	}
	w.ObjectEnd()
	return nil
}
