package linkedinconversions

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

var windowChoices = []destkit.Choice{{Value: 1, Label: "1 day"}, {Value: 7, Label: "7 days"}, {Value: 30, Label: "30 days"}, {Value: 90, Label: "90 days"}}

// conversionRuleHook is Segment's onMappingSave hook: it selects, creates
// or updates the conversion rule (conversion_rule.go), and the action reads
// the rule's id from its outputs.
var conversionRuleHook = destkit.Hook{
	Key:         "onMappingSave",
	Label:       "Create a Conversion Rule",
	Description: "The LinkedIn conversion rule this mapping streams to: an existing rule, or one created from the inputs.",
	Inputs: []destkit.Field{
		{Key: "adAccountId", Label: "Ad Account", Type: destkit.String, Required: true, Dynamic: adAccountChoices,
			Description: "Ad account URN (urn:li:sponsoredAccount:…) that owns the rule."},
		{Key: "campaignId", Label: "Add Campaigns to Conversion", Type: destkit.String, Multiple: true, Dynamic: campaignChoices,
			Description: "Campaigns of the ad account to associate with the rule."},
		{Key: "conversionRuleId", Label: "Existing Conversion Rule ID", Type: destkit.String, Dynamic: ruleChoices,
			Description: "Id of an existing rule; when set no rule is created."},
		{Key: "name", Label: "Name", Type: destkit.String,
			Description: "Name of the rule to create."},
		{Key: "conversionType", Label: "Conversion Type", Type: destkit.String,
			Choices: destkit.ChoiceValues("ADD_TO_CART", "DOWNLOAD", "INSTALL", "KEY_PAGE_VIEW", "LEAD", "PURCHASE", "SIGN_UP", "OTHER",
				"TALENT_LEAD", "JOB_APPLY", "SAVE", "START_CHECKOUT", "SCHEDULE", "VIEW_CONTENT", "VIEW_VIDEO", "ADD_BILLING_INFO",
				"BOOK_APPOINTMENT", "REQUEST_QUOTE", "SEARCH", "SUBSCRIBE", "AD_CLICK", "AD_VIEW", "COMPLETE_SIGNUP", "SUBMIT_APPLICATION",
				"PHONE_CALL", "INVITE", "LOGIN", "SHARE", "DONATE", "ADD_TO_LIST", "RATE", "START_TRIAL", "OUTBOUND_CLICK", "CONTACT",
				"MARKETING_QUALIFIED_LEAD", "SALES_QUALIFIED_LEAD"),
			Description: "Type of the rule to create."},
		{Key: "attribution_type", Label: "Attribution Type", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "LAST_TOUCH_BY_CAMPAIGN", Label: "Each Campaign"}, {Value: "LAST_TOUCH_BY_CONVERSION", Label: "Single Campaign"}},
			Description: "How conversions are attributed to campaigns."},
		{Key: "post_click_attribution_window_size", Label: "Post-Click Attribution Window Size", Type: destkit.Number,
			Default: `30`, Choices: windowChoices,
			Description: "Days after an ad click within which a conversion is attributed to it."},
		{Key: "view_through_attribution_window_size", Label: "View-Through Attribution Window Size", Type: destkit.Number,
			Default: `7`, Choices: windowChoices,
			Description: "Days after an ad view within which a conversion is attributed to it."},
	},
	Outputs: []destkit.Field{
		// Only the id is needed to stream; the rest describe the rule.
		{Key: "id", Label: "ID", Type: destkit.String, Required: true, Description: "Id of the conversion rule events are attributed to."},
		{Key: "name", Label: "Name", Type: destkit.String, Description: "Name of the rule."},
		{Key: "conversionType", Label: "Conversion Type", Type: destkit.String, Description: "Type of the rule."},
		{Key: "attribution_type", Label: "Attribution Type", Type: destkit.String, Description: "Attribution type of the rule."},
		{Key: "post_click_attribution_window_size", Label: "Post-Click Attribution Window Size", Type: destkit.Number, Description: "Post-click window in days."},
		{Key: "view_through_attribution_window_size", Label: "View-Through Attribution Window Size", Type: destkit.Number, Description: "View-through window in days."},
	},
	Run: runConversionRule,
}

// StreamConversion sends conversion events to one conversion rule.
var StreamConversion = &destkit.Action{
	Key:                 "streamConversion",
	Title:               "Stream Conversion Event",
	Description:         "Stream conversion events to a LinkedIn conversion rule.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "conversionHappenedAt", Label: "Timestamp", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the conversion happened: epoch milliseconds or a date; within the past 90 days."},
		{Key: "conversionValue", Label: "Conversion Value", Type: destkit.Object,
			Default: `{"currencyCode":{"@path":"$.properties.currency"},"amount":{"@path":"$.properties.revenue"}}`,
			Properties: []destkit.Field{
				{Key: "currencyCode", Label: "Currency Code", Type: destkit.String, Required: true,
					Description: "ISO 4217 currency code."},
				{Key: "amount", Label: "Amount", Type: destkit.String, Required: true,
					Description: "Value of the conversion as a decimal string."},
			},
			Description: "Monetary value of the conversion."},
		{Key: "eventId", Label: "Event ID", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Unique id of the event, used by LinkedIn for deduplication."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email of the converting person; hashed with SHA-256 before sending."},
		{Key: "linkedInUUID", Label: "LinkedIn First Party Ads Tracking UUID", Type: destkit.String,
			Description: "LinkedIn first-party cookie or click id (enhanced conversion tracking)."},
		{Key: "acxiomID", Label: "Acxiom ID", Type: destkit.String,
			Description: "Identifier for matching through LiveRamp's identity graph."},
		{Key: "oracleID", Label: "Oracle ID", Type: destkit.String,
			Description: "Oracle MOAT identity identifier."},
		{Key: "userInfo", Label: "User Info", Type: destkit.Object,
			Properties: []destkit.Field{
				{Key: "firstName", Label: "First Name", Type: destkit.String, Required: true,
					Description: "First name of the person."},
				{Key: "lastName", Label: "Last Name", Type: destkit.String, Required: true,
					Description: "Last name of the person."},
				{Key: "companyName", Label: "Company Name", Type: destkit.String,
					Description: "The person's company."},
				{Key: "title", Label: "Title", Type: destkit.String,
					Description: "The person's job title."},
				{Key: "countryCode", Label: "Country Code", Type: destkit.String,
					Description: "ISO country code of the person."},
			},
			Description: "More details for matching; first and last name are both required when it is set."},
		{Key: "externalIds", Label: "External ID", Type: destkit.String, Multiple: true,
			Description: "Your own identifier for the person; LinkedIn accepts one, the first is sent."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Send events in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number,
			Default:     `5000`,
			Description: "Largest number of events per batch."},
	},
	Hooks:        []destkit.Hook{conversionRuleHook},
	Batch:        &destkit.Batch{MaxSize: 5000},
	Perform:      streamConversion,
	PerformBatch: streamConversions,
}

func streamConversion(in *destkit.Input) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	if err := writeConversion(w, in.Payload); err != nil {
		return nil, err
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/conversionEvents", w.Bytes())}, nil
}

// streamConversions sends one BATCH_CREATE request per conversion rule
// (one in practice: a batch holds the events of one mapping).
func streamConversions(in *destkit.BatchInput) ([]destkit.Request, error) {
	type group struct {
		w      *destkit.JSONWriter
		events []int
	}
	var order []string
	groups := map[string]*group{}
	for i, p := range in.Payloads {
		el := destkit.NewJSONWriter(make([]byte, 0, 512))
		if err := writeConversion(el, p); err != nil {
			in.Reject(i, err)
			continue
		}
		rule := ruleID(p)
		g := groups[rule]
		if g == nil {
			g = &group{w: destkit.NewJSONWriter(make([]byte, 0, 512*len(in.Payloads)))}
			g.w.ObjectStart()
			g.w.Key("elements")
			g.w.ArrayStart()
			groups[rule] = g
			order = append(order, rule)
		}
		g.w.Raw(el.Bytes())
		g.events = append(g.events, i)
	}
	reqs := make([]destkit.Request, 0, len(order))
	for _, rule := range order {
		g := groups[rule]
		g.w.ArrayEnd()
		g.w.ObjectEnd()
		r := destkit.NewJSONRequest("POST", apiBase+"/conversionEvents", g.w.Bytes())
		r.SetHeader("X-RestLi-Method", "BATCH_CREATE")
		r.Events = g.events
		reqs = append(reqs, r)
	}
	return reqs, nil
}

func ruleID(p *fastjson.Value) string {
	return string(destkit.HookOutput(p, conversionRuleHook.Key, "id").GetStringBytes())
}

// writeConversion checks one payload and writes its conversion event.
func writeConversion(w *destkit.JSONWriter, p *fastjson.Value) error {
	rule := ruleID(p)
	if rule == "" {
		return destkit.ValidationErrorf(conversionRuleHook.Key, "Conversion Rule ID is required.")
	}
	at, err := conversionTime(string(p.GetStringBytes("conversionHappenedAt")))
	if err != nil {
		return err
	}
	email := strings.TrimSpace(string(p.GetStringBytes("email")))
	uuid := string(p.GetStringBytes("linkedInUUID"))
	acxiom := string(p.GetStringBytes("acxiomID"))
	oracle := string(p.GetStringBytes("oracleID"))
	if email == "" && uuid == "" && acxiom == "" && oracle == "" {
		return destkit.ValidationErrorf("email", "One of email or LinkedIn UUID or Acxiom ID or Oracle ID is required.")
	}
	w.ObjectStart()
	w.Key("conversion")
	w.String("urn:lla:llaPartnerConversion:" + rule)
	w.Key("conversionHappenedAt")
	w.Int(at)
	w.Field("conversionValue", p.Get("conversionValue"))
	w.Field("eventId", p.Get("eventId"))
	w.Key("user")
	w.ObjectStart()
	w.Key("userIds")
	w.ArrayStart()
	userID := func(kind, value string) {
		if value == "" {
			return
		}
		w.ObjectStart()
		w.Key("idType")
		w.String(kind)
		w.Key("idValue")
		w.String(value)
		w.ObjectEnd()
	}
	if email != "" {
		userID("SHA256_EMAIL", hashEmail(email))
	}
	userID("LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", uuid)
	userID("AXCIOM_ID", acxiom)
	userID("ORACLE_MOAT_ID", oracle)
	w.ArrayEnd()
	w.Field("userInfo", p.Get("userInfo"))
	if ids := p.GetArray("externalIds"); len(ids) > 0 {
		w.Key("externalIds")
		w.ArrayStart()
		w.Value(ids[0])
		w.ArrayEnd()
	}
	w.ObjectEnd()
	w.ObjectEnd()
	return nil
}

var sha256Hex = regexp.MustCompile(`^[a-fA-F0-9]{64}$`)

// hashEmail returns the hex SHA-256 of the trimmed, lower-cased address,
// or the value itself when it already is a SHA-256 hex digest.
func hashEmail(email string) string {
	if sha256Hex.MatchString(email) {
		return email
	}
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:])
}

var (
	decimal  = regexp.MustCompile(`^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$`)
	maxEpoch = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
)

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02",
}

// conversionTime reads the timestamp as epoch milliseconds and checks
// LinkedIn's 90-day window.
func conversionTime(s string) (int64, error) {
	var ms int64
	ok := false
	if decimal.MatchString(s) {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && f == math.Trunc(f) && f >= 0 && f <= float64(maxEpoch) {
			ms, ok = int64(f), true
		}
	}
	if !ok {
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
				ms, ok = t.UnixMilli(), true
				break
			}
		}
	}
	if !ok {
		return 0, destkit.ValidationErrorf("conversionHappenedAt", "Timestamp is not a valid date.")
	}
	if ms < now().Add(-90*24*time.Hour).UnixMilli() {
		return 0, destkit.ValidationErrorf("conversionHappenedAt", "Timestamp should be within the past 90 days.")
	}
	return ms, nil
}
