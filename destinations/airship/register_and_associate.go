package airship

import (
	"context"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// RegisterAndAssociate registers an email address or phone number as an
// Airship channel and associates it with the named user.
var RegisterAndAssociate = &destkit.Action{
	Key:                 "registerAndAssociate",
	Title:               "Register And Associate",
	Description:         "Register an email or SMS channel (or replace a changed email address) and associate it with the named user.",
	DefaultSubscription: `type = "track" and event="Address Registered"`,
	Fields: []destkit.Field{
		{Key: "channel_type", Label: "Channel Type", Type: destkit.String,
			Choices: []destkit.Choice{{Value: "email", Label: "Email"}, {Value: "sms", Label: "SMS"}}, Default: `"email"`,
			Description: "Whether the address is an email address or a phone number (MSISDN)."},
		{Key: "sms_sender", Label: "SMS Sender", Type: destkit.String,
			Description: "The long or short code messages come from; required by Airship for SMS channels."},
		namedUserField,
		{Key: "locale", Label: "Locale", Type: destkit.String, Default: `{"@path":"$.context.locale"}`,
			Description: "Locale as language-COUNTRY (en-US), sent as the channel's language and country."},
		{Key: "timezone", Label: "Timezone", Type: destkit.String, Default: `{"@path":"$.context.timezone"}`,
			Description: "IANA time zone of the channel."},
		{Key: "opt_in_choices", Label: "Registration Type", Type: destkit.String,
			Choices: []destkit.Choice{{Value: "classic", Label: "Classic"}, {Value: "double", Label: "Double"}}, Default: `"classic"`,
			Description: "Classic registration, or double opt-in; neither changes the request, as in Segment."},
		{Key: "channel_object", Label: "Channel", Type: destkit.Object, Required: true, AdditionalProperties: true,
			Default:     `{"address":{"@path":"$.properties.address"},"new_address":{"@path":"$.properties.new_email"},"commercial_opted_in":{"@path":"$.properties.commercial_opted_in"},"commercial_opted_out":{"@path":"$.properties.commercial_opted_out"},"click_tracking_opted_in":{"@path":"$.properties.click_tracking_opted_in"},"click_tracking_opted_out":{"@path":"$.properties.click_tracking_opted_out"},"open_tracking_opted_in":{"@path":"$.properties.open_tracking_opted_in"},"open_tracking_opted_out":{"@path":"$.properties.open_tracking_opted_out"},"transactional_opted_in":{"@path":"$.properties.transactional_opted_in"},"transactional_opted_out":{"@path":"$.properties.transactional_opted_out"},"suppression_state":{"@path":"$.context.suppression_state"},"sms_opted_in":{"@path":"$.properties.sms_opted_in"}}`,
			Description: "The address and its opt-in state.",
			Properties: []destkit.Field{
				{Key: "address", Label: "Email Address or MSISDN", Type: destkit.String, Required: true, Description: "The email address or phone number to register."},
				{Key: "new_address", Label: "New Email Address", Type: destkit.String, Description: "A new email address replacing address on its existing channel."},
				{Key: "commercial_opted_in", Label: "Commercial Opted In Date-Time", Type: destkit.String, Description: "When the address opted in to commercial email."},
				{Key: "commercial_opted_out", Label: "Commercial Opted Out Date-Time", Type: destkit.String, Description: "When it opted out of commercial email."},
				{Key: "click_tracking_opted_in", Label: "Click Tracking Opted in Date-Time", Type: destkit.String, Description: "When it opted in to click tracking."},
				{Key: "click_tracking_opted_out", Label: "Click Tracking Opted out Date-Time", Type: destkit.String, Description: "When it opted out of click tracking."},
				{Key: "open_tracking_opted_in", Label: "Open Tracking Opted in Date-Time", Type: destkit.String, Description: "When it opted in to open tracking."},
				{Key: "open_tracking_opted_out", Label: "Open Tracking Opted out Date-Time", Type: destkit.String, Description: "When it opted out of open tracking."},
				{Key: "transactional_opted_in", Label: "Transactional Email Opt In Date-Time", Type: destkit.String, Description: "When it opted in to transactional email."},
				{Key: "transactional_opted_out", Label: "Transactional Email Opt Out Date-Time", Type: destkit.String, Description: "When it opted out of transactional email."},
				{Key: "suppression_state", Label: "Suppression State", Type: destkit.String, Description: "Airship's suppression state of the address (imported, spam_complaint, bounce, …)."},
				{Key: "sms_opted_in", Label: "SMS Opt In Date-Time", Type: destkit.String, Description: "When the number opted in to SMS."},
			}},
	},
	Run: registerAndAssociate,
}

// emailOptIns are the email channel's dated opt-in fields, in the order
// they are written.
var emailOptIns = []string{
	"commercial_opted_in", "commercial_opted_out", "click_tracking_opted_in", "click_tracking_opted_out",
	"open_tracking_opted_in", "open_tracking_opted_out", "transactional_opted_in", "transactional_opted_out",
}

// registerAndAssociate: a changed email address replaces the old
// address's channel (found by a lookup) and stops there, the channel being
// associated already; otherwise the address is registered and its new
// channel associated with the named user, when there is one.
func registerAndAssociate(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	ch := p.Get("channel_object")
	address := string(ch.GetStringBytes("address"))
	if address == "" {
		return destkit.ValidationErrorf("channel_object.address", "The field channel_object.address is required.")
	}
	base := baseURL(in.Settings)
	if newAddress := ch.GetStringBytes("new_address"); len(newAddress) > 0 {
		r := destkit.Request{Method: "GET", URL: base + "/api/channels/email/" + url.PathEscape(address)}
		resp, err := d.Do(ctx, &r)
		if err != nil {
			return err
		}
		if old := channelID(resp.Body, "channel", "channel_id"); old != "" {
			_, err := d.Do(ctx, registration(base+"/api/channels/email/replace/"+url.PathEscape(old), p, string(newAddress)))
			return err
		}
	}
	path := "/api/channels/email"
	if string(p.GetStringBytes("channel_type")) == "sms" {
		path = "/api/channels/sms"
	}
	resp, err := d.Do(ctx, registration(base+path, p, address))
	if err != nil {
		return err
	}
	user := p.Get("named_user_id")
	if len(user.GetStringBytes()) == 0 {
		return nil
	}
	id := channelID(resp.Body, "channel_id")
	if id == "" {
		return &destkit.IntegrationError{Code: "UNEXPECTED_RESPONSE", Message: "Airship's registration response has no channel_id to associate"}
	}
	deviceType := "email"
	if t := p.GetStringBytes("channel_type"); len(t) > 0 {
		deviceType = strings.ToLower(string(t))
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 128))
	w.ObjectStart()
	w.StringField("channel_id", id)
	w.StringField("device_type", deviceType)
	w.Field("named_user_id", user)
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", base+"/api/named_users/associate", w.Bytes())
	_, err = d.Do(ctx, &r)
	return err
}

func channelID(body []byte, path ...string) string {
	v, err := fastjson.ParseBytes(body)
	if err != nil {
		return ""
	}
	return string(v.GetStringBytes(path...))
}

// registration builds the channel registration of address at u: an SMS
// channel's msisdn, opt-in, sender and locale, or an email channel with its
// dated opt-ins, suppression state and locale.
func registration(u string, p *fastjson.Value, address string) *destkit.Request {
	ch := p.Get("channel_object")
	var language, country string
	if parts := strings.Split(string(p.GetStringBytes("locale")), "-"); len(parts) == 2 {
		language, country = parts[0], parts[1]
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	if string(p.GetStringBytes("channel_type")) == "sms" {
		w.StringField("msisdn", address)
		if in := ch.GetStringBytes("sms_opted_in"); len(in) > 0 {
			w.StringField("opted_in", dateFormatted(string(in)))
		}
		w.Field("sender", p.Get("sms_sender"))
	} else {
		w.Key("channel")
		w.ObjectStart()
		w.StringField("type", "email")
		w.StringField("address", address)
		w.Field("suppression_state", ch.Get("suppression_state"))
		for _, k := range emailOptIns {
			if v := ch.GetStringBytes(k); len(v) > 0 {
				w.StringField(k, dateFormatted(string(v)))
			}
		}
	}
	w.StringField("locale_language", language)
	w.StringField("locale_country", country)
	w.Field("timezone", p.Get("timezone"))
	if string(p.GetStringBytes("channel_type")) != "sms" {
		w.ObjectEnd()
	}
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", u, w.Bytes())
	return &r
}
