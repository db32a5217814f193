package yahooaudiences

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateSegment adds users to and removes them from Yahoo segments: one
// request per batch, one row per user (hashed email, IDFA, Google
// advertising ID, hashed phone) whose SEGMENTS column lists the batch's
// changes for that user, "exp=<expiry>&seg_id=<audience id>&ts=<now>",
// separated by semicolons. An add expires 90 days from now, a removal has
// expiry 0.
//
// Membership is the audience kit's: the flag at the audience key in the
// event's properties or traits (event_attributes), by JavaScript
// truthiness. Segment tests it for true and false exactly and sends
// "exp=undefined" for anything else (a "true" string, say), which Yahoo
// cannot apply.
//
// Identifiers (Segment's rules): the email is lower-cased and hashed with
// SHA-256; the phone becomes + and its digits (1 to 15 of them) and is
// hashed; the advertising ID is an IDFA on iOS and a Google advertising ID
// on Android, and without a device type an upper-case ID is taken for an
// IDFA. An event with none of them fails on its own (Segment drops it and
// reports it delivered).
var UpdateSegment = &destkit.Action{
	Key:                 "updateSegment",
	Title:               "Sync To Yahoo Ads Segment",
	Description:         "Sync Segment Engage audiences to Yahoo Ads segments.",
	DefaultSubscription: `type = "identify" or type = "track"`,
	Fields: []destkit.Field{
		{Key: "segment_audience_id", Label: "Segment Audience Id", Type: destkit.String, Required: true, Default: `{"@path":"$.context.personas.computation_id"}`,
			Description: "Id of the Engage audience (its computation id); Yahoo's segment id."},
		{Key: "segment_audience_key", Label: "Segment Audience Key", Type: destkit.String, Required: true, Default: `{"@path":"$.context.personas.computation_key"}`,
			Description: "Key of the Engage audience; names the membership flag in the traits or properties."},
		{Key: "event_attributes", Label: "Event traits or properties. Do not modify this setting", Type: destkit.Object, Required: true, Default: `{"@if":{"exists":{"@path":"$.properties"},"then":{"@path":"$.properties"},"else":{"@path":"$.traits"}}}`,
			Description: "The event's properties (track) or traits (identify), holding the membership flag at the audience key."},
		{Key: "segment_computation_action", Label: "Segment Computation Action", Type: destkit.String, Required: true, Default: `{"@path":"$.context.personas.computation_class"}`, Choices: destkit.ChoiceValues("audience", "journey_step"),
			Description: "Kind of Engage computation that sent the event."},
		{Key: "phone", Label: "User Phone", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.traits.phone"},"then":{"@path":"$.traits.phone"},"else":{"@path":"$.properties.phone"}}}`,
			Description: "Phone number of the user; sent as SHA-256 of + and its digits."},
		{Key: "email", Label: "User Email", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.context.traits.email"}}}`,
			Description: "Email of the user; lower-cased and hashed with SHA-256."},
		{Key: "advertising_id", Label: "User Mobile Advertising ID", Type: destkit.String, Default: `{"@path":"$.context.device.advertisingId"}`,
			Description: "Mobile advertising ID of the user's device (IDFA or Google advertising ID)."},
		{Key: "device_type", Label: "User Mobile Device Type", Type: destkit.String, Default: `{"@path":"$.context.device.type"}`,
			Description: "Device type of the user (ios or android), which says what kind of advertising ID it is."},
		{Key: "gdpr_settings", Label: "GDPR Settings", Type: destkit.Object, Properties: []destkit.Field{
			{Key: "gdpr_flag", Label: "GDPR Flag", Type: destkit.Boolean, Required: true, Default: `false`,
				Description: "Whether the data is subject to GDPR."},
			{Key: "gdpr_euconsent", Label: "GDPR Consent Attributes", Type: destkit.String,
				Description: "IAB consent string of the users; needed when the GDPR flag is set."},
		},
			Description: "GDPR settings of the audience's data."},
		{Key: "enable_batching", Label: "Batch Data to Yahoo", Type: destkit.Boolean, Default: `true`,
			Description: "Send events in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `1000`,
			Description: "Largest number of events per batch."},
	},
	Batch: &destkit.Batch{MaxSize: 1000},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return updateSegments(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences})[0]
	},
	RunBatch: updateSegments,
}

// membership reads the flag at segment_audience_key in event_attributes.
var membership = destkit.MembershipFields{Key: "segment_audience_key", Props: "event_attributes"}

// membershipLife is how long Yahoo keeps a user in a segment after an add.
const membershipLife = 90 * 24 * time.Hour

// row is one user's identifiers: the key grouping a batch's changes.
type row struct{ email, idfa, gpsaid, phone string }

func updateSegments(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	ts := now()
	var order []row
	changes := map[row][]string{}
	var sent []int
	for i, p := range in.Payloads {
		m, err := membership.Of(p)
		if err != nil {
			errs[i] = err
			continue
		}
		r := identifiers(p)
		if r == (row{}) {
			errs[i] = destkit.ValidationErrorf("email", "Selected identifier(s) not available in the event(s)")
			continue
		}
		exp := "0"
		if m == destkit.AudienceAdd {
			exp = strconv.FormatInt(ts.Add(membershipLife).Unix(), 10)
		}
		if _, ok := changes[r]; !ok {
			order = append(order, r)
		}
		changes[r] = append(changes[r], "exp="+exp+"&seg_id="+string(p.GetStringBytes("segment_audience_id"))+"&ts="+strconv.FormatInt(ts.Unix(), 10))
		sent = append(sent, i)
	}
	if len(sent) == 0 {
		return errs
	}
	first := in.Payloads[sent[0]]
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("schema")
	w.Raw([]byte(`["SHA256EMAIL","IDFA","GPADVID","HASHEDID","SEGMENTS"]`))
	w.Key("data")
	w.ArrayStart()
	for _, r := range order {
		w.ArrayStart()
		for _, v := range []string{r.email, r.idfa, r.gpsaid, r.phone, strings.Join(changes[r], ";")} {
			w.String(v)
		}
		w.ArrayEnd()
	}
	w.ArrayEnd()
	gdpr := first.GetBool("gdpr_settings", "gdpr_flag")
	w.Key("gdpr")
	w.Bool(gdpr)
	if gdpr {
		w.Field("gdpr_euconsent", first.Get("gdpr_settings", "gdpr_euconsent"))
	}
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", audienceURL, w.Bytes())
	if _, err := d.Do(ctx, &r); err != nil {
		for _, i := range sent {
			errs[i] = err
		}
	}
	return errs
}

// identifiers reads and hashes a payload's identifiers.
func identifiers(p *fastjson.Value) row {
	var r row
	if email := string(p.GetStringBytes("email")); email != "" {
		r.email, _ = destkit.HashSHA256(strings.ToLower(email), strings.ToLower)
	}
	if ad := string(p.GetStringBytes("advertising_id")); ad != "" {
		switch device := string(p.GetStringBytes("device_type")); {
		case device == "ios", device == "" && ad == strings.ToUpper(ad):
			r.idfa = ad
		case device == "android", device == "":
			r.gpsaid = ad
		}
	}
	if phone := phoneE164(string(p.GetStringBytes("phone"))); phone != "" {
		r.phone, _ = destkit.HashSHA256(phone, strings.ToLower)
	}
	return r
}

// phoneE164 is + and the phone number's digits, or "" unless there are 1 to 15.
func phoneE164(phone string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	if len(digits) < 1 || len(digits) > 15 {
		return ""
	}
	return "+" + digits
}
