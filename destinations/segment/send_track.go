package segment

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendTrack records an action a user performed.
var SendTrack = &destkit.Action{
	Key:                 "sendTrack",
	Title:               "Send Track",
	Description:         "Send a track call: record something a user did, with its properties.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{userID, anonymousID, timestamp, eventName, application, campaignParameters, device,
		ipAddress, locale, location, network, operatingSystem, page, screen, userAgent, timezone, groupID, properties,
		traits, messageID, consent},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return publish(in, "track", func(w *destkit.JSONWriter, p *fastjson.Value) {
			w.Field("event", p.Get("event_name"))
			w.Key("properties")
			writeMerged(w, nil, p.GetObject("properties"))
		})
	},
}
