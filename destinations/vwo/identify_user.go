package vwo

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// IdentifyUser sets a visitor's traits as VWO visitor properties.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Set the visitor's traits as VWO visitor attributes, each named segment.<trait>.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "attributes", Label: "attributes", Type: destkit.Object, Required: true, Default: `{"@path":"$.traits"}`,
			Description: "Traits to set as VWO visitor attributes, each prefixed with \"segment.\"."},
		vwoUUIDField("$.traits.vwo_uuid"),
		pageField, ipField, userAgentField, timestampField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		attrs := p.GetObject("attributes")
		if attrs == nil {
			return nil, destkit.ValidationErrorf("attributes", "The field \"attributes\" is required.")
		}
		ev := event{name: "vwo_syncVisitorProp", custom: true, visitor: func(vp *destkit.JSObject) {
			attrs.Visit(func(k []byte, v *fastjson.Value) {
				if string(k) != "vwo_uuid" {
					vp.SetValue("segment."+string(k), v)
				}
			})
		}}
		r, err := ev.request(p, in.Settings)
		if err != nil {
			return nil, err
		}
		return []destkit.Request{r}, nil
	},
}
