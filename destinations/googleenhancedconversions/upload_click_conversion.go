package googleenhancedconversions

import (
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// clickFields are the fields of both click conversion actions.
var clickFields = []destkit.Field{
	conversionActionField,
	{Key: "gclid", Label: "GCLID", Type: destkit.String,
		Description: "Google click ID (gclid) of the ad click that led to the conversion."},
	{Key: "gbraid", Label: "GBRAID", Type: destkit.String,
		Description: "Click ID of an app conversion from iOS 14.5+ users (gbraid)."},
	{Key: "wbraid", Label: "WBRAID", Type: destkit.String,
		Description: "Click ID of a web conversion from iOS 14.5+ users (wbraid)."},
	{Key: "user_ip_address", Label: "User IP Address", Type: destkit.String, Default: `{"@path":"$.context.ip"}`,
		Description: "IP address of the user at the time of the conversion."},
	{Key: "session_attributes_encoded", Label: "Session Attributes (Encoded)", Type: destkit.String, Default: `{"@path":"$.integrations.Google Ads Conversions.session_attributes_encoded"}`,
		Description: "Session attributes captured on the page by Google's tag, as the encoded string it produced; takes precedence over the key-value pairs."},
	{Key: "session_attributes_key_value_pairs", Label: "Session Attributes (Key Value Pairs)", Type: destkit.Object, Default: `{"gad_source":{"@path":"$.properties.gad_source"},"gad_campaignid":{"@path":"$.properties.gad_campaignid"},"landing_page_url":{"@path":"$.context.page.url"},"session_start_time_usec":{"@path":"$.properties.session_start_time_usec"},"landing_page_referrer":{"@path":"$.context.page.referrer"},"landing_page_user_agent":{"@path":"$.context.userAgent"}}`, Properties: []destkit.Field{
		{Key: "gad_source", Label: "GAD Source", Type: destkit.String,
			Description: "gad_source URL parameter of the landing page."},
		{Key: "gad_campaignid", Label: "GAD Campaign ID", Type: destkit.String,
			Description: "gad_campaignid URL parameter of the landing page."},
		{Key: "landing_page_url", Label: "Landing Page URL", Type: destkit.String,
			Description: "Full URL of the landing page."},
		{Key: "session_start_time_usec", Label: "Session Start Time", Type: destkit.String, Format: "date-time",
			Description: "When the session began, as an ISO 8601 date and time; sent as microseconds since the epoch."},
		{Key: "landing_page_referrer", Label: "Landing Page Referrer", Type: destkit.String,
			Description: "Referrer of the landing page."},
		{Key: "landing_page_user_agent", Label: "Landing Page User Agent", Type: destkit.String,
			Description: "User agent of the browser on the landing page."},
	},
		Description: "Session attributes as separate values, used when no encoded string is given."},
	conversionTimestampField,
	emailAddressField,
	phoneCountryCodeField,
	phoneNumberField,
	orderIDField,
	valueField,
	currencyField,
	{Key: "conversion_environment", Label: "Conversion Environment", Type: destkit.String, Choices: destkit.ChoiceValues("APP", "WEB", "UNSPECIFIED"),
		Description: "Environment in which the conversion happened."},
	{Key: "merchant_id", Label: "Merchant Center ID", Type: destkit.String,
		Description: "Merchant Center ID of the items' feed (cart data)."},
	{Key: "merchant_country_code", Label: "Merchant Center Feed Country Code", Type: destkit.String,
		Description: "Country code of the Merchant Center feed."},
	{Key: "merchant_language_code", Label: "Merchant Center Feed Language Code", Type: destkit.String,
		Description: "Language code of the Merchant Center feed."},
	{Key: "local_cost", Label: "Local Transaction Cost", Type: destkit.Number,
		Description: "Sum of the transaction's discounts at the cart level."},
	{Key: "items", Label: "Items", Type: destkit.Object, Multiple: true, Default: `{"@arrayPath":["$.properties.products",{"product_id":{"@path":"$.product_id"},"quantity":{"@path":"$.quantity"},"price":{"@path":"$.price"}}]}`, Properties: []destkit.Field{
		{Key: "product_id", Label: "Product ID", Type: destkit.String,
			Description: "Merchant Center product ID of the item."},
		{Key: "quantity", Label: "Quantity", Type: destkit.Number,
			Description: "Number of units."},
		{Key: "price", Label: "Price", Type: destkit.Number,
			Description: "Price of one unit."},
	},
		Description: "Items of the cart."},
	customVariablesField,
	adUserDataConsentField,
	adPersonalizationConsentField,
	enableBatchingField,
	batchSizeField,
}

// clickUpload uploads click conversions (uploadClickConversions).
var clickUpload = &upload{method: "uploadClickConversions", list: "conversions", write: writeClickConversion}

// UploadClickConversion sends offline click conversions.
var UploadClickConversion = clickUpload.action("uploadClickConversion", "Upload Click Conversion",
	"Upload an offline click conversion to the Google Ads API.",
	clickFields)

// writeClickConversion writes one ClickConversion. Undefined values are
// left out, as JSON.stringify leaves them out of Segment's object.
func writeClickConversion(w *destkit.JSONWriter, p *fastjson.Value, cid string, vars customVariables) error {
	w.ObjectStart()
	w.Key("conversionAction")
	w.String(conversionAction(cid, p))
	writeTimestamp(w, "conversionDateTime", p.Get("conversion_timestamp"))
	w.Field("gclid", p.Get("gclid"))
	w.Field("gbraid", p.Get("gbraid"))
	w.Field("wbraid", p.Get("wbraid"))
	if ip := p.Get("user_ip_address"); destkit.Truthy(ip) {
		w.Field("userIpAddress", ip)
	}
	if enc := p.Get("session_attributes_encoded"); destkit.Truthy(enc) {
		w.Field("sessionAttributesEncoded", enc)
	} else {
		writeSessionAttributes(w, p.Get("session_attributes_key_value_pairs"))
	}
	w.Field("orderId", p.Get("order_id"))
	w.Field("conversionValue", p.Get("value"))
	w.Field("currencyCode", p.Get("currency"))
	w.Field("conversionEnvironment", p.Get("conversion_environment"))
	w.Key("cartData")
	w.ObjectStart()
	w.Field("merchantId", p.Get("merchant_id"))
	w.Field("feedCountryCode", p.Get("merchant_country_code"))
	w.Field("feedLanguageCode", p.Get("merchant_language_code"))
	w.Field("localTransactionCost", p.Get("local_cost"))
	w.Key("items")
	w.ArrayStart()
	for _, item := range p.GetArray("items") {
		w.ObjectStart()
		w.Field("productId", item.Get("product_id"))
		w.Field("quantity", item.Get("quantity"))
		w.Field("unitPrice", item.Get("price"))
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	w.Key("userIdentifiers")
	w.ArrayStart()
	if _, err := writeEmailPhone(w, p, "email_address", "phone_number"); err != nil {
		return err
	}
	w.ArrayEnd()
	writeConsent(w, p)
	writeCustomVariables(w, p, vars)
	w.ObjectEnd()
	return nil
}

// sessionAttributeKeys are the key-value session attributes, in Segment's order.
var sessionAttributeKeys = []string{"gad_source", "gad_campaignid", "landing_page_url", "session_start_time_usec", "landing_page_referrer", "landing_page_user_agent"}

// writeSessionAttributes writes sessionAttributesKeyValuePairs from the
// attributes that have a value; the session start becomes microseconds
// since the epoch.
func writeSessionAttributes(w *destkit.JSONWriter, attrs *fastjson.Value) {
	if attrs == nil {
		return
	}
	type pair struct {
		key   string
		value *fastjson.Value
		text  string
	}
	var pairs []pair
	for _, k := range sessionAttributeKeys {
		v := attrs.Get(k)
		if v == nil || v.Type() == fastjson.TypeNull || (v.Type() == fastjson.TypeString && len(v.GetStringBytes()) == 0) {
			continue
		}
		if k == "session_start_time_usec" {
			if v.Type() != fastjson.TypeString {
				continue
			}
			t, ok := destkit.ParseJSDateString(string(v.GetStringBytes()))
			if !ok {
				continue
			}
			pairs = append(pairs, pair{key: k, text: strconv.FormatInt(t.UnixMilli()*1000, 10)})
			continue
		}
		pairs = append(pairs, pair{key: k, value: v})
	}
	if len(pairs) == 0 {
		return
	}
	w.Key("sessionAttributesKeyValuePairs")
	w.ObjectStart()
	w.Key("keyValuePairs")
	w.ArrayStart()
	for _, pr := range pairs {
		w.ObjectStart()
		w.Key("sessionAttributeKey")
		w.String(pr.key)
		w.Key("sessionAttributeValue")
		if pr.value != nil {
			w.Value(pr.value)
		} else {
			w.String(pr.text)
		}
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
}
