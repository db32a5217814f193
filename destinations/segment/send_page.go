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
			// The page's name, category and location go in properties, as
			// Segment sends them; mapped properties win.
			w.Field("name", p.Get("page_name"))
			pg := p.Get("page")
			w.Key("properties")
			writeMerged(w, []member{{"name", p.Get("page_name")}, {"category", p.Get("page_category")},
				{"path", pg.Get("path")}, {"referrer", pg.Get("referrer")}, {"search", pg.Get("search")},
				{"title", pg.Get("title")}, {"url", pg.Get("url")}}, p.GetObject("properties"))
		})
	},
}
