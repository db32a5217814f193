package mixpanel

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// IdentifyUser links an anonymous ID to a user and sets profile properties.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Merge the anonymous and known user, and set user profile properties.",
	DefaultSubscription: `type = "identify"`,
	Fields:              []destkit.Field{ip, userIDAlt, anonymousIDAlt, traits},
	Perform:             identifyUser,
}

func identifyUser(in *destkit.Input) ([]destkit.Request, error) {
	p, s := in.Payload, in.Settings
	host := apiHost(s)
	var reqs []destkit.Request
	userID, anonID := p.Get("user_id"), p.Get("anonymous_id")
	if userID != nil && anonID != nil {
		// $identify merges the anonymous history into the known user.
		w := destkit.NewJSONWriter(nil)
		w.ArrayStart()
		w.ObjectStart()
		w.Key("event")
		w.String("$identify")
		w.Key("properties")
		w.ObjectStart()
		w.Key("$identified_id")
		w.Value(userID)
		w.Key("$anon_id")
		w.Value(anonID)
		w.Key("token")
		w.String(s.Str("projectToken"))
		w.ObjectEnd()
		w.ObjectEnd()
		w.ArrayEnd()
		reqs = append(reqs, destkit.NewJSONRequest("POST", host+"/track", w.Bytes()))
	}
	distinct := userID
	if distinct == nil {
		distinct = anonID
	}
	if traits := p.GetObject("traits"); traits != nil && traits.Len() > 0 && distinct != nil {
		reqs = append(reqs, engage(s, distinct, p.Get("ip"), "$set", p.Get("traits")))
	}
	return reqs, nil
}

// engage builds one profile update with the given operation ($set, $add).
func engage(s *destkit.Settings, distinct, ip *fastjson.Value, op string, value *fastjson.Value) destkit.Request {
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	w.ObjectStart()
	w.Key("$token")
	w.String(s.Str("projectToken"))
	w.Key("$distinct_id")
	w.Value(distinct)
	w.Field("$ip", ip)
	w.Key(op)
	w.Value(value)
	w.ObjectEnd()
	w.ArrayEnd()
	return destkit.NewJSONRequest("POST", apiHost(s)+"/engage", w.Bytes())
}
