// Package gwen sends players' events and sessions to GWEN, a gamification
// platform, through its GraphQL API.
//
// Sources: Segment's open-source GWEN destination; GWEN's GraphQL schema is
// not public beyond the two mutations it uses. Every request is a POST to
// https://gwen.insertcoin.se/graphql with the API key, bare, as the
// Authorization header, and a body of operationName, query and variables;
// the query texts are Segment's, byte for byte.
//
// GraphQL reports failures as a 200 response with an "errors" list, which
// Segment's code ignores. Here such a response fails the event (it is not
// retried: the same mutation would fail again), so rejected events reach
// the dead letters instead of counting as delivered.
package gwen

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const graphqlURL = "https://gwen.insertcoin.se/graphql"

// Definition is the GWEN destination.
var Definition = &destkit.Definition{
	Slug:        "gwen",
	SegmentSlug: "actions-cloud-gwen",
	Name:        "GWEN (Actions)",
	Description: "Send events and user sessions to GWEN to drive achievements, levels and rewards.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Your GWEN API key."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{SendEvent, IdentifyUser},
	Presets: []destkit.Preset{
		{Name: "Send an event to GWEN", Action: "sendEvent", Trigger: `type = "track"`,
			Mapping: destkit.JSON(SendEvent.DefaultMapping())},
		{Name: "Identify a user", Action: "identifyUser", Trigger: `type = "identify"`,
			Mapping: destkit.JSON(IdentifyUser.DefaultMapping())},
	},
}

// mutate posts one GraphQL operation and turns GraphQL errors into a
// failure.
func mutate(ctx context.Context, d destkit.Doer, body []byte) error {
	r := destkit.NewJSONRequest("POST", graphqlURL, body)
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil // not JSON: nothing says it failed
	}
	if errs := v.GetArray("errors"); len(errs) > 0 {
		msg := string(errs[0].GetStringBytes("message"))
		if msg == "" {
			msg = "GWEN rejected the operation"
		}
		return &destkit.IntegrationError{Code: "GRAPHQL_ERROR", Message: msg}
	}
	return nil
}
