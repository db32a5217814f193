package saleswings

import "github.com/actuate/actuate/destinations/destkit"

var submitPageEventPerform, submitPageEventBatch = submitter("page", "url")

// SubmitPageEvent submits page events.
var SubmitPageEvent = &destkit.Action{
	Key:                 "submitPageEvent",
	Title:               "Submit Page Event",
	Description:         "Send a page view to SalesWings.",
	DefaultSubscription: `type = "page"`,
	Fields: []destkit.Field{
		{Key: "userID", Label: "Segment User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Segment user ID of the lead."},
		{Key: "anonymousID", Label: "Segment Anonymous User ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Segment anonymous ID of the visitor."},
		{Key: "url", Label: "URL", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.properties.url"},"then":{"@path":"$.properties.url"},"else":{"@path":"$.context.page.url"}}}`,
			Description: "URL of the page viewed."},
		{Key: "referrerUrl", Label: "Referrer URL", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.properties.referrer"},"then":{"@path":"$.properties.referrer"},"else":{"@path":"$.context.page.referrer"}}}`,
			Description: "URL of the page that referred the visitor."},
		{Key: "userAgent", Label: "User Agent", Type: destkit.String,
			Default:     `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the visitor's browser."},
		{Key: "timestamp", Label: "Event Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
	},
	Batch:        batch,
	Perform:      submitPageEventPerform,
	PerformBatch: submitPageEventBatch,
}
