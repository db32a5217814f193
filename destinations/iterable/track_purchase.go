package iterable

import "github.com/actuate/actuate/destinations/destkit"

// TrackPurchase records a completed order.
var TrackPurchase = &destkit.Action{
	Key:                 "trackPurchase",
	Title:               "Track Purchase",
	Description:         "Record a purchase for an Iterable user.",
	DefaultSubscription: `type = "track" and event = "Order Completed"`,
	Fields: []destkit.Field{
		{Key: "id", Label: "Order ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.order_id"}`,
			Description: "Id of the purchase; a purchase with the same id is updated, and Iterable makes one up when unset."},
		commerceUser(emailField, userIDField, userDataField, mergeField, phoneField),
		eventDataField,
		itemsField,
		{Key: "total", Label: "Total", Type: destkit.Number, Required: true,
			Default:     `{"@path":"$.properties.total"}`,
			Description: "Total amount of the purchase."},
		createdAtField,
		campaignField,
		templateField,
	},
	Perform: trackPurchase,
}

func trackPurchase(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	user := p.Get("user")
	if err := requireUser(user, "user"); err != nil {
		return nil, err
	}
	list := p.GetArray("items")
	if len(list) == 0 {
		return nil, destkit.ValidationErrorf("items", "The field items is required.")
	}
	if p.Get("total") == nil {
		return nil, destkit.ValidationErrorf("total", "The field total is required.")
	}
	data := p.Get("dataFields")
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	spread(w, p.GetObject(), nil, plain,
		member{"user", writeCommerceUser(user)},
		member{"items", items(list)},
		member{"createdAt", unixSeconds(p.Get("createdAt"))},
		// The products are already the items.
		member{"dataFields", func(w *destkit.JSONWriter) { spread(w, data.GetObject(), []string{"products"}, withDates) }})
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/api/commerce/trackPurchase"), w.Bytes())}, nil
}
