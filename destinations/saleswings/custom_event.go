package saleswings

import "github.com/actuate/actuate/destinations/destkit"

// customEvent is what tells SalesWings' three custom-event actions (track, identify,
// screen) apart; their fields and requests are otherwise the same.
type customEvent struct {
	key, title, description, eventType string
	kind                               string
	dataDefault, valuesDefault         destkit.JSON
	// emailRequired: identify's custom event is about the email, so it must be there.
	emailRequired bool
}

// customEventAction builds one custom-event action; its requests check "kind" and "data"
// (and "email" when required) before sending, as SalesWings' API demands.
func customEventAction(e customEvent) *destkit.Action {
	required := []string{"kind", "data"}
	if e.emailRequired {
		required = append(required, "email")
	}
	perform, performBatch := submitter(e.eventType, required...)
	return &destkit.Action{
		Key:                 e.key,
		Title:               e.title,
		Description:         e.description,
		DefaultSubscription: `type = "` + e.eventType + `"`,
		Fields: []destkit.Field{
			{Key: "kind", Label: "Custom Event Kind", Type: destkit.String, Required: true,
				Default:     destkit.JSON(`"` + e.kind + `"`),
				Description: "Kind of the custom event, as SalesWings shows it (Track, Identify, Screen, ...)."},
			{Key: "data", Label: "Custom Event Data", Type: destkit.String, Required: true,
				Default:     e.dataDefault,
				Description: "What the custom event is about: the event name, email or screen name."},
			{Key: "userID", Label: "Segment User ID", Type: destkit.String,
				Default:     `{"@path":"$.userId"}`,
				Description: "Segment user ID of the lead."},
			{Key: "anonymousID", Label: "Segment Anonymous User ID", Type: destkit.String,
				Default:     `{"@path":"$.anonymousId"}`,
				Description: "Segment anonymous ID of the visitor."},
			{Key: "email", Label: "Email", Type: destkit.String, Required: e.emailRequired,
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
				Default:     e.valuesDefault,
				Description: "Custom attributes of the event, as key-value pairs."},
		},
		Batch:        batch,
		Perform:      perform,
		PerformBatch: performBatch,
	}
}
