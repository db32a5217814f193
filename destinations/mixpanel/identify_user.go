package mixpanel

import (
	neturl "net/url"

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
	// As in Segment: the $identify event goes out whenever there is an
	// anonymous ID, and the profile update whenever there are traits.
	if anonID != nil {
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		w.Key("event")
		w.String("$identify")
		w.Key("properties")
		w.ObjectStart()
		w.Field("$identified_id", userID)
		w.Key("$anon_id")
		w.Value(anonID)
		w.Key("token")
		w.String(s.Str("projectToken"))
		writeSourceName(w, s)
		w.ObjectEnd()
		w.ObjectEnd()
		reqs = append(reqs, formData(host+"/track", w.Bytes()))
	}
	distinct := userID
	if distinct == nil {
		distinct = anonID
	}
	if traits := p.GetObject("traits"); traits != nil && traits.Len() > 0 {
		reqs = append(reqs, engageWith(s, distinct, p.Get("ip"), "$set", func(w *destkit.JSONWriter) { writeProfileTraits(w, traits) }))
	}
	return reqs, nil
}

// profileReserved are the traits Mixpanel knows under its own names; they are
// written as those ($email, ...) instead.
var profileReserved = map[string]bool{"created": true, "createdAt": true, "created_at": true, "email": true,
	"firstName": true, "lastName": true, "name": true, "username": true, "phone": true}

// writeProfileTraits writes traits as a $set object, reserved traits renamed.
func writeProfileTraits(w *destkit.JSONWriter, traits *fastjson.Object) {
	w.ObjectStart()
	traits.Visit(func(k []byte, v *fastjson.Value) {
		if !profileReserved[string(k)] {
			w.Key(string(k))
			w.Value(v)
		}
	})
	w.Field("$created", firstOf(traits, "created", "createdAt", "created_at"))
	w.Field("$email", traits.Get("email"))
	w.Field("$first_name", traits.Get("firstName"))
	w.Field("$last_name", traits.Get("lastName"))
	if name := traits.Get("name"); name != nil {
		w.Field("$name", name)
	} else if first, last := traits.Get("firstName"), traits.Get("lastName"); destkit.Truthy(first) && destkit.Truthy(last) {
		w.Key("$name")
		w.String(destkit.JSString(first) + " " + destkit.JSString(last))
	}
	w.Field("$username", traits.Get("username"))
	w.Field("$phone", traits.Get("phone"))
	w.ObjectEnd()
}

// firstOf returns the first of keys that is present and not null.
func firstOf(o *fastjson.Object, keys ...string) *fastjson.Value {
	for _, k := range keys {
		if v := o.Get(k); v != nil && v.Type() != fastjson.TypeNull {
			return v
		}
	}
	return nil
}

// writeSourceName adds the source name setting, when set, to event
// properties.
func writeSourceName(w *destkit.JSONWriter, s *destkit.Settings) {
	if name := s.Str("sourceName"); name != "" {
		w.Key("segment_source_name")
		w.String(name)
	}
}

// formData is a POST whose form field data holds one JSON object, the way
// Segment calls Mixpanel's ingestion endpoints.
func formData(url string, obj []byte) destkit.Request {
	form := neturl.Values{"data": {string(obj)}}
	return destkit.NewFormRequest("POST", url, []byte(form.Encode()))
}

func engage(s *destkit.Settings, distinct, ip *fastjson.Value, op string, value *fastjson.Value) destkit.Request {
	return engageWith(s, distinct, ip, op, func(w *destkit.JSONWriter) { w.Value(value) })
}

// engageWith is a profile update: op ($set, $add) with the value write
// writes.
func engageWith(s *destkit.Settings, distinct, ip *fastjson.Value, op string, write func(*destkit.JSONWriter)) destkit.Request {
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("$token")
	w.String(s.Str("projectToken"))
	w.Field("$distinct_id", distinct)
	w.Field("$ip", ip)
	w.Key(op)
	write(w)
	w.ObjectEnd()
	return formData(apiHost(s)+"/engage", w.Bytes())
}
