package linkedinaudiences

import (
	"context"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// UpdateAudience adds users to and removes them from the DMP segment of
// their audience, in one BATCH_CREATE request per batch (each element says
// ADD or REMOVE, in event order).
//
// Each user is sent with a hashed email and a Google advertising ID, as the
// settings allow; emails are trimmed and lower-cased before hashing, as
// LinkedIn asks (Segment hashes them as they come, so an address with
// capitals would not match). Per event, as in Segment: DMP User Action ADD
// or REMOVE decides; Auto Detect adds on Audience Entered and removes on
// Audience Exited (and adds otherwise), and then the source segment id must
// equal the audience key.
//
// Differences from Segment: an event with neither email nor advertising ID
// fails on its own (Segment drops it and reports it delivered); a 4xx
// answer other than 401 and 404 fails the batch, where Segment retries
// every non-200 answer; a batch holds one audience (Batch.Keys), where
// Segment sends a mixed batch to the first event's segment.
var UpdateAudience = &destkit.Action{
	Key:                 "updateAudience",
	Title:               "Sync To LinkedIn DMP Segment",
	Description:         "Syncs contacts from a Personas Audience to a LinkedIn DMP Segment.",
	DefaultSubscription: `event = "Audience Entered" or event = "Audience Exited"`,
	Fields: []destkit.Field{
		{Key: "dmp_segment_name", Label: "DMP Segment Display Name", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.audience_key"},"then":{"@path":"$.properties.audience_key"},"else":{"@path":"$.context.personas.computation_key"}}}`,
			Description: "Name of the LinkedIn DMP segment created for the audience."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send events in batches."},
		{Key: "email", Label: "User Email", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.traits.email"}}}`,
			Description: "Email of the user; hashed with SHA-256 before sending."},
		{Key: "first_name", Label: "User First Name", Type: destkit.String, Default: `{"@path":"$.traits.firstName"}`,
			Description: "First name of the user."},
		{Key: "last_name", Label: "User Last Name", Type: destkit.String, Default: `{"@path":"$.traits.lastName"}`,
			Description: "Last name of the user."},
		{Key: "title", Label: "User Title", Type: destkit.String, Default: `{"@path":"$.traits.title"}`,
			Description: "Job title of the user."},
		{Key: "company", Label: "User Company", Type: destkit.String, Default: `{"@path":"$.traits.company"}`,
			Description: "Company of the user."},
		{Key: "country", Label: "User Country", Type: destkit.String, Default: `{"@path":"$.traits.country"}`,
			Description: "Country of the user (ISO 3166-1 alpha-2)."},
		{Key: "google_advertising_id", Label: "User Google Advertising ID", Type: destkit.String, Default: `{"@path":"$.context.device.advertisingId"}`,
			Description: "Google advertising ID of the user's device."},
		{Key: "source_segment_id", Label: "LinkedIn Source Segment ID", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.audience_key"},"then":{"@path":"$.properties.audience_key"},"else":{"@path":"$.context.personas.computation_key"}}}`,
			Description: "Id of the audience at the source; must equal the audience key when the action is detected automatically."},
		{Key: "personas_audience_key", Label: "Segment Engage Audience Key", Type: destkit.String, Required: true, Default: `{"@if":{"exists":{"@path":"$.properties.audience_key"},"then":{"@path":"$.properties.audience_key"},"else":{"@path":"$.context.personas.computation_key"}}}`,
			Description: "Key of the Engage audience; the DMP segment is found or created by it."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Default: `{"@path":"$.event"}`,
			Description: "Name of the event; Audience Entered adds the user, Audience Exited removes them."},
		{Key: "dmp_user_action", Label: "DMP User Action", Type: destkit.String, Default: `"AUTO"`, Choices: []destkit.Choice{{Value: "AUTO", Label: "Auto Detect"}, {Value: "ADD", Label: "Add"}, {Value: "REMOVE", Label: "Remove"}},
			Description: "Whether to add or remove the user; Auto Detect reads the event name."},
	},
	Batch: &destkit.Batch{MaxSize: 5000, Keys: []string{"personas_audience_key"}},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return syncUsers(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences})[0]
	},
	RunBatch: syncUsers,
}

func syncUsers(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	s := in.Settings
	if !s.Bool("send_email") && !s.Bool("send_google_advertising_id") {
		err := &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "At least one of `Send Email` or `Send Google Advertising ID` must be set to `true`."}
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	els := destkit.NewJSONWriter(nil)
	var sent []int
	for i, p := range in.Payloads {
		if err := writeUser(els, p, s); err != nil {
			errs[i] = err
			continue
		}
		sent = append(sent, i)
	}
	if len(sent) == 0 {
		return errs
	}
	first := in.Payloads[sent[0]]
	key := string(first.GetStringBytes("personas_audience_key"))
	id, err := segmentID(ctx, d, in.Audiences, s, userSegment, key, string(first.GetStringBytes("dmp_segment_name")))
	if err != nil {
		for _, i := range sent {
			errs[i] = err
		}
		return errs
	}
	body := make([]byte, 0, len(els.Bytes())+16)
	body = append(append(append(body, `{"elements":[`...), els.Bytes()...), "]}"...)
	r := destkit.NewJSONRequest("POST", apiBase+"/dmpSegments/"+id+"/users", body)
	r.SetHeader("X-RestLi-Method", "BATCH_CREATE")
	resp, err := d.Do(ctx, &r)
	for _, i := range sent {
		if err != nil {
			errs[i] = statusError(userSegment, resp, err)
		}
	}
	return errs
}

// writeUser checks one payload and writes its element.
func writeUser(w *destkit.JSONWriter, p *fastjson.Value, s *destkit.Settings) error {
	str := func(k string) string { return string(p.GetStringBytes(k)) }
	mode := str("dmp_user_action")
	if (mode == "" || mode == "AUTO") && str("source_segment_id") != str("personas_audience_key") {
		return destkit.ValidationErrorf("source_segment_id", "The value of `source_segment_id` and `personas_audience_key` must match.")
	}
	email, gaid := str("email"), str("google_advertising_id")
	if email == "" && gaid == "" {
		return destkit.ValidationErrorf("email", "Neither an email nor a Google advertising ID: LinkedIn cannot match the user.")
	}
	w.ObjectStart()
	w.Key("action")
	w.String(userAction(mode, str("event_name")))
	w.Key("userIds")
	w.ArrayStart()
	if email != "" && s.Bool("send_email") {
		h, _ := destkit.HashSHA256(email, normalizeEmail)
		w.ObjectStart()
		w.Key("idType")
		w.String("SHA256_EMAIL")
		w.Key("idValue")
		w.String(h)
		w.ObjectEnd()
	}
	if gaid != "" && s.Bool("send_google_advertising_id") {
		w.ObjectStart()
		w.Key("idType")
		w.String("GOOGLE_AID")
		w.Key("idValue")
		w.String(gaid)
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.StringField("firstName", str("first_name"))
	w.StringField("lastName", str("last_name"))
	w.StringField("title", str("title"))
	w.StringField("company", str("company"))
	w.StringField("country", str("country"))
	w.ObjectEnd()
	return nil
}

// userAction is ADD or REMOVE for the mapping's DMP User Action and the
// event's name.
func userAction(mode, event string) string {
	switch {
	case mode == "REMOVE", (mode == "" || mode == "AUTO") && event == "Audience Exited":
		return "REMOVE"
	}
	return "ADD"
}

// normalizeEmail trims and lower-cases an address before hashing.
func normalizeEmail(s string) string { return strings.ToLower(jsvalue.Trim(s)) }
