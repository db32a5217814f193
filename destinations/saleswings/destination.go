// Package saleswings submits events to SalesWings, which scores and
// prioritises leads from their activity.
//
// Every action posts its payload unchanged (SalesWings reads the field keys
// as they are) to https://{environment}.saleswings.pro/api/segment/events/
// {track,identify,page,screen}, or a JSON array of payloads to the same
// path plus /batches, with the API key as a bearer token. Endpoint, body
// and auth follow Segment's open-source implementation, SalesWings' own
// integration; SalesWings publishes no separate reference.
package saleswings

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the SalesWings destination.
var Definition = &destkit.Definition{
	Slug:        "saleswings",
	SegmentSlug: "actions-saleswings",
	Name:        "Saleswings (Actions)",
	Description: "Send events to SalesWings to tag, score and prioritise leads.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "SalesWings API key, from the SalesWings Segment integration settings; sent as a bearer token."},
		{Key: "environment", Label: "Environment", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "helium", Label: "Helium (live environment)"}, {Value: "ozone", Label: "Ozone (test environment)"}},
			Default:     `"helium"`,
			Description: "SalesWings environment that receives the events: Helium (live) or Ozone (test)."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{SubmitTrackEvent, SubmitIdentifyEvent, SubmitPageEvent, SubmitScreenEvent},
	Presets: []destkit.Preset{
		{Name: "Submit Track Event", Action: "submitTrackEvent", Trigger: `type = "track"`, Mapping: `{"kind":"Track","data":{"@path":"$.event"},"userID":{"@path":"$.userId"},"anonymousID":{"@path":"$.anonymousId"},"email":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}},"url":{"@if":{"exists":{"@path":"$.properties.url"},"then":{"@path":"$.properties.url"},"else":{"@path":"$.context.page.url"}}},"referrerUrl":{"@if":{"exists":{"@path":"$.properties.referrer"},"then":{"@path":"$.properties.referrer"},"else":{"@path":"$.context.page.referrer"}}},"userAgent":{"@path":"$.context.userAgent"},"timestamp":{"@path":"$.timestamp"},"values":{"@path":"$.properties"}}`},
		{Name: "Submit Identify Event", Action: "submitIdentifyEvent", Trigger: `type = "identify"`, Mapping: `{"kind":"Identify","data":{"@path":"$.traits.email"},"userID":{"@path":"$.userId"},"anonymousID":{"@path":"$.anonymousId"},"email":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}},"url":{"@if":{"exists":{"@path":"$.properties.url"},"then":{"@path":"$.properties.url"},"else":{"@path":"$.context.page.url"}}},"referrerUrl":{"@if":{"exists":{"@path":"$.properties.referrer"},"then":{"@path":"$.properties.referrer"},"else":{"@path":"$.context.page.referrer"}}},"userAgent":{"@path":"$.context.userAgent"},"timestamp":{"@path":"$.timestamp"},"values":{"@path":"$.traits"}}`},
		{Name: "Submit Page Event", Action: "submitPageEvent", Trigger: `type = "page"`, Mapping: `{"userID":{"@path":"$.userId"},"anonymousID":{"@path":"$.anonymousId"},"url":{"@if":{"exists":{"@path":"$.properties.url"},"then":{"@path":"$.properties.url"},"else":{"@path":"$.context.page.url"}}},"referrerUrl":{"@if":{"exists":{"@path":"$.properties.referrer"},"then":{"@path":"$.properties.referrer"},"else":{"@path":"$.context.page.referrer"}}},"userAgent":{"@path":"$.context.userAgent"},"timestamp":{"@path":"$.timestamp"}}`},
		{Name: "Submit Screen Event", Action: "submitScreenEvent", Trigger: `type = "screen"`, Mapping: `{"kind":"Screen","data":{"@path":"$.name"},"userID":{"@path":"$.userId"},"anonymousID":{"@path":"$.anonymousId"},"email":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}},"url":{"@if":{"exists":{"@path":"$.properties.url"},"then":{"@path":"$.properties.url"},"else":{"@path":"$.context.page.url"}}},"referrerUrl":{"@if":{"exists":{"@path":"$.properties.referrer"},"then":{"@path":"$.properties.referrer"},"else":{"@path":"$.context.page.referrer"}}},"userAgent":{"@path":"$.context.userAgent"},"timestamp":{"@path":"$.timestamp"},"values":{"@path":"$.properties"}}`},
	},
}

// eventURL is the submission URL of an event type in the instance's
// environment; the environment is one of the setting's choices.
func eventURL(s *destkit.Settings, eventType string) string {
	return "https://" + s.Str("environment") + ".saleswings.pro/api/segment/events/" + eventType
}

// submitter returns the single and batch forms of an action whose
// payloads need the given fields.
func submitter(eventType string, required ...string) (func(*destkit.Input) ([]destkit.Request, error), func(*destkit.BatchInput) ([]destkit.Request, error)) {
	check := func(p *fastjson.Value) error {
		for _, k := range required {
			if len(p.GetStringBytes(k)) == 0 {
				return destkit.ValidationErrorf(k, "The root value is missing the required field '%s'.", k)
			}
		}
		return nil
	}
	perform := func(in *destkit.Input) ([]destkit.Request, error) {
		if err := check(in.Payload); err != nil {
			return nil, err
		}
		return []destkit.Request{destkit.NewJSONRequest("POST", eventURL(in.Settings, eventType), destkit.AppendValue(nil, in.Payload))}, nil
	}
	performBatch := func(in *destkit.BatchInput) ([]destkit.Request, error) {
		w := destkit.NewJSONWriter(make([]byte, 0, 512*len(in.Payloads)))
		w.ArrayStart()
		n := 0
		for i, p := range in.Payloads {
			if err := check(p); err != nil {
				in.Reject(i, err)
				continue
			}
			w.Value(p)
			n++
		}
		w.ArrayEnd()
		if n == 0 {
			return nil, nil
		}
		return []destkit.Request{destkit.NewJSONRequest("POST", eventURL(in.Settings, eventType)+"/batches", w.Bytes())}, nil
	}
	return perform, performBatch
}

// batch is Segment's platform default: the actions have no batch size field.
var batch = &destkit.Batch{MaxSize: 1000}
