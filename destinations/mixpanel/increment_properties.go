package mixpanel

import (
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// IncrementProperties adds to numeric user profile properties.
var IncrementProperties = &destkit.Action{
	Key:                 "incrementProperties",
	Title:               "Increment Properties",
	Description:         "Increment numeric properties of a user profile.",
	DefaultSubscription: `type = "track"`,
	Fields:              []destkit.Field{ip, userIDAlt, anonymousIDAlt, increment},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		distinct := p.Get("user_id")
		if distinct == nil {
			distinct = p.Get("anonymous_id")
		}
		inc := p.GetObject("increment")
		if inc == nil || inc.Len() == 0 {
			return nil, nil // nothing to increment: no call, as in Segment
		}
		if inc.Len() > 20 {
			return nil, destkit.ValidationErrorf("increment", "Exceeded maximum of 20 properties for increment call")
		}
		// Numbers, and strings holding numbers, are added; other values are
		// left out, as Segment does.
		var bad string
		add := func(w *destkit.JSONWriter) {
			w.ObjectStart()
			inc.Visit(func(k []byte, v *fastjson.Value) {
				switch v.Type() {
				case fastjson.TypeNumber:
					w.Key(string(k))
					w.Value(v)
				case fastjson.TypeString:
					f, err := strconv.ParseFloat(strings.TrimSpace(string(v.GetStringBytes())), 64)
					if err != nil && strings.TrimSpace(string(v.GetStringBytes())) != "" {
						bad = string(k)
						return
					}
					w.Key(string(k))
					w.Float(f)
				}
			})
			w.ObjectEnd()
		}
		r := engageWith(in.Settings, distinct, p.Get("ip"), "$add", add)
		if bad != "" {
			return nil, destkit.ValidationErrorf("increment", "The key %q was not numeric", bad)
		}
		return []destkit.Request{r}, nil
	},
}
