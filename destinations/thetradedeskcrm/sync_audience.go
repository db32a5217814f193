package thetradedeskcrm

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// minDrop is the fewest events TTD takes in one drop.
const minDrop = 1500

// SyncAudience drops a batch's users into a CRM data segment.
var SyncAudience = &destkit.Action{
	Key:                 "syncAudience",
	Title:               "Sync Audience to CRM Data Segment",
	Description:         "Drop the batch's users into the audience's CRM data segment, replacing its members.",
	DefaultSubscription: `event = "Audience Entered"`,
	Fields: []destkit.Field{
		{Key: "external_id", Label: "External Audience ID", Type: destkit.String,
			Default:     `{"@path":"$.context.personas.external_audience_id"}`,
			Description: "The CRM data segment's id (CrmDataId); the audience hook's when empty."},
		{Key: "pii_type", Label: "PII Type", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "Email", Label: "Email"}, {Value: "EmailHashedUnifiedId2", Label: "Hashed Email"}},
			Description: "Send emails as they are, or hashed (TTD's hashed email)."},
		{Key: "email", Label: "User Email", Type: destkit.String,
			Default:     `{"@path":"$.context.traits.email"}`,
			Description: "The user's email address."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Send users in batches; a drop needs 1,500 of them."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String,
			Default:     `{"@path":"$.event"}`,
			Description: "The event's name."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number,
			Default:     `100000`,
			Description: "Largest number of users in one drop."},
	},
	Hooks: []destkit.Hook{audienceHook},
	Batch: &destkit.Batch{MaxSize: 100000, Keys: []string{"external_id", "pii_type"}},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return drop(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings})
	},
	RunBatch: func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		errs := make([]error, len(in.Payloads))
		if err := drop(ctx, d, in); err != nil {
			for i := range errs {
				errs[i] = err
			}
		}
		return errs
	},
}

// audienceHook is the audience kit's hook under Segment's hook name, which the registry
// requires (the kit names it "audience").
var audienceHook = func() destkit.Hook {
	h := destkit.AudienceHook(audienceConfig)
	h.Key = "onMappingSave"
	return h
}()

// drop opens a data drop for the batch's segment and uploads its users.
func drop(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) error {
	first := in.Payloads[0]
	segment := string(first.GetStringBytes("external_id"))
	if segment == "" {
		segment = string(destkit.HookOutput(first, audienceHook.Key, "externalId").GetStringBytes())
	}
	if segment == "" {
		return destkit.ValidationErrorf("external_id", "no CRM data segment: map context.personas.external_audience_id, or run the mapping's audience hook")
	}
	users := userFile(in.Payloads)
	if len(in.Payloads) < minDrop {
		return destkit.ValidationErrorf("", "The Trade Desk takes drops of %d events or more; this batch has %d", minDrop, len(in.Payloads))
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.StringField("PiiType", string(first.GetStringBytes("pii_type")))
	w.StringField("MergeMode", "Replace")
	w.Key("RetentionEnabled")
	w.Bool(true)
	w.ObjectEnd()
	open := destkit.NewJSONRequest("POST", baseURL+"/crmdata/segment/"+url.PathEscape(in.Settings.Str("advertiser_id"))+"/"+url.PathEscape(segment), w.Bytes())
	resp, err := d.Do(ctx, &open)
	if err != nil {
		return err
	}
	upload := string(parse(resp).GetStringBytes("Url"))
	if !strings.HasPrefix(upload, "https://") {
		return &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "The Trade Desk opened the drop without an https upload Url"}
	}
	put := destkit.Request{Method: "PUT", URL: upload, Body: users}
	put.SetHeader("Content-Type", "text/plain")
	_, err = d.Do(ctx, &put)
	return err
}

var (
	sha256Hex   = regexp.MustCompile(`^[a-fA-F0-9]{64}$`)
	base64Hash  = regexp.MustCompile(`^[A-Za-z0-9+/]*={1,2}$`)
	validEmail  = regexp.MustCompile(`^\S+@\S+\.\S+$`)
	hashedEmail = "EmailHashedUnifiedId2"
)

// userFile is the drop's body: one line per user whose email fits the PII type.
func userFile(payloads []*fastjson.Value) []byte {
	var b strings.Builder
	for _, p := range payloads {
		email, piiType := string(p.GetStringBytes("email")), string(p.GetStringBytes("pii_type"))
		switch {
		case email == "":
		case piiType == "Email" && validEmail.MatchString(email):
			b.WriteString(email + "\n")
		case piiType == hashedEmail && (sha256Hex.MatchString(email) || base64Hash.MatchString(email) || validEmail.MatchString(email)):
			b.WriteString(hashEmail(email) + "\n")
		}
	}
	return []byte(b.String())
}

// hashEmail is TTD's hashed email (see the package doc).
func hashEmail(email string) string {
	if sha256Hex.MatchString(email) {
		raw, _ := hex.DecodeString(email)
		return base64.StdEncoding.EncodeToString(raw)
	}
	if base64Hash.MatchString(email) {
		return email
	}
	sum := sha256.Sum256([]byte(normaliseEmail(email)))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// normaliseEmail is TTD's email normalisation: trimmed, lower-cased, and for gmail.com the
// user name without dots and without anything from a '+'.
func normaliseEmail(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	user, ok := strings.CutSuffix(email, "@gmail.com")
	if !ok {
		return email
	}
	user, _, _ = strings.Cut(user, "+")
	return strings.ReplaceAll(user, ".", "") + "@gmail.com"
}
