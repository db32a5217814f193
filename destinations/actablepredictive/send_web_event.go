package actablepredictive

import "github.com/actuate/actuate/destinations/destkit"

// SendWebEvent sends a web activity event.
var SendWebEvent = eventAction(&destkit.Action{
	Key:         "sendWebEvent",
	Title:       "Send Web Activity Event",
	Description: "Send a web activity event (a page or product view, a cart change) to Actable.",
	Fields: []destkit.Field{
		customerIDField,
		{Key: "datetime", Label: "Event Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the web event happened; sent as Unix seconds."},
		{Key: "interaction_type", Label: "Event Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Kind of web interaction (the event name)."},
		{Key: "utm_campaign", Label: "UTM Campaign", Type: destkit.String,
			Default:     `{"@path":"$.context.campaign.name"}`,
			Description: "UTM campaign of the visit."},
		{Key: "utm_medium", Label: "UTM Medium", Type: destkit.String,
			Default:     `{"@path":"$.context.campaign.medium"}`,
			Description: "UTM medium of the visit."},
		{Key: "utm_source", Label: "UTM Source", Type: destkit.String,
			Default:     `{"@path":"$.context.campaign.source"}`,
			Description: "UTM source of the visit."},
		streamKeyField("web"),
	},
}, "datetime")
