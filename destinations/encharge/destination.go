// Package encharge sends events, page views, users, aliases, objects and
// tags to Encharge, a marketing automation platform.
//
// Sources: Encharge's ingest API (ingest.encharge.io/v1) and REST API
// (api.encharge.io/v1/tags, /v1/people) documentation and Segment's
// open-source Encharge destination; the bodies follow Segment's code.
// Every request carries the API key in "X-Encharge-Token", a JSON content
// type and "X-Segment-Actions: 1".
//
// Events, page views and identifies are one body: the payload without its
// context fields, then a context object (ip, userAgent, campaign, page,
// location, groupId — those present), then a user object (email, userId,
// segmentAnonymousId, then the traits, which may override the three in
// place).
package encharge

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const (
	ingestURL = "https://ingest.encharge.io/v1"
	restBase  = "https://api.encharge.io/v1"
)

// Definition is the Encharge destination.
var Definition = &destkit.Definition{
	Slug:        "encharge",
	SegmentSlug: "encharge-cloud-actions",
	Name:        "Encharge (Actions)",
	Description: "Send events, page views, users and companies to Encharge to drive marketing automation flows.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Your Encharge API key, from Settings > API keys in Encharge."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-Encharge-Token", s.Str("apiKey"))
		r.SetHeader("Content-Type", "application/json")
		r.SetHeader("X-Segment-Actions", "1")
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, IdentifyUser, TrackPageView, AliasUser, CreateUpdateObject, AddTag, RemoveTag},
	Presets: []destkit.Preset{
		{Name: "Track Event", Action: "trackEvent", Trigger: `type = "track"`, Mapping: destkit.JSON(TrackEvent.DefaultMapping())},
		{Name: "Identify User", Action: "identifyUser", Trigger: `type = "identify"`, Mapping: destkit.JSON(IdentifyUser.DefaultMapping())},
		{Name: "Track Page View", Action: "trackPageView", Trigger: `type = "page"`, Mapping: destkit.JSON(TrackPageView.DefaultMapping())},
		{Name: "Alias User", Action: "aliasUser", Trigger: `type = "alias"`, Mapping: destkit.JSON(AliasUser.DefaultMapping())},
		{Name: "Create or Update Object", Action: "createUpdateObject", Trigger: `type = "group"`, Mapping: destkit.JSON(CreateUpdateObject.DefaultMapping())},
	},
	Delete: deleteUser,
}

// deleteUser erases a person by user id, else by anonymous id.
func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	var q string
	switch {
	case in.UserID != "":
		q = "people[0][userId]=" + queryEscape(in.UserID)
	case in.AnonymousID != "":
		q = "people[0][segmentAnonymousId]=" + queryEscape(in.AnonymousID)
	default:
		return nil, nil // nothing identifies the person: nothing to delete
	}
	return []destkit.Request{{Method: "DELETE", URL: restBase + "/people?" + q}}, nil
}

// queryEscape escapes what a WHATWG URL parser escapes in a query (Segment
// puts the id in the URL as it is), plus "#", which would otherwise end it.
func queryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"#<>'", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// contextKeys are the payload fields that go into the context object, in
// its order.
var contextKeys = []string{"ip", "userAgent", "campaign", "page", "location", "groupId"}

// ingestBody builds the body of an event, page view or identify; traits is
// the field holding the user's traits.
func ingestBody(p *fastjson.Value, traits string) []byte {
	var body destkit.JSObject
	body.Assign(p, func(k string) bool {
		switch k {
		case "ip", "userAgent", "campaign", "page", "location", "user", "groupId":
			return true
		}
		return notInternal(k)
	})
	var ctx destkit.JSObject
	for _, k := range contextKeys {
		if v := p.Get(k); v != nil {
			ctx.SetValue(k, v)
		}
	}
	body.Set("context", ctx.AppendJSON(nil))
	var user destkit.JSObject
	user.SetValue("email", p.Get("email"))
	user.SetValue("userId", p.Get("userId"))
	user.SetValue("segmentAnonymousId", p.Get("segmentAnonymousId"))
	user.Assign(p.Get(traits), nil)
	body.Set("user", user.AppendJSON(nil))
	return body.AppendJSON(make([]byte, 0, 512))
}

// notInternal skips the keys that carry subscription settings, not data.
func notInternal(k string) bool { return strings.HasPrefix(k, "__segment_internal") }

// Fields the ingest actions share, in Segment's order.
var commonFields = []destkit.Field{
	{Key: "type", Label: "Type", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.type"}`,
		Description: "Segment type of the call."},
	{Key: "email", Label: "Email", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
		Description: "Email address of the user."},
	{Key: "segmentAnonymousId", Label: "Anonymous ID", Type: destkit.String,
		Default:     `{"@path":"$.anonymousId"}`,
		Description: "Segment's anonymous id of the user."},
	{Key: "userId", Label: "User ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Your identifier of the user."},
	{Key: "groupId", Label: "Group ID", Type: destkit.String,
		Default:     `{"@path":"$.context.groupId"}`,
		Description: "Identifier of the user's company."},
	{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Format: "date-time",
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened (ISO 8601)."},
	{Key: "messageId", Label: "MessageId", Type: destkit.String,
		Default:     `{"@path":"$.messageId"}`,
		Description: "Segment's message id, used to deduplicate."},
	{Key: "ip", Label: "IP Address", Type: destkit.String,
		Default:     `{"@path":"$.context.ip"}`,
		Description: "IP address of the user."},
	{Key: "userAgent", Label: "User Agent", Type: destkit.String,
		Default:     `{"@path":"$.context.userAgent"}`,
		Description: "User agent of the user's browser."},
	{Key: "campaign", Label: "Campaign", Type: destkit.Object,
		Default: `{"name":{"@path":"$.context.campaign.name"},"source":{"@path":"$.context.campaign.source"},"medium":{"@path":"$.context.campaign.medium"},"term":{"@path":"$.context.campaign.term"},"content":{"@path":"$.context.campaign.content"}}`,
		Properties: []destkit.Field{
			{Key: "name", Label: "Name", Type: destkit.String, Description: "Campaign name (utm_campaign)."},
			{Key: "source", Label: "Source", Type: destkit.String, Description: "Campaign source (utm_source)."},
			{Key: "medium", Label: "Medium", Type: destkit.String, Description: "Campaign medium (utm_medium)."},
			{Key: "term", Label: "Term", Type: destkit.String, Description: "Campaign term (utm_term)."},
			{Key: "content", Label: "Content", Type: destkit.String, Description: "Campaign content (utm_content)."},
		},
		Description: "UTM parameters of the visit."},
	{Key: "page", Label: "Page", Type: destkit.Object,
		Default: `{"url":{"@path":"$.context.page.url"},"title":{"@path":"$.context.page.title"},"referrer":{"@path":"$.context.page.referrer"},"path":{"@path":"$.context.page.path"},"search":{"@path":"$.context.page.search"}}`,
		Properties: []destkit.Field{
			{Key: "url", Label: "URL", Type: destkit.String, Description: "URL of the page."},
			{Key: "title", Label: "Title", Type: destkit.String, Description: "Title of the page."},
			{Key: "referrer", Label: "Referrer", Type: destkit.String, Description: "Referrer of the page."},
			{Key: "path", Label: "Path", Type: destkit.String, Description: "Path of the page."},
			{Key: "search", Label: "Search", Type: destkit.String, Description: "Query string of the page."},
		},
		Description: "The page the event happened on."},
	{Key: "location", Label: "Location", Type: destkit.Object,
		Default: `{"city":{"@path":"$.context.location.city"},"region":{"@path":"$.context.location.region"},"country":{"@path":"$.context.location.country"}}`,
		Properties: []destkit.Field{
			{Key: "city", Label: "City", Type: destkit.String, Description: "City of the user."},
			{Key: "region", Label: "Region", Type: destkit.String, Description: "Region of the user."},
			{Key: "country", Label: "Country", Type: destkit.String, Description: "Country of the user."},
		},
		Description: "Where the user is."},
}

var userFields = destkit.Field{Key: "userFields", Label: "User Fields", Type: destkit.Object,
	Default:     `{"@path":"$.context.traits"}`,
	Description: "Fields of the user to update with the event."}

func withCommon(fs ...destkit.Field) []destkit.Field {
	return append(fs, commonFields...)
}
