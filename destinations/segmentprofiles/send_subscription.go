package segmentprofiles

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// SendSubscription writes a profile's messaging subscriptions.
var SendSubscription = &destkit.Action{
	Key:                 "sendSubscription",
	Title:               "Send Subscriptions",
	Description:         "Set a profile's email, SMS, WhatsApp and push subscription statuses (and email subscription groups) in the Profile Space.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		engageSpaceField, userIDField, anonymousIDField,
		{Key: "email", Label: "Email", Type: destkit.String, Description: "The email address the email subscription is about."},
		{Key: "email_subscription_status", Label: "Email Subscription Status", Type: destkit.String, AllowNull: true,
			Description: "subscribed (or true), unsubscribed (or false) or did-not-subscribe."},
		{Key: "subscription_groups", Label: "Email Subscription Groups", Type: destkit.Object, AdditionalProperties: true,
			Description: "Email subscription groups by name, each with a status like the email's."},
		{Key: "phone", Label: "Phone", Type: destkit.String, Description: "The phone number the SMS and WhatsApp subscriptions are about."},
		{Key: "sms_subscription_status", Label: "SMS Subscription Status", Type: destkit.String, AllowNull: true,
			Description: "The number's SMS status: subscribed, unsubscribed or did-not-subscribe."},
		{Key: "whatsapp_subscription_status", Label: "WhatsApp Subscription Status", Type: destkit.String, AllowNull: true,
			Description: "The number's WhatsApp status: subscribed, unsubscribed or did-not-subscribe."},
		{Key: "android_push_token", Label: "Android Push Token", Type: destkit.String, Description: "The Android device's push token."},
		{Key: "android_push_subscription_status", Label: "Android Push Subscription Status", Type: destkit.String, AllowNull: true,
			Description: "The Android push status: subscribed, unsubscribed or did-not-subscribe."},
		{Key: "ios_push_token", Label: "Ios Push Token", Type: destkit.String, Description: "The iOS device's push token."},
		{Key: "ios_push_subscription_status", Label: "Ios Push Subscription Status", Type: destkit.String, AllowNull: true,
			Description: "The iOS push status: subscribed, unsubscribed or did-not-subscribe."},
		traitsField, timestampField, messageIDField, consentField,
	},
	Perform: sendSubscription,
}

// channel is one kind of address with its subscriptions.
type channel struct {
	field       string   // payload field holding the address
	externalID  string   // its external id type
	statuses    []string // payload fields of its statuses
	types       []string // the subscription type of each status
	emailGroups bool     // whether subscription groups belong to it
}

var channels = []channel{
	{"email", "email", []string{"email_subscription_status"}, []string{"EMAIL"}, true},
	{"phone", "phone", []string{"sms_subscription_status", "whatsapp_subscription_status"}, []string{"SMS", "WHATSAPP"}, false},
	{"android_push_token", "android.push_token", []string{"android_push_subscription_status"}, []string{"ANDROID_PUSH"}, false},
	{"ios_push_token", "ios.push_token", []string{"ios_push_subscription_status"}, []string{"IOS_PUSH"}, false},
}

// invalidStatus is what an unknown status is sent as.
const invalidStatus = "INVALID"

// status reads a subscription status: "" when empty, invalidStatus when
// unknown.
func status(s string) string {
	switch strings.ToLower(jsvalue.Trim(s)) {
	case "":
		return ""
	case "true", "subscribed":
		return "SUBSCRIBED"
	case "false", "unsubscribed":
		return "UNSUBSCRIBED"
	case "did-not-subscribe", "did_not_subscribe":
		return "DID_NOT_SUBSCRIBE"
	}
	return invalidStatus
}

func sendSubscription(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := checkSubscriptions(p); err != nil {
		return nil, err
	}
	return call(in, func(w *destkit.JSONWriter, p *fastjson.Value) {
		w.Field("userId", p.Get("user_id"))
		w.Field("anonymousId", p.Get("anonymous_id"))
		writeSpread(w, "traits", p.Get("traits"))
		w.Key("context")
		w.ObjectStart()
		w.Key("messaging_subscriptions")
		writeSubscriptions(w, p)
		w.Key("externalIds")
		w.ArrayStart()
		for _, c := range channels {
			if id := p.Get(c.field); id != nil {
				w.ObjectStart()
				w.Field("id", id)
				w.StringField("type", c.externalID)
				w.StringField("collection", "users")
				w.StringField("encoding", "none")
				w.ObjectEnd()
			}
		}
		w.ArrayEnd()
		w.Key("messaging_subscriptions_retl")
		w.Bool(true)
		writeConsent(w, p.Get("consent"))
		w.ObjectEnd()
		w.Field("timestamp", p.Get("timestamp"))
		writeIntegrations(w)
		w.Field("messageId", p.Get("message_id"))
		w.StringField("type", "identify")
	})
}

// writeSubscriptions writes one {key, type, status[, groups]} per status
// given.
func writeSubscriptions(w *destkit.JSONWriter, p *fastjson.Value) {
	w.ArrayStart()
	for _, c := range channels {
		for i, field := range c.statuses {
			st := status(string(p.GetStringBytes(field)))
			if st == "" {
				continue
			}
			w.ObjectStart()
			w.Field("key", p.Get(c.field))
			w.StringField("type", c.types[i])
			w.StringField("status", st)
			if groups := p.GetObject("subscription_groups"); c.emailGroups && groupCount(p) > 0 {
				w.Key("groups")
				w.ArrayStart()
				groups.Visit(func(name []byte, v *fastjson.Value) {
					s := string(v.GetStringBytes())
					if v.Type() != fastjson.TypeString {
						s = string(destkit.AppendValue(nil, v))
					}
					w.ObjectStart()
					w.StringField("name", string(name))
					w.StringField("status", status(s))
					w.ObjectEnd()
				})
				w.ArrayEnd()
			}
			w.ObjectEnd()
		}
	}
	w.ArrayEnd()
}

// checkSubscriptions applies Segment's rules: an address and a status are
// needed, every status needs its address, groups need the email status.
func checkSubscriptions(p *fastjson.Value) error {
	has := func(k string) bool { return len(p.GetStringBytes(k)) > 0 }
	switch {
	case !has("email") && !has("phone") && !has("android_push_token") && !has("ios_push_token"):
		return destkit.ValidationErrorf("email", "Either Email or Phone or Android_Push_Token or Ios_Push_Token must be defined.")
	case !has("email_subscription_status") && !has("whatsapp_subscription_status") && !has("sms_subscription_status") &&
		!has("android_push_subscription_status") && !has("ios_push_subscription_status"):
		return destkit.ValidationErrorf("email_subscription_status", "A subscription status (email, SMS, WhatsApp, Android push or iOS push) must be defined.")
	case !has("email") && has("email_subscription_status"):
		return destkit.ValidationErrorf("email", "A valid Email must be defined for Email_Subscription.")
	case groupCount(p) > 0 && !has("email_subscription_status"):
		return destkit.ValidationErrorf("email_subscription_status", "Email_Subscription must be defined if Subscription Groups are present.")
	case !has("phone") && (has("sms_subscription_status") || has("whatsapp_subscription_status")):
		return destkit.ValidationErrorf("phone", "A valid Phone must be defined for Sms_Subscription or Whatsapp_Subscription.")
	case !has("android_push_token") && has("android_push_subscription_status"):
		return destkit.ValidationErrorf("android_push_token", "A valid Android_Push_Token must be defined for Android_Push_Subscription.")
	case !has("ios_push_token") && has("ios_push_subscription_status"):
		return destkit.ValidationErrorf("ios_push_token", "A valid Ios_Push_Token must be defined for Ios_Push_Subscription.")
	}
	for _, k := range []string{"email_subscription_status", "sms_subscription_status", "whatsapp_subscription_status", "ios_push_subscription_status", "android_push_subscription_status"} {
		if !has(k) || status(string(p.GetStringBytes(k))) != invalidStatus {
			return nil
		}
	}
	return destkit.ValidationErrorf("email_subscription_status", "Invalid subscription status in every subscription.")
}

// groupCount is the number of subscription groups mapped.
func groupCount(p *fastjson.Value) int {
	if o := p.GetObject("subscription_groups"); o != nil {
		return o.Len()
	}
	return 0
}
