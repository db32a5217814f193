// Package toplyne sends user profiles, account profiles and events to
// Toplyne, which scores product usage for sales.
//
// Each action posts one record to https://api.toplyne.io/v1/upload/… with the
// API key as a Bearer credential: {"profiles":[…]} to users/profiles,
// {"accounts":[…]} to accounts/profiles, {"events":[…]} to events. The record
// is the mapped payload with its time (creationTime or timestamp) as Unix
// seconds, null when it is not a date.
package toplyne

import (
	"math"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const apiBase = "https://api.toplyne.io/v1/upload/"

// Definition is the Toplyne Cloud Mode (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "toplyne",
	SegmentSlug: "actions-toplyne-cloud",
	Name:        "Toplyne Cloud Mode (Actions)",
	Description: "Send user profiles, account profiles and product events to Toplyne.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Toplyne API key, sent as a Bearer credential."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{SendUserProfiles, SendAccountProfiles, SendEvents},
	Presets: []destkit.Preset{
		{Name: "Send User Profiles", Action: "sendUserProfiles", Trigger: `type = "identify"`, Mapping: destkit.JSON(SendUserProfiles.DefaultMapping())},
		{Name: "Send Account Profiles", Action: "sendAccountProfiles", Trigger: `type = "group"`, Mapping: destkit.JSON(SendAccountProfiles.DefaultMapping())},
		{Name: "Send Events", Action: "sendEvents", Trigger: `type = "track"`, Mapping: destkit.JSON(SendEvents.DefaultMapping())},
	},
}

// upload completes an action that posts its payload, with timeKey as Unix
// seconds, under list at path.
func upload(a *destkit.Action, path, list, timeKey string, required ...string) *destkit.Action {
	a.Perform = func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		for _, k := range append(required, timeKey) {
			if v := p.Get(k); v == nil || v.Type() == fastjson.TypeNull {
				return nil, destkit.ValidationErrorf(k, "The field %s is required.", k)
			}
		}
		var o destkit.JSObject
		o.Assign(p, nil)
		o.Set(timeKey, unixSeconds(p.Get(timeKey)))
		w := destkit.NewJSONWriter(make([]byte, 0, 512))
		w.ObjectStart()
		w.Key(list)
		w.ArrayStart()
		o.Write(w)
		w.ArrayEnd()
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+path, w.Bytes())}, nil
	}
	return a
}

// unixSeconds is a time as whole Unix seconds; null when it is not a date.
// A string of digits already is Unix seconds (as validation takes it),
// where Segment's date library reads it as a compact year-month-day.
func unixSeconds(v *fastjson.Value) []byte {
	if v != nil && v.Type() == fastjson.TypeString {
		if s := v.GetStringBytes(); len(s) > 0 && len(s) <= 15 && strings.Trim(string(s), "0123456789") == "" {
			return append([]byte(nil), s...)
		}
	}
	t, ok := destkit.ParseJSDate(v)
	if !ok {
		return []byte("null")
	}
	return strconv.AppendInt(nil, int64(math.Floor(float64(t.UnixMilli())/1000)), 10)
}

var (
	userIDField = destkit.Field{Key: "userId", Label: "User ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Your id of the user."}
	anonymousIDField = destkit.Field{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
		Default:     `{"@path":"$.anonymousId"}`,
		Description: "Segment's anonymous id of the user."}
	creationTimeField = destkit.Field{Key: "creationTime", Label: "Creation time", Type: destkit.Datetime, Required: true,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the profile was created or last changed; sent as Unix seconds."}
)
