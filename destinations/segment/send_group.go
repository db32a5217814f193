package segment

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendGroup associates a user with an account or group.
var SendGroup = &destkit.Action{
	Key:                 "sendGroup",
	Title:               "Send Group",
	Description:         "Send a group call: associate a user with a group and record the group's traits.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{userID, anonymousID, requiredGroupID, timestamp, application, campaignParameters, device,
		ipAddress, locale, location, network, operatingSystem, page, screen, userAgent, timezone, traits, messageID,
		consent},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return publish(in, "group", func(w *destkit.JSONWriter, p *fastjson.Value) {
			w.Field("groupId", p.Get("group_id"))
			writeTraits(w, p, nil)
		})
	},
}
