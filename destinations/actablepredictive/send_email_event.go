package actablepredictive

import "github.com/actuate/actuate/destinations/destkit"

// SendEmailEvent sends an email engagement event.
var SendEmailEvent = eventAction(&destkit.Action{
	Key:         "sendEmailEvent",
	Title:       "Send Email Event",
	Description: "Send an email engagement event (sent, opened, clicked, unsubscribed) to Actable.",
	Fields: []destkit.Field{
		customerIDField,
		{Key: "date_email_sent", Label: "timestamp of event", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the email event happened; sent as Unix seconds."},
		{Key: "campaign_name", Label: "Campaign Name of Email", Type: destkit.String,
			Default:     `{"@path":"$.context.campaign.name"}`,
			Description: "Name of the email campaign."},
		{Key: "clicked_flag", Label: "Click Event Indicator", Type: destkit.Integer,
			Description: "1 when the email was clicked, else 0."},
		{Key: "opened_flag", Label: "Open Event Indicator", Type: destkit.Integer,
			Description: "1 when the email was opened, else 0."},
		{Key: "unsub_flag", Label: "Unsubscribe Event Indicator", Type: destkit.Integer,
			Description: "1 when the recipient unsubscribed, else 0."},
		streamKeyField("email"),
	},
}, "date_email_sent")
