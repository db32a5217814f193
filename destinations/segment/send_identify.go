package segment

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendIdentify records who a user is and their traits.
var SendIdentify = &destkit.Action{
	Key:                 "sendIdentify",
	Title:               "Send Identify",
	Description:         "Send an identify call: tie a user to their traits.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{userID, anonymousID, timestamp, application, campaignParameters, device, ipAddress,
		locale, location, network, operatingSystem, page, screen, userAgent, timezone, groupID, traits, messageID,
		consent, address},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return publish(in, "identify", func(w *destkit.JSONWriter, p *fastjson.Value) {
			writeTraits(w, p, p.Get("address"))
		})
	},
}

// writeTraits writes the traits object (empty when nothing is mapped), with
// the mapped address as its spec-defined address trait.
func writeTraits(w *destkit.JSONWriter, p *fastjson.Value, address *fastjson.Value) {
	traits := p.GetObject("traits")
	w.Key("traits") // always an object, as Segment sends it
	w.ObjectStart()
	if traits != nil {
		traits.Visit(func(k []byte, v *fastjson.Value) {
			if address != nil && string(k) == "address" {
				return
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.Field("address", address)
	w.ObjectEnd()
}
