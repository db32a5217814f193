// Package yahooaudiences syncs Engage audiences to Yahoo DSP segments
// through Yahoo's real-time audience API (https://dataxonline.yahoo.com/online/audience/).
//
// Yahoo's OAuth is a client-credentials grant signed by the client: the
// access token is obtained from https://id.b2b.yahooincapis.com/zts/v1/oauth2/token
// with a client assertion, a JWT (HS256) that Actuate signs with the
// instance's OAuth client secret for the client id prefixed
// "idb2b.dsp.datax.". The client id and secret may be JSON objects holding
// the real-time API's pair under "rt_api", as Segment stores them.
//
// Each segment of the Yahoo taxonomy is the Engage audience's computation
// id. Segment creates it (a taxonomy append) with credentials of its own
// platform when an audience is connected; a self-hosted engine has none, so
// the audience's node is created in Yahoo's taxonomy beforehand, and the
// action only sends memberships.
package yahooaudiences

import (
	"github.com/actuate/actuate/destinations/destkit"
)

const audienceURL = "https://dataxonline.yahoo.com/online/audience/"

// Definition is the Yahoo Audiences destination.
var Definition = &destkit.Definition{
	Slug:        "yahoo-audiences",
	SegmentSlug: "actions-yahoo-audiences",
	Name:        "Yahoo Audiences",
	Description: "Sync Engage audiences to Yahoo DSP segments for ad targeting.",
	Auth:        destkit.AuthOAuth2,
	OAuth:       &destkit.OAuthConfig{Refresh: refreshToken},
	Settings: []destkit.Field{
		{Key: "mdm_id", Label: "MDM ID", Type: destkit.String, Required: true,
			Description: "Yahoo MDM ID of the advertiser the segments are shared with."},
		{Key: "engage_space_id", Label: "Engage Space Id", Type: destkit.String, Required: true,
			Description: "Id of the Engage space; names the customer node of Yahoo's taxonomy."},
		{Key: "customer_desc", Label: "Customer Description", Type: destkit.String,
			Description: "Description of the customer node in Yahoo's taxonomy."},
	},
	Authorize: func(r *destkit.Request, _ *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Yahoo needs an OAuth access token; connect the destination first."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		return nil
	},
	Actions: []*destkit.Action{UpdateSegment},
}
