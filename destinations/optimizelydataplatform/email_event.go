package optimizelydataplatform

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// EmailEvent sends an email engagement event (sent, open, click, …).
var EmailEvent = &destkit.Action{
	Key:         "emailEvent",
	Title:       "Email Event",
	Description: "Send an email event (sent, opened, clicked, unsubscribed, spam report) to ODP.",
	Fields: []destkit.Field{
		identifiers(true),
		{Key: "event_action", Label: "Optimizely Event Action", Type: destkit.String, Required: true,
			Description: "ODP email action: sent, open, click, unsubscribe or spam_report."},
		{Key: "campaign", Label: "Campaign Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.campaign_name"}`,
			Description: "Name of the email campaign."},
		{Key: "campaign_id", Label: "Campaign ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.campaign_id"}`,
			Description: "Id of the email campaign."},
		{Key: "link_url", Label: "Link URL", Type: destkit.String,
			Default:     `{"@path":"$.properties.link_url"}`,
			Description: "URL of the clicked link."},
		timestampField,
		enableBatchingField,
		batchSizeField,
	},
	Batch:        batch,
	Perform:      perform("batch_email_event", writeEmailEvent),
	PerformBatch: performBatch("batch_email_event", writeEmailEvent),
}

func writeEmailEvent(w *destkit.JSONWriter, p *fastjson.Value) error {
	if err := requireString(p, "event_action", "campaign", "timestamp"); err != nil {
		return err
	}
	if len(p.GetStringBytes("user_identifiers", "email")) == 0 {
		return destkit.ValidationErrorf("user_identifiers.email", "The email identifier is required.")
	}
	w.ObjectStart()
	w.Key("type")
	w.String("email")
	w.Field("action", p.Get("event_action"))
	w.Field("campaign", p.Get("campaign"))
	w.Field("campaign_id", p.Get("campaign_id"))
	w.Field("user_identifiers", p.Get("user_identifiers"))
	w.Key("campaign_event_value")
	if l := p.Get("link_url"); l != nil {
		w.Value(l)
	} else {
		w.Null()
	}
	w.Field("timestamp", p.Get("timestamp"))
	w.ObjectEnd()
	return nil
}
