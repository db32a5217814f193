// Package qualtrics creates contacts and transactions in Qualtrics XM
// Directory and starts Qualtrics workflows.
//
// The directory calls go to https://<datacenter>.qualtrics.com/API/v3 with
// the API token in X-API-TOKEN (and the Internal-Team and Internal-Service
// headers Segment's integration sends). The datacenter setting is a host
// label only (iad1, fra1, …), so a setting cannot point the token at another
// host.
//
// Upsert Contact Transaction looks the contact up when no contact id is
// mapped: it searches the directory by external reference, phone and email
// (those given, all of them required to match), creates the contact when
// none matches, fails when several do, and then adds the transaction under
// a random 16-character key, as Segment's integration does. A transaction
// property that is not a string, number or boolean is sent as the JSON text
// of the whole transaction data (Segment's behaviour, kept for parity).
//
// Start a Workflow posts the event payload to the workflow's trigger URL
// with the API token; the URL must be an https URL on qualtrics.com, which
// keeps the token from being sent elsewhere.
package qualtrics

import (
	"context"
	"regexp"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Qualtrics destination.
var Definition = &destkit.Definition{
	Slug:        "qualtrics",
	SegmentSlug: "actions-qualtrics",
	Name:        "Qualtrics",
	Description: "Create contacts and transactions in Qualtrics XM Directory and start Qualtrics workflows.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiToken", Label: "API Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "Qualtrics API token, sent in the X-API-TOKEN header; found under Account Settings, Qualtrics IDs."},
		{Key: "datacenter", Label: "Datacenter ID", Type: destkit.String, Required: true,
			Default:     `"iad1"`,
			Description: "Id of the Qualtrics data center the account lives in (the host https://<id>.qualtrics.com); found under Account Settings, Qualtrics IDs."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-API-TOKEN", s.Str("apiToken"))
		return nil
	},
	Actions: []*destkit.Action{AddContactToXmd, UpsertContactTransaction, TriggerXflowWorkflow},
}

// datacenterID is a Qualtrics data center: one host label.
var datacenterID = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// apiURL is the URL of a directory API path in the instance's data center.
func apiURL(s *destkit.Settings, path string) (string, error) {
	dc := s.Str("datacenter")
	if dc == "" {
		dc = "iad1"
	}
	if !datacenterID.MatchString(dc) {
		return "", destkit.ValidationErrorf("datacenter", "The setting datacenter must be a Qualtrics data center id such as iad1, not %q.", dc)
	}
	return "https://" + dc + ".qualtrics.com/API/v3/" + path, nil
}

// apiRequest is a directory API call with Segment's integration headers.
func apiRequest(s *destkit.Settings, method, path string, body []byte) (destkit.Request, error) {
	u, err := apiURL(s, path)
	if err != nil {
		return destkit.Request{}, err
	}
	r := destkit.NewJSONRequest(method, u, body)
	r.SetHeader("Internal-Team", "integrations")
	r.SetHeader("Internal-Service", "segment-destination")
	return r, nil
}

// directoryChoices lists the account's directories, for the directoryId
// fields.
func directoryChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	r, err := apiRequest(in.Settings, "GET", "directories/", nil)
	if err != nil {
		return nil, err
	}
	r.Body = nil
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, err := parseResult(resp)
	if err != nil {
		return nil, err
	}
	var choices []destkit.Choice
	for _, dir := range v.GetArray("elements") {
		choices = append(choices, destkit.Choice{Value: string(dir.GetStringBytes("directoryId")), Label: string(dir.GetStringBytes("name"))})
	}
	return choices, nil
}
