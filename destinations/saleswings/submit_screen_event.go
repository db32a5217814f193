package saleswings

import "github.com/actuate/actuate/destinations/destkit"

var submitScreenEventPerform, submitScreenEventBatch = submitter("screen", "kind", "data")

// SubmitScreenEvent submits screen events.
var SubmitScreenEvent = &destkit.Action{
	Key:                 "submitScreenEvent",
	Title:               "Submit Screen Event",
	Description:         "Send a screen view to SalesWings.",
	DefaultSubscription: `type = "screen"`,
	Fields: []destkit.Field{
		{Key: "kind", Label: "Custom Event Kind", Type: destkit.String, Required: true,
			Default:     `"Screen"`,
			Description: "Kind of the custom event, as SalesWings shows it (Track, Identify, Screen, ...)."},
		{Key: "data", Label: "Custom Event Data", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.name"}`,
			Description: "What the custom event is about: the event name, email or screen name."},
		{Key: "userID", Label: "Segment User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Segment user ID of the lead."},
		{Key: "anonymousID", Label: "Segment Anonymous User ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Segment anonymous ID of the visitor."},
		{Key: "email", Label: "Email", Type: destkit.String,
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
			Default:     `{"@path":"$.properties"}`,
			Description: "Custom attributes of the event, as key-value pairs."},
	},
	Batch:        batch,
	Perform:      submitScreenEventPerform,
	PerformBatch: submitScreenEventBatch,
}
