package vwo

import "github.com/actuate/actuate/destinations/destkit"

// SyncAudience tells VWO that a user entered or left a Segment audience.
var SyncAudience = &destkit.Action{
	Key:                 "syncAudience",
	Title:               "Sync Audience",
	Description:         "Tell VWO that a user entered or exited a Segment audience (the Audience Entered and Audience Exited events).",
	DefaultSubscription: `event = "Audience Entered" or event = "Audience Exited"`,
	Fields: []destkit.Field{
		{Key: "name", Label: "Event Name", Type: destkit.String, Required: true, Default: `{"@path":"$.event"}`,
			Description: "Name of the event: \"Audience Entered\" or \"Audience Exited\"."},
		{Key: "userId", Label: "User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
			Description: "User ID of the audience member."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, Default: `{"@path":"$.anonymousId"}`,
			Description: "Anonymous ID of the audience member, used without a user ID."},
		{Key: "audienceId", Label: "Audience ID", Type: destkit.String, Required: true, Default: `{"@path":"$.properties.audience_key"}`,
			Description: "Key of the Segment audience."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		audience := p.Get("audienceId")
		if len(p.GetStringBytes("audienceId")) == 0 {
			return nil, destkit.ValidationErrorf("audienceId", "The field \"audienceId\" is required.")
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.Key("d")
		w.ObjectStart()
		w.Key("event")
		w.ObjectStart()
		w.Key("name")
		w.String("vwo_integration")
		w.Key("time")
		w.Int(now().UnixMilli())
		w.Key("props")
		w.ObjectStart()
		switch string(p.GetStringBytes("name")) {
		case "Audience Entered":
			w.Key("action")
			w.String("audience_entered")
		case "Audience Exited":
			w.Key("action")
			w.String("audience_exited")
		}
		w.Field("audienceName", audience)
		w.Field("audienceId", audience)
		if id := p.Get("userId"); destkit.Truthy(id) {
			w.Field("identifier", id)
		} else {
			w.Field("identifier", p.Get("anonymousId"))
		}
		w.Key("accountId")
		w.Float(in.Settings.Num("vwoAccountId"))
		w.Key("integration")
		w.String("segment")
		w.ObjectEnd()
		w.ObjectEnd()
		w.ObjectEnd()
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", eventsURL(in.Settings, "/collect/events/t", "vwo_integration"), w.Bytes())}, nil
	},
}
