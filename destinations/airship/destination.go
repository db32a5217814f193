// Package airship sends custom events, attributes, tags and email or SMS
// channel registrations to Airship.
//
// Requests go to https://go.urbanairship.com (or https://go.airship.eu for
// the EU data center) with the access token as a Bearer credential, the app
// key in X-UA-Appkey and Airship's versioned Accept header.
//
// Whom a request is about (the "audience", or the "user" of a custom
// event): the channel when a channel id is mapped, under the key of its
// platform (ios_channel, android_channel, amazon_channel, web_channel, or
// channel when the type is unknown), else the named user; one of them is
// required. Times are sent as Segment does, ISO 8601 in UTC without
// milliseconds.
//
// Where Actuate differs from Segment, on purpose:
//   - Airship keeps custom events of the past 90 days only. Segment sends an
//     older event with "occurred": false, which Airship refuses; Actuate
//     fails it before sending. An attribute older than 90 days is sent
//     without its timestamp (Airship then takes the time of receipt), where
//     Segment sends "timestamp": false.
//   - Registering an email address, the click-tracking opt-in and opt-out
//     dates go to click_tracking_opted_in and click_tracking_opted_out;
//     Segment writes them over commercial_opted_in and click_tracking_opted_in.
//   - An empty phone number removes the attribute, as any empty string does
//     (Segment sends a null value).
//
// Deleting a user uninstalls the named user's channels
// (POST /api/named_users/uninstall).
package airship

import (
	"regexp"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Airship (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "airship",
	SegmentSlug: "actions-airship",
	Name:        "Airship (Actions)",
	Description: "Send custom events, attributes and tags to Airship, and register email and SMS channels.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "access_token", Label: "Access Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "A bearer token of the Airship project (Settings > Tokens)."},
		{Key: "app_key", Label: "App Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The project's app key."},
		{Key: "endpoint", Label: "Data Center", Type: destkit.String, Required: true,
			Choices: []destkit.Choice{{Value: "US", Label: "US"}, {Value: "EU", Label: "EU"}}, Default: `"US"`,
			Description: "Where the project is hosted."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("access_token"))
		r.SetHeader("X-UA-Appkey", s.Str("app_key"))
		r.SetHeader("Accept", "application/vnd.urbanairship+json; version=3")
		return nil
	},
	Actions: []*destkit.Action{CustomEvents, SetAttributes, ManageTags, RegisterAndAssociate},
	Presets: []destkit.Preset{
		{Name: "Custom Events", Action: "customEvents", Trigger: `type = "track"`, Mapping: destkit.JSON(CustomEvents.DefaultMapping())},
		{Name: "Set Attributes", Action: "setAttributes", Trigger: `type = "identify"`, Mapping: destkit.JSON(SetAttributes.DefaultMapping())},
	},
	Delete: deleteUser,
}

// now is replaced in tests.
var now = time.Now

func baseURL(s *destkit.Settings) string {
	if s.Str("endpoint") == "EU" {
		return "https://go.airship.eu"
	}
	return "https://go.urbanairship.com"
}

func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, nil
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("named_user_id")
	w.ArrayStart()
	w.String(in.UserID)
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", baseURL(in.Settings)+"/api/named_users/uninstall", w.Bytes())}, nil
}

// The identity fields every action but registration shares.
var (
	namedUserField = destkit.Field{Key: "named_user_id", Label: "Airship Named User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
		Description: "The named user the data is about, used when no channel id is mapped."}
	channelIDField = destkit.Field{Key: "channel_id", Label: "Channel ID", Type: destkit.String,
		Description: "An Airship channel id; when set, the data is about this channel rather than the named user."}
	channelTypeField = destkit.Field{Key: "channel_type", Label: "Channel Type", Type: destkit.String, Default: `{"@path":"$.context.device.type"}`,
		Description: "Platform of the channel (ios, android, amazon or web), which names its key; another or none sends the generic channel key."}
	occurredField = destkit.Field{Key: "occurred", Label: "Occurred", Type: destkit.Datetime, Required: true, Default: `{"@path":"$.timestamp"}`,
		Description: "When it happened; Airship keeps the past 90 days."}
)

// channelKeys names the audience key of a channel by platform.
var channelKeys = map[string]string{"ios": "ios_channel", "android": "android_channel", "amazon": "amazon_channel", "web": "web_channel"}

// writeAudience writes the channel or named user the payload is about.
func writeAudience(w *destkit.JSONWriter, p *fastjson.Value) error {
	if id := p.Get("channel_id"); len(id.GetStringBytes()) > 0 {
		key := "channel"
		if k, ok := channelKeys[strings.ToLower(string(p.GetStringBytes("channel_type")))]; ok {
			key = k
		}
		w.ObjectStart()
		w.Field(key, id)
		w.ObjectEnd()
		return nil
	}
	if u := p.Get("named_user_id"); len(u.GetStringBytes()) > 0 {
		w.ObjectStart()
		w.Field("named_user_id", u)
		w.ObjectEnd()
		return nil
	}
	return destkit.ValidationErrorf("named_user_id", "Either Named User ID or Channel ID must be provided.")
}

// recentTime returns v as Airship's time (UTC, no milliseconds), and
// whether it lies within the past 90 days.
func recentTime(v *fastjson.Value) (string, bool) {
	t, ok := destkit.ParseJSDate(v)
	if !ok || t.Before(now().AddDate(0, 0, -90)) {
		return "", false
	}
	return isoSeconds(t), true
}

// isoSeconds is toISOString() without its milliseconds.
func isoSeconds(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

// parseDate reads a string that looks like a date (Segment's test: at least
// eight characters holding Y-M-D, Y/M/D, M/D/Y or M-D-Y digits) as
// JavaScript's Date would, between the years 1900 and 2100.
func parseDate(s string) (time.Time, bool) {
	if len(s) < 8 || !dateLike.MatchString(s) {
		return time.Time{}, false
	}
	t, ok := destkit.ParseJSDateString(s)
	if !ok {
		t, ok = parseSlashed(s)
	}
	if !ok || t.Year() < 1900 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// parseSlashed reads the M/D/YYYY and YYYY/M/D forms JavaScript's Date
// also accepts (at midnight, UTC being the servers' zone).
func parseSlashed(s string) (time.Time, bool) {
	for _, layout := range []string{"1/2/2006", "2006/1/2", "1-2-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dateLike finds a date in a string: Y-M-D or Y/M/D, M-D-Y or M/D/Y, or an
// ISO date and time.
var dateLike = regexp.MustCompile(`(\d{4}[-/]\d{1,2}[-/]\d{1,2})|(\d{1,2}[-/]\d{1,2}[-/]\d{4})|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})`)

// dateFormatted returns a date-like string in Airship's form, and any other
// string unchanged.
func dateFormatted(s string) string {
	if t, ok := parseDate(s); ok {
		return isoSeconds(t)
	}
	return s
}
