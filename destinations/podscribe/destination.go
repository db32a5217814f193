// Package podscribe reports page views and conversions to Podscribe, which
// attributes them to podcast ad downloads.
//
// Each event is one GET of https://verifi.podscribe.com/tag with the event
// in the query string, like Podscribe's pixel: action, advertiser and user
// from the settings, timestamp, device ID, referrer, URL, IP and user agent,
// the order fields of conversions, the email hashed with SHA-256 after
// normalisation (lower case; for gmail.com, dots and any +suffix removed
// from the local part), and the Segment library and remaining properties as
// JSON. As in Segment's implementation, which this package follows (the
// pixel endpoint has no public reference), parameters whose value is
// falsy (absent, empty, 0 or false) are left out, and the query is encoded
// as the browsers' URLSearchParams encodes it.
package podscribe

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

const tagURL = "https://verifi.podscribe.com/tag"

// Definition is the Podscribe destination.
var Definition = &destkit.Definition{
	Slug:        "podscribe",
	SegmentSlug: "actions-podscribe",
	Name:        "Podscribe (Actions)",
	Description: "Send page views and conversions to Podscribe to measure podcast advertising.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "advertiser", Label: "Advertiser", Type: destkit.String, Required: true,
			Description: "Your advertiser identifier at Podscribe."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Description: "Your Podscribe user ID, when Podscribe gave you one."},
	},
	Actions: []*destkit.Action{Track, Page},
	Presets: []destkit.Preset{
		{Name: "Order Completed Calls", Action: "track", Trigger: `type = "track" and event = "Order Completed"`, Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"timestamp":{"@path":"$.timestamp"},"referrer":{"@if":{"exists":{"@path":"$.context.page.referrer"},"then":{"@path":"$.context.page.referrer"},"else":{"@path":"$.properties.referrer"}}},"url":{"@if":{"exists":{"@path":"$.context.page.url"},"then":{"@path":"$.context.page.url"},"else":{"@path":"$.properties.url"}}},"ip":{"@path":"$.context.ip"},"library":{"@path":"$.context.library"},"userAgent":{"@path":"$.context.userAgent"},"email":{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}},"properties":{"total":{"@path":"$.properties.total"},"order_id":{"@path":"$.properties.order_id"},"currency":{"@path":"$.properties.currency"},"coupon":{"@path":"$.properties.coupon"},"num_items_purchased":{"@path":"$.properties.num_items_purchased"},"is_new_customer":{"@path":"$.properties.is_new_customer"},"is_subscription":{"@path":"$.properties.is_subscription"}},"podscribeEvent":"purchase"}`},
		{Name: "Signed Up Calls", Action: "track", Trigger: `type = "track" and event = "Signed Up"`, Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"timestamp":{"@path":"$.timestamp"},"referrer":{"@if":{"exists":{"@path":"$.context.page.referrer"},"then":{"@path":"$.context.page.referrer"},"else":{"@path":"$.properties.referrer"}}},"url":{"@if":{"exists":{"@path":"$.context.page.url"},"then":{"@path":"$.context.page.url"},"else":{"@path":"$.properties.url"}}},"ip":{"@path":"$.context.ip"},"library":{"@path":"$.context.library"},"userAgent":{"@path":"$.context.userAgent"},"email":{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}},"properties":{"total":{"@path":"$.properties.total"},"order_id":{"@path":"$.properties.order_id"},"currency":{"@path":"$.properties.currency"},"coupon":{"@path":"$.properties.coupon"},"num_items_purchased":{"@path":"$.properties.num_items_purchased"},"is_new_customer":{"@path":"$.properties.is_new_customer"},"is_subscription":{"@path":"$.properties.is_subscription"}},"podscribeEvent":"signup"}`},
		{Name: "Page Calls", Action: "page", Trigger: `type = "page"`, Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"timestamp":{"@path":"$.timestamp"},"referrer":{"@if":{"exists":{"@path":"$.context.page.referrer"},"then":{"@path":"$.context.page.referrer"},"else":{"@path":"$.properties.referrer"}}},"url":{"@if":{"exists":{"@path":"$.context.page.url"},"then":{"@path":"$.context.page.url"},"else":{"@path":"$.properties.url"}}},"ip":{"@path":"$.context.ip"},"library":{"@path":"$.context.library"},"userAgent":{"@path":"$.context.userAgent"}}`},
	},
}

// query accumulates parameters in order, skipping falsy values as
// Segment's serializer does.
type query struct{ b []byte }

func (q *query) add(k string, v []byte) {
	if len(v) == 0 {
		return
	}
	if len(q.b) > 0 {
		q.b = append(q.b, '&')
	}
	q.b = appendFormEscaped(q.b, k)
	q.b = append(q.b, '=')
	q.b = appendFormEscaped(q.b, string(v))
}

// addValue adds a payload value as JavaScript's String(v) renders it;
// falsy values (null, false, 0, "") are skipped.
func (q *query) addValue(k string, v *fastjson.Value) {
	if v == nil {
		return
	}
	switch v.Type() {
	case fastjson.TypeString:
		q.add(k, v.GetStringBytes())
	case fastjson.TypeNumber:
		if f := v.GetFloat64(); f != 0 && f == f {
			q.add(k, destkit.AppendJSNumber(nil, f))
		}
	case fastjson.TypeTrue:
		q.add(k, []byte("true"))
	case fastjson.TypeObject, fastjson.TypeArray:
		// Only library and properties are objects, and they are sent as
		// JSON by the callers; anything else would be "[object Object]".
		q.add(k, destkit.AppendValue(nil, v))
	}
}

// appendFormEscaped escapes s the way URLSearchParams serialises: bytes
// other than ASCII letters, digits and *-._ are percent-encoded, and a
// space becomes '+'.
func appendFormEscaped(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '*', c == '-', c == '.', c == '_':
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

// addCommon adds the parameters both actions send, in Segment's order up
// to the user agent.
func addCommon(q *query, in *destkit.Input, action string) {
	p := in.Payload
	q.add("action", []byte(action))
	q.add("advertiser", []byte(in.Settings.Str("advertiser")))
	q.add("user_id", []byte(in.Settings.Str("userId")))
	q.addValue("timestamp", p.Get("timestamp"))
	q.addValue("device_id", p.Get("anonymousId"))
	q.addValue("referrer", p.Get("referrer"))
	q.addValue("url", p.Get("url"))
	q.addValue("ip", p.Get("ip"))
	q.addValue("user_agent", p.Get("userAgent"))
}

func checkRequired(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The root value is missing the required field '%s'.", k)
		}
	}
	return nil
}

func tag(q *query) []destkit.Request {
	return []destkit.Request{{Method: "GET", URL: tagURL + "?" + string(q.b)}}
}

// normalizeEmail is Podscribe's email normalisation before hashing.
func normalizeEmail(email string) string {
	email = strings.ToLower(jsvalue.Trim(email))
	if local, ok := strings.CutSuffix(email, "@gmail.com"); ok {
		local, _, _ = strings.Cut(strings.ReplaceAll(local, ".", ""), "+")
		return local + "@gmail.com"
	}
	return email
}
