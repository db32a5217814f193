package talonone

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateCustomerSession is the deprecated session update: the session
// nested in customerSession, with attribute types for the session and its
// cart items.
var UpdateCustomerSession = &destkit.Action{
	Key:         "updateCustomerSession",
	Title:       "[Deprecated] Update customer session",
	Description: "Update a customer session. Deprecated: use Update customer session.",
	Fields: slices.Concat(callbackFields, []destkit.Field{
		{Key: "customerSession", Label: "Customer Session Data", Type: destkit.Object, Required: true,
			Properties: []destkit.Field{
				profileIDField, couponCodesField, referralCodeField, loyaltyCardsField, stateField,
				cartItemsField, sessionCostsField, sessionAttributesField,
			},
			Description: "The session: profile, coupons, referral code, loyalty cards, state, cart items, costs and attributes."},
		attributesInfo("sessionAttributesInfo", "Session Attributes info", "$.properties.attributesInfo", true,
			"Types of session attributes to send."),
		attributesInfo("cartItemsAttributesInfo", "Cart Items Attributes info", "$.properties.attributesInfo", true,
			"Types of cart item attributes to send."),
	}),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		id, err := requiredString(p, "customerSessionId")
		if err != nil {
			return nil, err
		}
		session := p.Get("customerSession")
		if session == nil || session.Type() != fastjson.TypeObject {
			return nil, destkit.ValidationErrorf("customerSession", "The field \"customerSession\" is required.")
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.Field("customerSession", session)
		w.Field("sessionAttributesInfo", p.Get("sessionAttributesInfo"))
		w.Field("cartItemAttributesInfo", p.Get("cartItemsAttributesInfo"))
		w.ObjectEnd()
		return sessionRequest(p, "/customer_sessions/", id, &w), nil
	},
}

// sessionRequest is the PUT of a session update, with the callback
// headers of the fields that are mapped.
func sessionRequest(p *fastjson.Value, path, id string, w *destkit.JSONWriter) []destkit.Request {
	rs := put(resourceURL(p, path, id), w)
	for _, h := range [...]struct{ header, field string }{
		{"X-Callback-Destination-URI", "callbackDestination"},
		{"X-Callback-API-Key", "callbackAPIKey"},
		{"X-Content-Fields", "contentFields"},
		{"X-Correlation-ID", "callbackCorrelationId"},
	} {
		if v := p.GetStringBytes(h.field); len(v) > 0 {
			rs[0].SetHeader(h.header, string(v))
		}
	}
	return rs
}
