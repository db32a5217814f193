// Package talonone sends customer profiles, audiences, events and customer
// sessions to Talon.One through the integration endpoint Talon.One runs for
// Segment (https://integration.talon.one/segment).
//
// Every request carries the API key as "Authorization: ApiKey-v1 <key>" and
// the customer's deployment URL in the destination-hostname header, from
// which the integration endpoint reaches the right Talon.One deployment.
// Bodies hold the mapped fields under Talon.One's names (a profile's
// audience IDs go into audiencesChanges.adds and .deletes, an event's
// attributes into eventAttributes); absent fields are left out. The
// current actions (Update customer profile, Track event, Update customer
// session) use the v2 paths and add ?skipNonExistingAttributes=true when
// that flag is set; the deprecated ones keep their original paths.
//
// Differences from Segment's implementation, on purpose:
//   - identifiers placed in a URL path (profile, session and audience IDs)
//     are escaped as one path segment, where Segment pastes them raw, so an
//     ID holding "/" or "?" cannot address another resource;
//   - the session actions send the callback headers (X-Callback-Destination-URI,
//     X-Callback-API-Key, X-Content-Fields, X-Correlation-ID) only for the
//     fields that are mapped, where Segment sends the text "undefined" for
//     each one that is not.
//
// Segment's cart items also have a category; the shared reference's field
// facts, which the fields here must match key for key, leave it out, so a
// cart item's category is not sent until the reference has it.
package talonone

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// apiBase is Talon.One's integration endpoint for Segment; the deployment
// travels in a header, not in the host.
const apiBase = "https://integration.talon.one/segment"

// Definition is the Talon.One destination.
var Definition = &destkit.Definition{
	Slug:        "talon-one",
	SegmentSlug: "actions-talon-one",
	Name:        "Talon.One (Actions)",
	Description: "Update Talon.One customer profiles, audiences and sessions, and track custom events.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Integration API key from the Talon.One Campaign Manager (Developer Settings); sent as \"ApiKey-v1 <key>\"."},
		{Key: "deployment", Label: "Deployment", Type: destkit.String, Required: true,
			Description: "Base URL of your Talon.One deployment (https://yourbase.talon.one); sent in the destination-hostname header."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "ApiKey-v1 "+s.Str("apiKey"))
		r.SetHeader("destination-hostname", s.Str("deployment"))
		return nil
	},
	Actions: []*destkit.Action{
		CreateAudience, UpdateAudience, DeleteAudience,
		UpdateCustomerProfile, UpdateCustomerProfileV2, UpdateCustomerProfileV3,
		UpdateCustomerProfilesAudiences, TrackEvent, TrackEventV2,
		UpdateCustomerSession, UpdateCustomerSessionV2,
	},
}

// requiredString returns the string field key of p, or a validation error
// naming it when it is missing or empty.
func requiredString(p *fastjson.Value, key string) (string, error) {
	s := string(p.GetStringBytes(key))
	if s == "" {
		return "", destkit.ValidationErrorf(key, "The field %q is required.", key)
	}
	return s, nil
}

// resourceURL is apiBase + path + the escaped id, with the
// skipNonExistingAttributes query when the payload sets that flag.
func resourceURL(p *fastjson.Value, path, id string) string {
	u := apiBase + path
	if id != "" {
		u += url.PathEscape(id)
	}
	if p.GetBool("skipNonExistingAttributes") {
		u += "?skipNonExistingAttributes=true"
	}
	return u
}

// put is a PUT of body to u.
func put(u string, w *destkit.JSONWriter) []destkit.Request {
	return []destkit.Request{destkit.NewJSONRequest("PUT", u, w.Bytes())}
}

// audiencesChanges names, in a profile body's member list, the object
// {"adds": …, "deletes": …} of the audiences a profile joins and leaves.
const audiencesChanges = "audiencesChanges"

// profileUpdate is the Perform of a profile action: a PUT to path +
// customerProfileId of the body's members in order, each the payload
// field of that name except attributes of the event's (eventAttributes
// never occurs here) and audiencesChanges, built from the payload fields
// adds and deletes (either may be absent; the object stays).
func profileUpdate(path, adds, deletes string, members ...string) func(in *destkit.Input) ([]destkit.Request, error) {
	return func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		id, err := requiredString(p, "customerProfileId")
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		for _, m := range members {
			if m != audiencesChanges {
				w.Field(m, p.Get(m))
				continue
			}
			w.Key(audiencesChanges)
			w.ObjectStart()
			w.Field("adds", p.Get(adds))
			w.Field("deletes", p.Get(deletes))
			w.ObjectEnd()
		}
		w.ObjectEnd()
		return put(resourceURL(p, path, id), &w), nil
	}
}

// audienceAndName reads the audience actions' required audienceId and
// audienceName.
func audienceAndName(p *fastjson.Value) (id, name string, err error) {
	if id, err = requiredString(p, "audienceId"); err != nil {
		return "", "", err
	}
	name, err = requiredString(p, "audienceName")
	return id, name, err
}
