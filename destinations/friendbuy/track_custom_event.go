package friendbuy

import "github.com/actuate/actuate/destinations/destkit"

// TrackCustomEvent records any other event, with its properties.
var TrackCustomEvent = &destkit.Action{
	Key:         "trackCustomEvent",
	Title:       "Track Custom Event",
	Description: "Record a custom event in Friendbuy with its properties.",
	Fields: withContext(
		destkit.Field{Key: "eventType", Label: "Event Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Type (name) of the custom event."},
		destkit.Field{Key: "eventProperties", Label: "Event Properties", Type: destkit.Object, Required: true,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event; each is sent among the additional properties unless it names a Friendbuy field."},
		destkit.Field{Key: "deduplicationId", Label: "Event ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.deduplicationId"}`,
			Description: "Id of the event, which Friendbuy uses to drop duplicates."},
		destkit.Field{Key: "customerId", Label: "Customer ID", Type: destkit.String, Required: true,
			Default:     customerIDDefault,
			Description: "Your id of the customer; sent among the additional properties."},
		anonymousIDField,
		destkit.Field{Key: "email", Label: "Email", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.email"}`,
			Description: "Email address of the customer."},
	),
	Run: run(customEventMapping, "eventProperties", "v1/event/custom"),
}

// customEventMapping is how a custom event is sent; its properties are
// spread beneath the payload first.
var customEventMapping = &mapping{additional: true, members: members(map[string]member{
	"eventType":       keep,
	"deduplicationId": keep,
	"coupon":          {name: "couponCode"},
	"attributionId":   keep,
	"referralCode":    keep,
	"email":           keep,
	"firstName":       keep,
	"lastName":        keep,
	"isNewCustomer":   keep,
})}
