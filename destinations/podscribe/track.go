package podscribe

import "github.com/actuate/actuate/destinations/destkit"

// Track reports a conversion (purchase, sign-up, ...).
var Track = &destkit.Action{
	Key:                 "track",
	Title:               "Track",
	Description:         "Report a conversion event to Podscribe.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor; sent as the device ID."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "referrer", Label: "Page Referrer", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.context.page.referrer"},"then":{"@path":"$.context.page.referrer"},"else":{"@path":"$.properties.referrer"}}}`,
			Description: "Referrer of the page the event happened on."},
		{Key: "url", Label: "Page URL", Type: destkit.String, AllowNull: true, Format: "uri",
			Default:     `{"@if":{"exists":{"@path":"$.context.page.url"},"then":{"@path":"$.context.page.url"},"else":{"@path":"$.properties.url"}}}`,
			Description: "URL of the page the event happened on."},
		{Key: "ip", Label: "User IP address", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the visitor, which Podscribe matches against podcast downloads."},
		{Key: "library", Label: "Segment Library", Type: destkit.Object,
			Default:     `{"@path":"$.context.library"}`,
			Description: "The Segment library that sent the event."},
		{Key: "userAgent", Label: "User Agent", Type: destkit.String,
			Default:     `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the visitor's browser."},
		{Key: "email", Label: "Email address", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "Email address of the visitor; normalised and hashed (SHA-256) before sending."},
		{Key: "properties", Label: "Event properties", Type: destkit.Object, AdditionalProperties: true,
			Default:     `{"total":{"@path":"$.properties.total"},"order_id":{"@path":"$.properties.order_id"},"currency":{"@path":"$.properties.currency"},"coupon":{"@path":"$.properties.coupon"},"num_items_purchased":{"@path":"$.properties.num_items_purchased"},"is_new_customer":{"@path":"$.properties.is_new_customer"},"is_subscription":{"@path":"$.properties.is_subscription"}}`,
			Description: "Properties of the event; the order fields below have parameters of their own, the rest is sent as JSON.",
			Properties: []destkit.Field{
				{Key: "total", Label: "Total Value", Type: destkit.Number,
					Description: "Order value."},
				{Key: "order_id", Label: "Order id", Type: destkit.String,
					Description: "Order number."},
				{Key: "currency", Label: "Currency", Type: destkit.String,
					Description: "Currency of the order value."},
				{Key: "coupon", Label: "Coupon", Type: destkit.String,
					Description: "Discount code used."},
				{Key: "num_items_purchased", Label: "Number of Items Purchased", Type: destkit.Integer,
					Description: "Number of items in the order."},
				{Key: "is_new_customer", Label: "Is New Customer", Type: destkit.Boolean,
					Description: "Whether the customer ordered for the first time."},
				{Key: "is_subscription", Label: "Is Subscription", Type: destkit.Boolean,
					Description: "Whether the order is a subscription."},
			}},
		{Key: "podscribeEvent", Label: "Podscribe event type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.podscribeEvent"}`,
			Description: "Podscribe event type (purchase, signup, lead, ...)."},
	},
	Perform: track,
}

// orderParams maps the declared order properties to their parameters, in
// the order Segment sends them; hashed_email goes between coupon and
// num_items_purchased.
var orderParams = [][2]string{
	{"total", "order_value"}, {"order_id", "order_number"}, {"currency", "currency"}, {"coupon", "discount_code"},
	{"", "hashed_email"},
	{"num_items_purchased", "num_items_purchased"}, {"is_new_customer", "is_new_customer"}, {"is_subscription", "is_subscription"},
}

func track(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := checkRequired(p, "timestamp", "ip", "podscribeEvent"); err != nil {
		return nil, err
	}
	var email string
	if e := string(p.GetStringBytes("email")); e != "" {
		h, ok := destkit.HashSHA256(e, normalizeEmail)
		if !ok {
			return nil, destkit.ValidationErrorf("email", "The email address is empty once normalised.")
		}
		email = h
	}
	props := p.GetObject("properties")
	var q query
	addCommon(&q, in, string(p.GetStringBytes("podscribeEvent")))
	for _, op := range orderParams {
		if op[0] == "" {
			q.add(op[1], []byte(email))
			continue
		}
		if props != nil {
			q.addValue(op[1], props.Get(op[0]))
		}
	}
	q.addValue("library", p.Get("library"))
	// The remaining properties go as one JSON object, when there are any.
	var rest destkit.JSObject
	rest.Assign(p.Get("properties"), isOrderKey)
	if b := rest.AppendJSON(nil); len(b) > 2 {
		q.add("properties", b)
	}
	return tag(&q), nil
}

func isOrderKey(k string) bool {
	for _, op := range orderParams {
		if op[0] != "" && op[0] == k {
			return true
		}
	}
	return false
}
