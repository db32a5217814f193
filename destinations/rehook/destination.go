// Package rehook sends events and customer profiles to Rehook, a referral
// and rewards platform.
//
// Both actions post the validated payload as it is (field keys are Rehook's
// own) to api.rehook.ai with HTTP basic credentials: the API key as user
// name, the API secret as password. Rehook publishes no API reference for
// these endpoints; endpoint, body and auth follow Segment's open-source
// implementation.
package rehook

import "github.com/actuate/actuate/destinations/destkit"

const baseURL = "https://api.rehook.ai"

// Definition is the Rehook destination.
var Definition = &destkit.Definition{
	Slug:        "rehook",
	SegmentSlug: "actions-rehook",
	Name:        "Rehook",
	Description: "Send events and customer profiles to Rehook to power referrals and rewards.",
	Auth:        destkit.AuthBasic,
	Settings: []destkit.Field{
		{Key: "api_key", Label: "Api Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Rehook API key; sent as the basic-auth user name."},
		{Key: "api_secret", Label: "Api Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Rehook API secret; sent as the basic-auth password."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetBasicAuth(s.Str("api_key"), s.Str("api_secret"))
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, IdentifyUser},
}

// postPayload sends the payload unchanged to path, after checking that the
// customer identifier is present (validation guarantees it; a payload built
// elsewhere must not reach Rehook without one).
func postPayload(in *destkit.Input, path string) ([]destkit.Request, error) {
	if len(in.Payload.GetStringBytes("source_id")) == 0 {
		return nil, destkit.ValidationErrorf("source_id", "The root value is missing the required field 'source_id'.")
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", baseURL+path, destkit.AppendValue(nil, in.Payload))}, nil
}
