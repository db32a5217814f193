// Package salesforcemarketingcloud writes contacts, API events and data
// extension rows to Salesforce Marketing Cloud (SFMC).
//
// Every request goes to the tenant's own hosts, named after the subdomain
// setting: https://<subdomain>.rest.marketingcloudapis.com for data and
// https://<subdomain>.auth.marketingcloudapis.com/v2/token for tokens. SFMC
// has no refresh tokens: an access token is obtained with the
// client-credentials grant from the client id, client secret and account id
// (MID) of an installed package, and obtained again when it expires or a
// request is answered 401. The subdomain must be letters, digits and
// hyphens only, checked before every request, so a setting cannot point the
// bearer token or the client secret at another host.
//
// Actions:
//   - contact: POST /contacts/v1/contacts {contactKey, attributeSets: []}.
//   - apiEvent: POST /interaction/v1/events with the payload as it is
//     (eventDefinitionKey, contactKey, data), which enters a Journey.
//   - dataExtension, contactDataExtension: rows upserted through
//     POST /hub/v1/dataevents/key:<key>/rowset (or /<id>/rowset when only an
//     id is given), each row {keys, values}. A batch shares one data
//     extension (key and id are batch keys; Segment's batch goes wherever its
//     first event points).
//   - dataExtensionV2, contactDataExtensionV2: the same rowset upsert to the
//     data extension whose id the mapping's onMappingSave (or
//     retlOnMappingSave) hook saved.
//   - asyncDataExtension: PUT /data/v1/async/dataextensions/<id>/rows
//     {items: [{...keys, ...values}]}, SFMC's asynchronous bulk upsert,
//     split into requests of at most batch_bytes of rows.
//
// A rowset answered 400 with SFMC's errorcode 10006 ("Unable to save rows
// for data extension ID …", no additionalErrors) is a transient lock on the
// data extension: Segment retries it in batches, Actuate retries it for
// single events too. Every other status is classified as for every
// destination.
//
// The V2 actions' hooks (onMappingSave, retlOnMappingSave) select or
// create the data extension and save its {id, name} on the mapping; their
// dynamic fields list data extensions, folders and the chosen data
// extension's columns (data_extension_hook.go).
package salesforcemarketingcloud

import (
	"context"
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Salesforce Marketing Cloud (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "salesforce-marketing-cloud",
	SegmentSlug: "actions-salesforce-marketing-cloud",
	Name:        "Salesforce Marketing Cloud (Actions)",
	Description: "Create contacts, start Journeys with API events and upsert data extension rows in Salesforce Marketing Cloud.",
	Auth:        destkit.AuthOAuth2,
	Settings: []destkit.Field{
		{Key: "subdomain", Label: "Subdomain", Type: destkit.String, Required: true,
			Description: "Your tenant's subdomain (usually 28 characters starting with \"mc\"), without .rest.marketingcloudapis.com."},
		{Key: "account_id", Label: "Account ID", Type: destkit.String, Required: true,
			Description: "The MID of the business unit the data belongs to."},
		{Key: "client_id", Label: "Client ID", Type: destkit.String, Required: true,
			Description: "Client id of the API integration of an installed package."},
		{Key: "client_secret", Label: "Client Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Client secret of that API integration."},
	},
	OAuth:     &destkit.OAuthConfig{Refresh: refresh},
	Authorize: authorize,
	Actions: []*destkit.Action{
		Contact, DataExtension, ContactDataExtension, APIEvent,
		DataExtensionV2, ContactDataExtensionV2, AsyncDataExtension,
	},
}

// now is replaced in tests.
var now = time.Now

// refresh obtains a new access token with the client-credentials grant,
// from the settings (SFMC issues no refresh token).
func refresh(ctx context.Context, d destkit.Doer, _ destkit.OAuthCredentials, s *destkit.Settings) (destkit.Token, error) {
	sub, err := subdomain(s)
	if err != nil {
		return destkit.Token{}, err
	}
	form := url.Values{}
	form.Set("account_id", s.Str("account_id"))
	form.Set("client_id", s.Str("client_id"))
	form.Set("client_secret", s.Str("client_secret"))
	form.Set("grant_type", "client_credentials")
	r := destkit.NewFormRequest("POST", "https://"+sub+".auth.marketingcloudapis.com/v2/token", []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return destkit.Token{}, err
	}
	return destkit.ParseTokenResponse(resp.Body, now())
}

// subdomain returns the tenant subdomain, refusing anything but letters,
// digits and hyphens: it becomes part of a host name that receives the
// bearer token and, for tokens, the client secret.
func subdomain(s *destkit.Settings) (string, error) {
	sub := s.Str("subdomain")
	ok := sub != "" && sub[0] != '-' && sub[len(sub)-1] != '-'
	for i := 0; ok && i < len(sub); i++ {
		c := sub[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return "", &destkit.IntegrationError{Code: "INVALID_SUBDOMAIN",
			Message: "setting subdomain: must be the tenant subdomain alone (letters, digits and hyphens), without .rest.marketingcloudapis.com"}
	}
	return sub, nil
}

// restURL returns the REST endpoint path on the tenant's host.
func restURL(s *destkit.Settings, path string) (string, error) {
	sub, err := subdomain(s)
	if err != nil {
		return "", err
	}
	return "https://" + sub + ".rest.marketingcloudapis.com" + path, nil
}
