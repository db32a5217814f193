package vwo

import "github.com/actuate/actuate/destinations/destkit"

// PageVisit sends a page call as the event "segment.pageView".
var PageVisit = &destkit.Action{
	Key:                 "pageVisit",
	Title:               "Page Visit",
	Description:         "Send a page call to VWO as the event segment.pageView, with the page's URL.",
	DefaultSubscription: `type = "page"`,
	Fields: []destkit.Field{
		{Key: "url", Label: "Page URL", Type: destkit.String, Default: `{"@path":"$.context.page.url"}`,
			Description: "URL of the page visited."},
		vwoUUIDField("$.properties.vwo_uuid"),
		pageField, ipField, userAgentField, timestampField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		ev := event{name: "segment.pageView", after: func(props *destkit.JSObject) { props.SetValue("url", p.Get("url")) }}
		r, err := ev.request(p, in.Settings)
		if err != nil {
			return nil, err
		}
		return []destkit.Request{r}, nil
	},
}
