// Package actablepredictive sends email, web, transaction and custom events
// to Actable Predictive, which scores customers for marketing.
//
// Every action posts {"data":[event…]} to https://api.converscience.com/events,
// one event or a batch of up to 1000. The Authorization header is the
// base64 of "client_id:client_secret", without a scheme, as Actable takes
// it. Each event is the mapped payload with its time as Unix seconds
// (null when it is not a date); a transaction sends its products' ids (or
// SKUs) joined by | as product_column and its discount code with the
// products' coupons, joined by |, as discount_code.
package actablepredictive

import (
	"encoding/base64"

	"github.com/actuate/actuate/destinations/destkit"
)

const (
	eventsURL = "https://api.converscience.com/events"
	maxBatch  = 1000
)

// Definition is the Actable Predictive destination.
var Definition = &destkit.Definition{
	Slug:        "actable-predictive",
	SegmentSlug: "actions-actable-predictive",
	Name:        "Actable Predictive",
	Description: "Send email, web, transaction and custom events to Actable Predictive for customer scoring.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "client_id", Label: "Client ID", Type: destkit.String, Required: true,
			Description: "Client id supplied by Actable."},
		{Key: "client_secret", Label: "Client Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Client secret supplied by Actable; sent with the client id, base64-encoded, in the Authorization header."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", base64.StdEncoding.EncodeToString([]byte(s.Str("client_id")+":"+s.Str("client_secret"))))
		return nil
	},
	Actions: []*destkit.Action{SendEmailEvent, SendWebEvent, SendTransactionEvent, SendCustomEvent},
}

// customerIDField and streamKeyField open and close every action's fields.
var customerIDField = destkit.Field{Key: "customer_id", Label: "Customer ID", Type: destkit.String, Required: true,
	Default:     `{"@path":"$.userId"}`,
	Description: "Your id of the customer."}

func streamKeyField(def string) destkit.Field {
	return destkit.Field{Key: "stream_key", Label: "Stream Key", Type: destkit.String, Required: true,
		Default:     destkit.JSON(destkit.AppendJSONString(nil, def)),
		Description: "Actable stream the event belongs to; keep the default unless Actable tells you otherwise."}
}
