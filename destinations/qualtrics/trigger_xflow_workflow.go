package qualtrics

import (
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// TriggerXflowWorkflow posts an event to a workflow's event trigger.
var TriggerXflowWorkflow = &destkit.Action{
	Key:         "triggerXflowWorkflow",
	Title:       "Start a workflow in Qualtrics",
	Description: "Start a Qualtrics workflow by posting the event to the workflow's event trigger URL.",
	Fields: []destkit.Field{
		{Key: "workflowUrl", Label: "Workflow URL", Type: destkit.String, Required: true, Format: "uri",
			Description: "URL of the workflow's event trigger (https://<data center>.qualtrics.com/inbound-event/...)."},
		{Key: "eventPayload", Label: "Event payload", Type: destkit.Object,
			Default:     `{"event":{"@path":"$.event"},"type":{"@path":"$.type"},"userId":{"@path":"$.userId"},"properties":{"@path":"$.properties"},"traits":{"@path":"$.traits"},"context":{"@path":"$.context"}}`,
			Description: "JSON body posted to the workflow."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		raw := string(in.Payload.GetStringBytes("workflowUrl"))
		if !qualtricsURL(raw) {
			return nil, destkit.ValidationErrorf("workflowUrl", "The workflow URL must be an https URL on qualtrics.com; the API token is sent with it.")
		}
		var body []byte
		if v := in.Payload.Get("eventPayload"); v != nil {
			body = destkit.AppendValue(nil, v)
		}
		return []destkit.Request{destkit.NewJSONRequest("POST", raw, body)}, nil
	},
}

// qualtricsURL reports whether raw is an https URL on qualtrics.com.
func qualtricsURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "qualtrics.com" || strings.HasSuffix(host, ".qualtrics.com")
}
