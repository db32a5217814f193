// Package intercom creates and updates contacts and companies and submits
// events in Intercom.
//
// Every call goes to https://api.intercom.io with the workspace's OAuth
// access token as a Bearer credential. Intercom's access tokens do not
// expire and it has no refresh grant, so a 401 fails the event with an
// authentication error: the workspace has to be reconnected.
//
// Contacts are found the way Segment's implementation finds them: a search
// on external_id (or, without one, on email), used only when it returns
// exactly one contact.
//
// Where this package departs from Segment's requests, it follows Intercom's
// API reference:
//   - Timestamps (signed_up_at, last_seen_at, created_at,
//     remote_created_at) are sent as Unix seconds. Segment converts dates
//     but leaves digit-only strings as strings and sends a company's
//     remote_created_at as it was mapped; Intercom documents integers.
//   - An event's price amount is revenue × 100 rounded to whole cents
//     (Segment sends the float product, 1998.9999999999998 for 19.99).
//   - Identify Company attaches the mapped Contact ID when there is one,
//     as the field promises, and keeps it out of the company body, which
//     has no such attribute; Segment ignores it for attaching and sends it
//     with the company.
//
// User deletion is not offered: Intercom deletes by its own contact id,
// which needs a search first, and the kit's deletion hook makes no calls
// of its own.
package intercom

import (
	"context"
	"regexp"
	"strconv"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const apiBase = "https://api.intercom.io"

// Definition is the Intercom destination.
var Definition = &destkit.Definition{
	Slug:        "intercom",
	SegmentSlug: "actions-intercom-cloud",
	Name:        "Intercom Cloud Mode (Actions)",
	Description: "Create and update Intercom contacts and companies and record their events.",
	Auth:        destkit.AuthOAuth2,
	OAuth: &destkit.OAuthConfig{
		Refresh: func(context.Context, destkit.Doer, destkit.OAuthCredentials, *destkit.Settings) (destkit.Token, error) {
			return destkit.Token{}, &destkit.AuthError{Code: "INVALID_AUTHENTICATION",
				Message: "Intercom rejected the access token; its tokens cannot be refreshed, reconnect the workspace"}
		},
	},
	Actions: []*destkit.Action{IdentifyContact, GroupIdentifyContact, TrackEvent},
}

// findContact returns the id of the one contact with the external id (or,
// without one, the email), or "" when there is none or more than one.
func findContact(ctx context.Context, d destkit.Doer, externalID, email string) (string, error) {
	field, value := "external_id", externalID
	if value == "" {
		field, value = "email", email
	}
	if value == "" {
		return "", nil
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 128))
	w.ObjectStart()
	w.Key("query")
	w.ObjectStart()
	w.Key("field")
	w.String(field)
	w.Key("operator")
	w.String("=")
	w.Key("value")
	w.String(value)
	w.ObjectEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", apiBase+"/contacts/search", w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return "", err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return "", &destkit.IntegrationError{Code: "UNEXPECTED_RESPONSE", Message: "Intercom's contact search returned invalid JSON", Retryable: true}
	}
	if v.GetInt("total_count") != 1 {
		return "", nil
	}
	return idString(v.Get("data", "0", "id")), nil
}

// idString reads an id that may be a string or a number.
func idString(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	if v.Type() == fastjson.TypeString {
		return string(v.GetStringBytes())
	}
	if v.Type() == fastjson.TypeNumber {
		return v.String()
	}
	return ""
}

var digits = regexp.MustCompile(`^\d+$`)

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02",
}

// writeUnix writes a datetime as Unix seconds: dates are converted (UTC when
// they carry no zone), digit strings become numbers, and anything else is
// passed on for Intercom to judge.
func writeUnix(w *destkit.JSONWriter, v *fastjson.Value) {
	if v.Type() == fastjson.TypeString {
		s := string(v.GetStringBytes())
		if digits.MatchString(s) {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				w.Int(n)
				return
			}
		}
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				w.Int(t.Unix())
				return
			}
		}
	}
	w.Value(v)
}

// writePayload writes the payload's members in order, converting the
// datetime keys and leaving out the skipped ones.
func writePayload(w *destkit.JSONWriter, p *fastjson.Value, times []string, skip ...string) {
	o, _ := p.Object()
	o.Visit(func(k []byte, v *fastjson.Value) {
		key := string(k)
		for _, s := range skip {
			if key == s {
				return
			}
		}
		w.Key(key)
		for _, t := range times {
			if key == t {
				writeUnix(w, v)
				return
			}
		}
		w.Value(v)
	})
}
