// Package chartmogul sends contacts and customers to ChartMogul through
// the account's Segment webhook.
//
// Sources: ChartMogul's documentation of its Segment integration and
// Segment's open-source ChartMogul destination, which agree: each event is
// the mapped payload, posted as JSON to the webhook URL ChartMogul issues,
// which carries its own secret (there is no other credential). The URL
// must be https, as Segment's connection test demands.
//
// A mapping whose payload has nothing beyond the five identifying fields
// (type, message_id, timestamp, sent_at and a user or anonymous id) is
// rejected, as in Segment. Note that Segment's own default Send Contact
// mapping fails validation for users without a company id, because the
// company object it builds requires one; Actuate validates the same way.
package chartmogul

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the ChartMogul destination.
var Definition = &destkit.Definition{
	Slug:        "chartmogul",
	SegmentSlug: "actions-chartmogul",
	Name:        "ChartMogul",
	Description: "Send contacts and customers to ChartMogul's CRM.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "chartmogul_webhook_url", Label: "ChartMogul webhook URL", Type: destkit.String, Required: true, Format: "uri", Secret: true,
			Description: "The webhook URL of the Segment source in ChartMogul; it authenticates the requests, so keep it secret."},
	},
	Actions: []*destkit.Action{SendContact, SendCustomer},
}

// post sends the payload as it is to the webhook.
func post(in *destkit.Input) ([]destkit.Request, error) {
	url := in.Settings.Str("chartmogul_webhook_url")
	if !strings.HasPrefix(url, "https://") {
		return nil, &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Please configure the ChartMogul webhook URL (https)."}
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	in.Payload.GetObject().Visit(func(k []byte, v *fastjson.Value) {
		if !strings.HasPrefix(string(k), "__segment_internal") {
			w.Field(string(k), v)
		}
	})
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", url, w.Bytes())}, nil
}

// Fields both actions start with.
var (
	messageID = destkit.Field{Key: "message_id", Label: "MessageId", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.messageId"}`,
		Description: "Segment's message id of the event."}
	timestamp = destkit.Field{Key: "timestamp", Label: "Event Timestamp", Type: destkit.Datetime, Required: true,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event was created."}
	sentAt = destkit.Field{Key: "sent_at", Label: "Sent At", Type: destkit.Datetime, Required: true,
		Default:     `{"@path":"$.sentAt"}`,
		Description: "When the event was sent."}
)
