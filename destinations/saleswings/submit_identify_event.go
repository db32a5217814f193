package saleswings

import "github.com/actuate/actuate/destinations/destkit"

var submitIdentifyEventPerform, submitIdentifyEventBatch = submitter("identify", "kind", "data", "email")

// SubmitIdentifyEvent submits identify events.
var SubmitIdentifyEvent = &destkit.Action{
	Key:                 "submitIdentifyEvent",
	Title:               "Submit Identify Event",
	Description:         "Send an identify event to SalesWings.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "kind", Label: "Custom Event Kind", Type: destkit.String, Required: true,
			Default:     `"Identify"`,
			Description: "Kind of the custom event, as SalesWings shows it (Track, Identify, Screen, ...)."},
		{Key: "data", Label: "Custom Event Data", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.traits.email"}`,
			Description: "What the custom event is about: the event name, email or screen name."},
		{Key: "userID", Label: "Segment User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Segment user ID of the lead."},
		{Key: "anonymousID", Label: "Segment Anonymous User ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Segment anonymous ID of the visitor."},
		{Key: "email", Label: "Email", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "Email address of the lead."},
		{Key: "url", Label: "URL", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.properties.url"},"then":{"@path":"$.properties.url"},"else":{"@path":"$.context.page.url"}}}`,
			Description: "URL of the page the event happened on."},
		{Key: "referrerUrl", Label: "Referrer URL", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.properties.referrer"},"then":{"@path":"$.properties.referrer"},"else":{"@path":"$.context.page.referrer"}}}`,
			Description: "URL of the page that referred the visitor."},
		{Key: "userAgent", Label: "User Agent", Type: destkit.String,
			Default:     `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the visitor's browser."},
		{Key: "timestamp", Label: "Event Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "values", Label: "Custom Attribute Values", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Custom attributes of the event, as key-value pairs."},
	},
	Batch:        batch,
	Perform:      submitIdentifyEventPerform,
	PerformBatch: submitIdentifyEventBatch,
}
