package absmartly

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackGoal sends one goal achievement for the event's units.
var TrackGoal = &destkit.Action{
	Key:                 "trackGoal",
	Title:               "Track Goal",
	Description:         "Send a goal to ABsmartly for the units (user ids) of the event.",
	DefaultSubscription: `type = "track" and event != "Experiment Viewed"`,
	Fields: []destkit.Field{
		{Key: "units", Label: "Units", Type: destkit.Object, Required: true,
			Default:     `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"}}`,
			Description: "The goal's units: ABsmartly unit name to its value in the event (units are set up in Settings > Units)."},
		{Key: "name", Label: "Goal Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the goal."},
		{Key: "properties", Label: "Goal Properties", Type: destkit.Object, Required: true,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the goal."},
		agentField, applicationField,
	},
	Perform: trackGoal,
}

func trackGoal(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	ts := now().UnixMilli()
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("historic")
	w.Bool(true)
	w.Key("publishedAt")
	w.Int(ts)
	w.Key("units")
	w.ArrayStart()
	if o := p.GetObject("units"); o != nil {
		// Units whose value is a non-blank string or a number.
		o.Visit(func(k []byte, v *fastjson.Value) {
			var uid string
			switch v.Type() {
			case fastjson.TypeString:
				if strings.TrimSpace(string(v.GetStringBytes())) == "" {
					return
				}
				uid = string(v.GetStringBytes())
			case fastjson.TypeNumber:
				uid = string(destkit.AppendJSNumber(nil, v.GetFloat64()))
			default:
				return
			}
			w.ObjectStart()
			w.StringField("type", string(k))
			w.Key("uid")
			w.String(uid)
			w.ObjectEnd()
		})
	}
	w.ArrayEnd()
	w.Key("goals")
	w.ArrayStart()
	w.ObjectStart()
	w.Field("name", p.Get("name"))
	w.Key("achievedAt")
	w.Int(ts)
	w.Key("properties")
	if props := p.Get("properties"); props != nil {
		w.Value(props)
	} else {
		w.Null()
	}
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return put(in, w.Bytes()), nil
}
