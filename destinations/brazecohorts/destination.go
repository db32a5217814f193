// Package brazecohorts syncs Engage audiences to Braze cohorts through
// Braze's partner cohort API.
//
// Every request is a POST to <endpoint>/partners/segment/cohorts (create)
// or .../cohorts/users (membership changes) carrying credentials in the
// body: the workspace's client secret (a setting) and Braze's partner key.
// The partner key belongs to the partner integration, not to the
// customer: as in Segment it is read from the environment
// (BRAZE_COHORTS_PARTNER_API_KEY_US, or _EU for endpoints on braze.eu) and
// left out of the body when unset.
//
// A cohort is created the first time an instance meets its name
// (destkit's Audiences.Once, kept in the shared audience store) rather
// than, as Segment does without its request cache, before every batch.
package brazecohorts

import (
	"os"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Braze Cohorts destination.
var Definition = &destkit.Definition{
	Slug:        "braze-cohorts",
	SegmentSlug: "actions-braze-cohorts",
	Name:        "Braze Cohorts",
	Description: "Add users to and remove them from Braze cohorts as they enter and leave Engage audiences.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "client_secret", Label: "Client Secret key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Data import key of the Braze workspace the cohorts belong to (also called the customer key)."},
		{Key: "endpoint", Label: "REST Endpoint", Type: destkit.String, Required: true, Choices: endpointChoices,
			Default:     `"https://rest.iad-01.braze.com"`,
			Description: "REST endpoint of your Braze instance."},
	},
	Actions: []*destkit.Action{SyncAudiences},
}

// endpointChoices are the clusters the cohort API is offered on (label:
// the dashboard's address), as Segment lists them.
var endpointChoices = []destkit.Choice{
	{Value: "https://rest.iad-01.braze.com", Label: "US-01\t(https://dashboard-01.braze.com)"},
	{Value: "https://rest.iad-02.braze.com", Label: "US-02\t(https://dashboard-02.braze.com)"},
	{Value: "https://rest.iad-03.braze.com", Label: "US-03\t(https://dashboard-03.braze.com)"},
	{Value: "https://rest.iad-04.braze.com", Label: "US-04\t(https://dashboard-04.braze.com)"},
	{Value: "https://rest.iad-05.braze.com", Label: "US-05\t(https://dashboard-05.braze.com)"},
	{Value: "https://rest.iad-06.braze.com", Label: "US-06\t(https://dashboard-06.braze.com)"},
	{Value: "https://rest.iad-07.braze.com", Label: "US-07 (https://dashboard-07.braze.com)"},
	{Value: "https://rest.iad-08.braze.com", Label: "US-08\t(https://dashboard-08.braze.com)"},
	{Value: "https://rest.fra-01.braze.eu", Label: "EU-01\t(https://dashboard-01.braze.eu)"},
	{Value: "https://rest.fra-02.braze.eu", Label: "EU-02\t(https://dashboard-02.braze.eu)"},
	{Value: "https://rest.au-01.braze.com", Label: "AU-01\t(https://dashboard.au-01.braze.com)"},
}

// partnerKey is Braze's key for the partner integration of the endpoint's
// region, or "" when the environment does not give one.
func partnerKey(s *destkit.Settings) string {
	if strings.Contains(s.Str("endpoint"), "eu") {
		return os.Getenv("BRAZE_COHORTS_PARTNER_API_KEY_EU")
	}
	return os.Getenv("BRAZE_COHORTS_PARTNER_API_KEY_US")
}

func endpoint(s *destkit.Settings, path string) string {
	return strings.TrimSuffix(s.Str("endpoint"), "/") + path
}

// writeCredentials starts a request body with the partner key (when set)
// and the client secret.
func writeCredentials(w *destkit.JSONWriter, s *destkit.Settings) {
	if k := partnerKey(s); k != "" {
		w.StringField("partner_api_key", k)
	}
	w.StringField("client_secret", s.Str("client_secret"))
}
