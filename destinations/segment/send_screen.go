package segment

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendScreen records a mobile screen view.
var SendScreen = &destkit.Action{
	Key:                 "sendScreen",
	Title:               "Send Screen",
	Description:         "Send a screen call: record a mobile app screen view.",
	DefaultSubscription: `type = "screen"`,
	Fields: []destkit.Field{userID, anonymousID, timestamp, screenName, application, campaignParameters, device,
		ipAddress, locale, location, network, operatingSystem, page, screen, userAgent, timezone, groupID, properties,
		messageID, consent},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return publish(in, "screen", func(w *destkit.JSONWriter, p *fastjson.Value) {
			w.Field("name", p.Get("screen_name"))
			w.Key("properties")
			writeMerged(w, []member{{"name", p.Get("screen_name")}}, p.GetObject("properties"))
		})
	},
}
