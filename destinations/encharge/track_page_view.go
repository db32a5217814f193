package encharge

import "github.com/actuate/actuate/destinations/destkit"

// TrackPageView sends a page view.
var TrackPageView = &destkit.Action{
	Key:                 "trackPageView",
	Title:               "Track Page View",
	Description:         "Send a page view to Encharge.",
	DefaultSubscription: `type = "page"`,
	Fields: withCommon(
		destkit.Field{Key: "properties", Label: "Page View Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Custom properties of the page view; URL, title, referrer, path and search come from the page field."},
		userFields,
	),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return []destkit.Request{destkit.NewJSONRequest("POST", ingestURL, ingestBody(in.Payload, "userFields"))}, nil
	},
}
