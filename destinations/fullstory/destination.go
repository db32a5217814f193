// Package fullstory sends custom events and user properties to Fullstory's
// server API.
//
// Sources: Fullstory's server API reference (v2 /events and /users, v1
// custom events and custom variables) and Segment's open-source Fullstory
// Cloud destination; they agree, and the requests follow Segment's code
// exactly. Every request goes to https://api.fullstory.com with
// "Authorization: Basic {apiKey}" (the key as Fullstory issues it, not
// re-encoded), "Integration-Source: segment" and a JSON content type; the
// v1 paths also carry ?integration=segment. User ids in URLs are escaped
// as JavaScript's encodeURIComponent does.
//
// Property names are normalised as in Segment (names.go): Fullstory keys
// custom variables by name and type, so the same names must arrive.
// Timestamps are sent in UTC with milliseconds (toISOString), parsed as
// Segment's date library does; one it cannot read is left out.
package fullstory

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const apiBase = "https://api.fullstory.com"

// Definition is the Fullstory Cloud Mode destination.
var Definition = &destkit.Definition{
	Slug:        "fullstory",
	SegmentSlug: "actions-fullstory-cloud",
	Name:        "Fullstory Cloud Mode (Actions)",
	Description: "Send custom events and user properties to Fullstory, to search and segment sessions by them.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "A Fullstory API key with at least the Architect role."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Content-Type", "application/json")
		r.SetHeader("Authorization", "Basic "+s.Str("apiKey"))
		r.SetHeader("Integration-Source", "segment")
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, IdentifyUser, TrackEventV2, IdentifyUserV2},
	Presets: []destkit.Preset{
		{Name: "Track Event", Action: "trackEventV2", Trigger: `type = "track"`,
			Mapping: destkit.JSON(TrackEventV2.DefaultMapping())},
		{Name: "Identify User", Action: "identifyUserV2", Trigger: `type = "identify"`,
			Mapping: destkit.JSON(IdentifyUserV2.DefaultMapping())},
	},
	Delete: deleteUser,
}

func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "User Id is required for user deletion.")
	}
	return []destkit.Request{{Method: "DELETE", URL: apiBase + "/v2/users?uid=" + encodeURIComponent(in.UserID)}}, nil
}

// encodeURIComponent escapes s as JavaScript's function of that name: every
// byte of its UTF-8 form except A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// dayjsParse is the pattern Segment's date library reads as UTC components
// when a string does not end in Z.
var dayjsParse = regexp.MustCompile(`^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$`)

// utcTimestamp renders a timestamp field as toISOString does, or "" when
// the value is not a date.
func utcTimestamp(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	var t time.Time
	switch v.Type() {
	case fastjson.TypeNumber:
		f := v.GetFloat64()
		if f != f || f > 8.64e15 || f < -8.64e15 {
			return ""
		}
		t = time.UnixMilli(int64(f))
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		if s == "" {
			return ""
		}
		var ok bool
		if t, ok = parseDayjs(s); !ok {
			return ""
		}
	default:
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func parseDayjs(s string) (time.Time, bool) {
	if last := s[len(s)-1]; last != 'Z' && last != 'z' {
		if m := dayjsParse.FindStringSubmatch(s); m != nil {
			num := func(x string, def int) int {
				if x == "" {
					return def
				}
				n, _ := strconv.Atoi(x)
				return n
			}
			year := num(m[1], 0)
			if year >= 0 && year <= 99 {
				year += 1900 // Date.UTC's two-digit years
			}
			month := num(m[2], 1) - 1
			ms := m[7]
			if len(ms) > 3 {
				ms = ms[:3]
			}
			// Out-of-range parts roll over, as in Date.UTC.
			return time.Date(year, time.Month(month+1), num(m[3], 1), num(m[4], 0), num(m[5], 0), num(m[6], 0),
				num(ms, 0)*int(time.Millisecond), time.UTC), true
		}
	}
	// What JavaScript's Date reads: ISO 8601 with a zone.
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, strings.Replace(s, "z", "Z", 1)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
