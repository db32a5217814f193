// Package blendai sends events to Blend AI.
//
// Sources: Segment's open-source Blend AI destination; Blend publishes no
// API reference of its own for this endpoint. Every request carries the API
// key twice, as "Authorization: Bearer {apiKey}" and in the JSON body.
//
// The body starts with {"apiKey":…,"headers":{}, …}: Segment's request
// client deep-merges the destination-wide JSON ({apiKey}) with the action's
// and leaves its merged header map (which serialises as {}) in the body.
// Blend has received that shape from Segment all along, so it is kept.
//
// The deprecated Send Data action posted Segment's whole execution bundle
// (the raw event, the mapping, the settings) to segment-api.blnd.ai/sendData.
// An Actuate action sees only its mapped payload, so Send Data sends the
// part of that bundle it has — the settings and the (empty) payload — and
// nothing of the raw event; Track Events is its replacement.
package blendai

import (
	"github.com/actuate/actuate/destinations/destkit"
)

const apiBase = "https://api.blnd.ai/"

// Definition is the Blend AI destination.
var Definition = &destkit.Definition{
	Slug:        "blend-ai",
	SegmentSlug: "actions-blend-ai",
	Name:        "Blend Ai",
	Description: "Send events and user traits to Blend AI.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The API key Blend issued for your account."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{SendData, TrackEvents},
	Presets: []destkit.Preset{
		{Name: "Send Data to Blend", Action: "trackEvents",
			Trigger: `type = "identify" or type = "page" or type = "screen" or type = "track"`,
			Mapping: destkit.JSON(TrackEvents.DefaultMapping())},
	},
	Delete: deleteUser,
}

// post builds a POST whose JSON body starts as Segment's merged body does,
// followed by what rest writes.
func post(url string, s *destkit.Settings, rest func(w *destkit.JSONWriter)) destkit.Request {
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("apiKey")
	w.String(s.Str("apiKey"))
	w.Key("headers")
	w.ObjectStart()
	w.ObjectEnd()
	rest(w)
	w.ObjectEnd()
	return destkit.NewJSONRequest("POST", url, w.Bytes())
}

func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "Blend deletes users by user ID; none given.")
	}
	return []destkit.Request{post(apiBase+"delete", in.Settings, func(w *destkit.JSONWriter) {
		w.Key("external_ids")
		w.ArrayStart()
		w.String(in.UserID)
		w.ArrayEnd()
	})}, nil
}
