package podscribe

import "github.com/actuate/actuate/destinations/destkit"

// Page reports a page view.
var Page = &destkit.Action{
	Key:                 "page",
	Title:               "Page",
	Description:         "Report a page view to Podscribe.",
	DefaultSubscription: `type = "page"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor; sent as the device ID."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the page was viewed."},
		{Key: "referrer", Label: "Page Referrer", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.context.page.referrer"},"then":{"@path":"$.context.page.referrer"},"else":{"@path":"$.properties.referrer"}}}`,
			Description: "Referrer of the page."},
		{Key: "url", Label: "Page URL", Type: destkit.String, AllowNull: true, Format: "uri",
			Default:     `{"@if":{"exists":{"@path":"$.context.page.url"},"then":{"@path":"$.context.page.url"},"else":{"@path":"$.properties.url"}}}`,
			Description: "URL of the page."},
		{Key: "ip", Label: "User IP address", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the visitor, which Podscribe matches against podcast downloads."},
		{Key: "library", Label: "Segment Library", Type: destkit.Object,
			Default:     `{"@path":"$.context.library"}`,
			Description: "The Segment library that sent the page call."},
		{Key: "userAgent", Label: "User Agent", Type: destkit.String,
			Default:     `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the visitor's browser."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		if err := checkRequired(in.Payload, "timestamp", "ip"); err != nil {
			return nil, err
		}
		var q query
		addCommon(&q, in, "view")
		q.addValue("library", in.Payload.Get("library"))
		return tag(&q), nil
	},
}
