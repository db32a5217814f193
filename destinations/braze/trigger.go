package braze

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TriggerCampaign sends an API-triggered campaign.
var TriggerCampaign = &destkit.Action{
	Key:                 "triggerCampaign",
	Title:               "Trigger Campaign",
	Description:         "Send an API-triggered Braze campaign to listed recipients or as a broadcast.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "campaign_id", Label: "Campaign ID", Type: destkit.String, Required: true, Dynamic: campaignChoices, Description: "ID of the API-triggered campaign."},
		{Key: "send_id", Label: "Send ID", Type: destkit.String, Description: "Send identifier, for send-level analytics."},
		{Key: "trigger_properties", Label: "Trigger Properties", Type: destkit.Object, Default: `{"@path":"$.properties"}`, Description: "Personalisation values available to every message of the send."},
		{Key: "broadcast", Label: "Broadcast", Type: destkit.Boolean, RequiredIf: &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "recipients", Operator: "is"}, {FieldKey: "audience", Operator: "is"}}}, Description: "Send to the whole segment or audience of the campaign instead of listed recipients."},
		{Key: "attachments", Label: "Attachments", Type: destkit.Object, Multiple: true, Description: "Files attached to email messages.",
			Properties: []destkit.Field{
				{Key: "file_name", Label: "File Name", Type: destkit.String, Required: true, Description: "Name of the attached file."},
				{Key: "url", Label: "URL", Type: destkit.String, Required: true, Description: "URL of the file to attach."},
			}},
		{Key: "recipients", Label: "Recipients", Type: destkit.Object, Multiple: true, Description: "Users to send to, each with optional personalisation.",
			Properties: []destkit.Field{
				{Key: "external_user_id", Label: "External User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`, Description: "External ID of the recipient."},
				{Key: "user_alias", Label: "User Alias", Type: destkit.Object, Description: "Alias of the recipient."},
				{Key: "email", Label: "Email", Type: destkit.String, Default: `{"@path":"$.traits.email"}`, Description: "Email of the recipient."},
				{Key: "trigger_properties", Label: "User Trigger Properties", Type: destkit.Object, Description: "Personalisation values for this recipient only."},
				{Key: "send_to_existing_only", Label: "Send to Existing Only", Type: destkit.Boolean, Description: "Skip recipients Braze does not know yet."},
				{Key: "attributes", Label: "User Attributes", Type: destkit.Object, Description: "Attributes to set on the recipient before sending."},
			}},
		{Key: "prioritization", Label: "Prioritization", Type: destkit.Object, Description: "Which user wins when several share an email address.",
			Properties: []destkit.Field{
				{Key: "first_priority", Label: "First Priority", Type: destkit.String, Choices: []destkit.Choice{{Value: "identified", Label: "Identified"}, {Value: "unidentified", Label: "Unidentified"}, {Value: "most_recently_updated", Label: "Most recently updated"}, {Value: "least_recently_updated", Label: "Least recently updated"}}, Description: "Preferred user when several match."},
				{Key: "second_priority", Label: "Second Priority", Type: destkit.String, Choices: []destkit.Choice{{Value: "identified", Label: "Identified"}, {Value: "unidentified", Label: "Unidentified"}, {Value: "most_recently_updated", Label: "Most recently updated"}, {Value: "least_recently_updated", Label: "Least recently updated"}}, Description: "Tie-breaker after the first priority."},
			}},
		{Key: "audience", Label: "Audience", Type: destkit.Object, Description: "Audience filter the send is restricted to."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return triggerSend(in, "/campaigns/trigger/send")
	},
}

// TriggerCanvas enrolls users in an API-triggered Canvas.
var TriggerCanvas = &destkit.Action{
	Key:                 "triggerCanvas",
	Title:               "Trigger Canvas",
	Description:         "Enter listed recipients, or a whole audience, into an API-triggered Braze Canvas.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "canvas_id", Label: "Canvas ID", Type: destkit.String, Required: true, Dynamic: canvasChoices, Description: "ID of the API-triggered Canvas."},
		{Key: "canvas_entry_properties", Label: "Canvas Entry Properties", Type: destkit.Object, Default: `{"@path":"$.properties"}`, Description: "Personalisation values available to every step of the Canvas."},
		{Key: "broadcast", Label: "Broadcast", Type: destkit.Boolean, Description: "Send to the whole segment or audience of the campaign instead of listed recipients."},
		{Key: "recipients", Label: "Recipients", Type: destkit.Object, RequiredIf: &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "broadcast", Operator: "is_not", Value: true}}}, Multiple: true, Description: "Users to send to, each with optional personalisation.",
			Properties: []destkit.Field{
				{Key: "external_user_id", Label: "External User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`, Description: "External ID of the recipient."},
				{Key: "user_alias", Label: "User Alias", Type: destkit.Object, Description: "Alias of the recipient.",
					Properties: []destkit.Field{
						{Key: "alias_name", Label: "Alias Name", Type: destkit.String, Default: `{"@path":"$.traits.braze_alias"}`, Description: "Alias name."},
						{Key: "alias_label", Label: "Alias Label", Type: destkit.String, Default: `{"@path":"$.traits.braze_alias_label"}`, Description: "Alias label."},
					}},
				{Key: "email", Label: "Email", Type: destkit.String, Default: `{"@path":"$.traits.email"}`, Description: "Email of the recipient."},
				{Key: "canvas_entry_properties", Label: "Canvas Entry Properties", Type: destkit.Object, Description: "Entry properties for this recipient only."},
				{Key: "send_to_existing_only", Label: "Send to Existing Only", Type: destkit.Boolean, Description: "Skip recipients Braze does not know yet."},
				{Key: "attributes", Label: "Attributes", Type: destkit.Object, Description: "Attributes to set on the recipient before sending."},
			}},
		{Key: "prioritization", Label: "Prioritization", Type: destkit.Object, Description: "Which user wins when several share an email address.",
			Properties: []destkit.Field{
				{Key: "first_priority", Label: "First Priority", Type: destkit.String, Choices: []destkit.Choice{{Value: "identified", Label: "Identified"}, {Value: "unidentified", Label: "Unidentified"}, {Value: "most_recently_updated", Label: "Most recently updated"}, {Value: "least_recently_updated", Label: "Least recently updated"}}, Description: "Preferred user when several match."},
				{Key: "second_priority", Label: "Second Priority", Type: destkit.String, Choices: []destkit.Choice{{Value: "identified", Label: "Identified"}, {Value: "unidentified", Label: "Unidentified"}, {Value: "most_recently_updated", Label: "Most recently updated"}, {Value: "least_recently_updated", Label: "Least recently updated"}}, Description: "Tie-breaker after the first priority."},
			}},
		{Key: "audience", Label: "Audience", Type: destkit.Object, Description: "Audience filter the send is restricted to."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return triggerSend(in, "/canvas/trigger/send")
	},
}

// triggerSend builds a trigger/send request from the payload's fields as
// they are, except prioritization: Braze takes it per recipient, so it is
// copied into every recipient instead of sent once.
func triggerSend(in *destkit.Input, path string) ([]destkit.Request, error) {
	p := in.Payload
	broadcast := p.GetBool("broadcast")
	recipients := p.GetArray("recipients")
	switch {
	case !broadcast && len(recipients) == 0:
		return nil, destkit.ValidationErrorf("recipients", "Either broadcast must be true or a list of recipients must be given.")
	case broadcast && len(recipients) > 0:
		return nil, destkit.ValidationErrorf("recipients", "A broadcast cannot also list recipients.")
	}
	pr := p.Get("prioritization")
	hasPriority := pr.Get("first_priority") != nil || pr.Get("second_priority") != nil
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	p.GetObject().Visit(func(k []byte, v *fastjson.Value) {
		switch string(k) {
		case "prioritization", destkit.SyncModeKey:
			return
		case "recipients":
			w.Key("recipients")
			w.ArrayStart()
			for _, r := range recipients {
				w.ObjectStart()
				r.GetObject().Visit(func(k []byte, v *fastjson.Value) {
					w.Key(string(k))
					w.Value(v)
				})
				if hasPriority {
					w.Key("prioritization")
					writePrioritization(w, pr)
				}
				w.ObjectEnd()
			}
			w.ArrayEnd()
			return
		}
		w.Key(string(k))
		w.Value(v)
	})
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, path), w.Bytes())}, nil
}
