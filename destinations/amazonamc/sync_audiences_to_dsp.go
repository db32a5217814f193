package amazonamc

import (
	"regexp"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SyncAudiencesToDSP adds users to an Amazon audience or removes them.
var SyncAudiencesToDSP = &destkit.Action{
	Key:                 "syncAudiencesToDSP",
	Title:               "Sync Audiences to DSP",
	Description:         "Add users to an Amazon Ads audience on Audience Entered, remove them otherwise.",
	DefaultSubscription: `event = "Audience Entered" or event = "Audience Exited"`,
	Fields: []destkit.Field{
		{Key: "event_name", Label: "Event Name", Type: destkit.String,
			Default: `{"@path":"$.event"}`, Description: "The event's name: Audience Entered adds, anything else removes."},
		{Key: "externalUserId", Label: "External User ID", Type: destkit.String, Required: true,
			Default: `{"@path":"$.userId"}`, Description: "Your id of the user: letters, digits, '-' and '_', up to 128."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "The user's email address, hashed before it is sent."},
		{Key: "firstName", Label: "First name", Type: destkit.String,
			Default: `{"@path":"$.properties.first_name"}`, Description: "The user's first name, hashed."},
		{Key: "lastName", Label: "Last name", Type: destkit.String,
			Default: `{"@path":"$.properties.last_name"}`, Description: "The user's last name, hashed."},
		{Key: "phone", Label: "Phone", Type: destkit.String,
			Default: `{"@path":"$.properties.phone"}`, Description: "The user's phone number, hashed."},
		{Key: "postal", Label: "Postal", Type: destkit.String,
			Default: `{"@path":"$.properties.postal"}`, Description: "The user's postal code, hashed."},
		{Key: "state", Label: "State", Type: destkit.String,
			Default: `{"@path":"$.properties.state"}`, Description: "The user's state, hashed."},
		{Key: "city", Label: "City", Type: destkit.String,
			Default: `{"@path":"$.properties.city"}`, Description: "The user's city, hashed."},
		{Key: "address", Label: "Address", Type: destkit.String,
			Default: `{"@path":"$.properties.address"}`, Description: "The user's address, hashed."},
		{Key: "audienceId", Label: "Audience ID", Type: destkit.String, Required: true,
			Default: `{"@path":"$.context.personas.external_audience_id"}`, Description: "Amazon's id of the audience, as its creation returned it."},
		{Key: "consent", Label: "Consent", Type: destkit.Object,
			Default:     `{"ipAddress":{"@path":"$.properties.ip"},"amznAdStorage":{"@path":"$.properties.amznAdStorage"},"amznUserData":{"@path":"$.properties.amznUserData"},"tcf":{"@path":"$.properties.tcf"},"gpp":{"@path":"$.properties.gpp"}}`,
			Description: "The user's consent for advertising; EU advertisers give one of the IP address, Amazon's consent, TCF or GPP.",
			Properties: []destkit.Field{
				{Key: "ipAddress", Label: "Geographic Consent: IP Address", Type: destkit.String, Description: "The user's IP address, for geographic consent."},
				{Key: "amznAdStorage", Label: "Ad Storage Consent", Type: destkit.String, Choices: grantedDenied,
					Description: "Whether the user consents to cookie-based tracking."},
				{Key: "amznUserData", Label: "User Data Consent", Type: destkit.String, Choices: grantedDenied,
					Description: "Whether the user consents to the use of personal data for advertising."},
				{Key: "tcf", Label: "TCF String", Type: destkit.String, Description: "An encoded Transparency and Consent Framework string."},
				{Key: "gpp", Label: "GPP String", Type: destkit.String, Description: "An encoded Global Privacy Platform string."},
			}},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Required: true,
			Default: `true`, Description: "Send records in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Min: 1500, Max: 10000,
			Default: `10000`, Description: "Largest number of records in one request."},
	},
	Hooks:        []destkit.Hook{audienceHook},
	Batch:        &destkit.Batch{MaxSize: 10000, Keys: []string{"audienceId"}},
	Perform:      syncOne,
	PerformBatch: syncBatch,
}

var grantedDenied = []destkit.Choice{{Value: "GRANTED", Label: "Granted"}, {Value: "DENIED", Label: "Denied"}}

// externalUserID is the form Amazon takes user ids in.
var externalUserID = regexp.MustCompile(`^[0-9a-zA-Z_-]{1,128}$`)

func invalidUserID() error {
	return destkit.ValidationErrorf("externalUserId", "externalUserId must be 1 to 128 letters, digits, '-' or '_'")
}

func syncOne(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if !externalUserID.Match(p.GetStringBytes("externalUserId")) {
		return nil, invalidUserID()
	}
	var h destkit.Hasher
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("records")
	w.ArrayStart()
	writeRecord(w, &h, p)
	w.ArrayEnd()
	w.Key("audienceId")
	writeID(w, string(p.GetStringBytes("audienceId")))
	w.ObjectEnd()
	if h.Err != nil {
		return nil, h.Err
	}
	return []destkit.Request{amcRequest("POST", endpoint(in.Settings)+"/amc/audiences/records", w.Bytes())}, nil
}

func syncBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	var h destkit.Hasher
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("audienceId")
	writeID(w, string(in.Payloads[0].GetStringBytes("audienceId")))
	w.Key("records")
	w.ArrayStart()
	sent := 0
	for i, p := range in.Payloads {
		if in.Rejected(i) != nil {
			continue
		}
		if !externalUserID.Match(p.GetStringBytes("externalUserId")) {
			in.Reject(i, invalidUserID())
			continue
		}
		writeRecord(w, &h, p)
		sent++
	}
	w.ArrayEnd()
	w.ObjectEnd()
	if h.Err != nil {
		return nil, h.Err
	}
	if sent == 0 {
		return nil, nil // every event was rejected, each with its reason
	}
	return []destkit.Request{amcRequest("POST", endpoint(in.Settings)+"/amc/audiences/records", w.Bytes())}, nil
}

// writeRecord writes one audience record (see the package doc).
func writeRecord(w *destkit.JSONWriter, h *destkit.Hasher, p *fastjson.Value) {
	w.ObjectStart()
	w.StringField("externalUserId", string(p.GetStringBytes("externalUserId")))
	if cc := destkit.HookOutput(p, audienceHook.Key, "countryCode"); cc != nil {
		w.StringField("countryCode", string(cc.GetStringBytes()))
	}
	action := "DELETE"
	if string(p.GetStringBytes("event_name")) == "Audience Entered" {
		action = "CREATE"
	}
	w.StringField("action", action)
	w.Key("hashedPII")
	w.ArrayStart()
	w.ObjectStart()
	for _, f := range hashedFields {
		if v := string(p.GetStringBytes(f.field)); v != "" {
			w.StringField(f.key, h.Hash(f.field, v, f.clean))
		}
	}
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
}

// hashedFields are the PII fields in the order Amazon's records list them, each with its
// normalisation.
var hashedFields = []struct {
	field, key string
	clean      func(string) string
}{
	{"firstName", "firstname", alphanumeric},
	{"lastName", "lastname", alphanumeric},
	{"address", "address", alphanumeric},
	{"postal", "postal", alphanumeric},
	{"phone", "phone", destkit.Digits},
	{"city", "city", alphanumeric},
	{"state", "state", alphanumeric},
	{"email", "email", emailChars},
}

// keepLower lower-cases s and keeps the characters keep allows.
func keepLower(s string, keep func(r rune) bool) string {
	out := make([]rune, 0, len(s))
	for _, r := range strings.ToLower(s) {
		if keep(r) {
			out = append(out, r)
		}
	}
	return string(out)
}

func alphanumeric(s string) string {
	return keepLower(s, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' })
}

func emailChars(s string) string {
	return keepLower(s, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '@' || r == '-'
	})
}
