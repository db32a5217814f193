package segment

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendPage records a web page view.
var SendPage = &destkit.Action{
	Key:                 "sendPage",
	Title:               "Send Page",
	Description:         "Send a page call: record a website page view.",
	DefaultSubscription: `type = "page"`,
	Fields: []destkit.Field{userID, anonymousID, timestamp, pageName, pageCategory, application, campaignParameters,
		device, ipAddress, locale, location, network, operatingSystem, page, screen, userAgent, timezone, groupID,
		properties, messageID, consent},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return publish(in, "page", func(w *destkit.JSONWriter, p *fastjson.Value) {
			w.Field("name", p.Get("page_name"))
			w.Field("category", p.Get("page_category"))
			w.Field("properties", p.Get("properties"))
		})
	},
}
