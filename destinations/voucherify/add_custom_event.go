package voucherify

import "github.com/actuate/actuate/destinations/destkit"

// eventNameDefault names a custom event after the event (a page's or
// screen's name when it has none).
const eventNameDefault destkit.JSON = `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.name"}}}`

// AddCustomEvent records a custom event on a customer.
var AddCustomEvent = &destkit.Action{
	Key:                 "addCustomEvent",
	Title:               "Add custom event",
	Description:         "Record a custom event on a Voucherify customer, which can trigger referral and loyalty rules.",
	DefaultSubscription: `type = "track" or type = "page" or type = "screen"`,
	Fields: []destkit.Field{
		customerField(`{"source_id":{"@path":"$.userId"},"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}}`),
		{Key: "referral", Label: "Referral Object", Type: destkit.Object,
			Default:     `{"code":{"@path":"$.properties.referral.code"},"referrer_id":{"@path":"$.properties.referral.referrer_id"}}`,
			Description: "The referral the event counts for.",
			Properties: []destkit.Field{
				{Key: "code", Label: "code", Type: destkit.String, Description: "Referral code."},
				{Key: "referrer_id", Label: "referrer_id", Type: destkit.String, Description: "Id of the referring customer."},
			}},
		{Key: "loyalty", Label: "Loyalty Object", Type: destkit.Object, Default: `{"code":{"@path":"$.properties.loyalty.code"}}`,
			Description: "The loyalty card the event counts for.",
			Properties: []destkit.Field{
				{Key: "code", Label: "code", Type: destkit.String, Description: "Loyalty card code."},
			}},
		{Key: "metadata", Label: "Track Event Metadata", Type: destkit.Object, Default: `{"@path":"$.properties.metadata"}`,
			Description: "Custom attributes of the event, as defined in Voucherify's metadata schema for events."},
		{Key: "event", Label: "Event Name", Type: destkit.String, Default: eventNameDefault,
			Description: "Name of the custom event, as defined in Voucherify."},
		typeField,
	},
	Perform: post("event"),
}

// customerField identifies the customer by source id and email.
func customerField(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "customer", Label: "Customer Object", Type: destkit.Object, Required: true, Default: def,
		Description: "The customer: source id (required) and email.",
		Properties: []destkit.Field{
			{Key: "source_id", Label: "Source ID", Type: destkit.String, Required: true, Description: "The customer's id in your systems."},
			{Key: "email", Label: "Email", Type: destkit.String, Description: "The customer's email address."},
		}}
}
