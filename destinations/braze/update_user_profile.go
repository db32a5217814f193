package braze

import (
	"slices"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateUserProfile sets standard and custom attributes of a user.
var UpdateUserProfile = &destkit.Action{
	Key:                 "updateUserProfile",
	Title:               "Update User Profile",
	Description:         "Set standard and custom attributes of a Braze user.",
	DefaultSubscription: `type = "identify"`,
	Fields:              []destkit.Field{externalID, userAlias, brazeID, country, currentLocation, dateOfFirstSession, dateOfLastSession, dob, emailAlt, emailSubscribe, emailOpenTrackingDisabled, emailClickTrackingDisabled, facebook, firstName, gender, homeCity, imageURL, language, lastName, markedEmailAsSpamAt, phone, pushSubscribe, pushTokens, timeZone, twitter, subscriptionGroups, customAttributes, updateExistingOnly, enableBatching, batchSize},
	Batch:               &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := updateProfiles(b, fieldExistingOnly)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return updateProfiles(in, fieldExistingOnly) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "attributes", sequential(in))
	},
}

// standardAttributes are copied as they are, in this order.
var standardAttributes = []string{"country", "current_location", "date_of_first_session", "date_of_last_session",
	"dob", "email", "email_subscribe", "email_open_tracking_disabled", "email_click_tracking_disabled", "facebook",
	"first_name", "gender", "home_city", "image_url", "language", "last_name", "marked_email_as_spam_at", "phone",
	"push_subscribe", "push_tokens", "time_zone", "twitter", "subscription_groups"}

// UpdateUserProfile2 is UpdateUserProfile driven by the subscription's
// sync mode. Its only mode, "update", never creates users.
var UpdateUserProfile2 = &destkit.Action{
	Key:                 "updateUserProfile2",
	Title:               "Update User Profile V2",
	Description:         "Set standard and custom attributes of existing Braze users.",
	DefaultSubscription: `type = "identify"`,
	Fields:              []destkit.Field{externalID, userAlias, brazeID, country, currentLocation, dateOfFirstSession, dateOfLastSession, dob, emailAlt, emailSubscribe, emailOpenTrackingDisabled, emailClickTrackingDisabled, facebook, firstName, gender, homeCity, imageURL, language, lastName, markedEmailAsSpamAt, phone, pushSubscribe, pushTokens, timeZone, twitter, subscriptionGroups, customAttributes, enableBatching, batchSize},
	Batch:               &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := updateProfiles(b, updateOnly)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return updateProfiles(in, updateOnly) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "attributes", sequential(in))
	},
}

var updateOnly = syncModeExistingOnly("update")

func updateProfiles(in *destkit.BatchInput, eo existingOnly) ([]destkit.Request, error) {
	checkRecords(in, false, eo)
	return trackRequest(in, "attributes", func(w *destkit.JSONWriter, _ int, p *fastjson.Value) int {
		w.ObjectStart()
		// Profile updates carry no app ID, as in Segment.
		w.Field("external_id", p.Get("external_id"))
		w.Field("user_alias", p.Get("user_alias"))
		w.Field("braze_id", p.Get("braze_id"))
		set := map[string]bool{}
		for _, k := range standardAttributes {
			v := p.Get(k)
			if v == nil || (k == "current_location" && (v.Get("latitude") == nil || v.Get("longitude") == nil)) {
				// A partial location is rejected by Braze; drop it instead
				// of failing the whole profile update.
				continue
			}
			set[k] = true
			w.Key(k)
			if k == "gender" {
				w.String(brazeGender(string(v.GetStringBytes())))
				continue
			}
			w.Value(v)
		}
		// Custom attributes never stand in for a standard attribute, set or
		// not, nor for the fields of Track Purchase: Segment writes the
		// standard ones over them, unset ones included, which drops them.
		if ca := p.GetObject("custom_attributes"); ca != nil {
			ca.Visit(func(k []byte, v *fastjson.Value) {
				key := string(k)
				if set[key] || isIdentity(key) || reservedAttribute[key] ||
					(key != "subscription_groups" && slices.Contains(standardAttributes, key)) {
					return
				}
				w.Key(string(k))
				w.Value(v)
			})
		}
		writeExistingOnly(w, p, eo)
		w.ObjectEnd()
		return 1
	})
}

// reservedAttribute are the custom attribute names Segment leaves out: the
// fields of Track Purchase and three camel-case traits.
var reservedAttribute = map[string]bool{"email": true, "time": true, "products": true, "properties": true,
	"enable_batching": true, "batch_size": true, "firstName": true, "lastName": true, "avatar": true}

func isIdentity(k string) bool {
	return k == "external_id" || k == "user_alias" || k == "braze_id" || k == "app_id" || k == "_update_existing_only"
}

// brazeGender maps common spellings onto Braze's one-letter codes; other
// values pass through for Braze to judge.
func brazeGender(g string) string {
	switch strings.ToLower(strings.TrimSpace(g)) {
	case "m", "male", "man":
		return "M"
	case "f", "female", "woman":
		return "F"
	case "o", "other":
		return "O"
	case "n", "not applicable", "n/a":
		return "N"
	case "p", "prefer not to say":
		return "P"
	case "u", "unknown":
		return ""
	}
	return g
}
