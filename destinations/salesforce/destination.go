// Package salesforce creates, updates, upserts and deletes Salesforce
// records (leads, contacts, accounts, opportunities, cases and custom
// objects) through the REST API one event at a time, and through Bulk API
// 2.0 ingest jobs (CSV upload) for batches.
package salesforce

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// apiVersion pins the REST API version the request bodies are written for.
const apiVersion = "v53.0"

// Definition is the Salesforce (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "salesforce",
	SegmentSlug: "actions-salesforce",
	Name:        "Salesforce (Actions)",
	Description: "Create, update, upsert and delete Salesforce records, one by one or in Bulk API 2.0 jobs.",
	Auth:        destkit.AuthOAuth2,
	Settings: []destkit.Field{
		{Key: "instanceUrl", Label: "Instance URL", Type: destkit.String, Required: true,
			Description: "URL of your Salesforce instance (https://<domain>.my.salesforce.com), as returned by the OAuth login."},
		{Key: "isSandbox", Label: "Sandbox Instance", Type: destkit.Boolean, Default: `false`,
			Description: "Log in to a sandbox (test.salesforce.com) instead of production (login.salesforce.com)."},
		{Key: "username", Label: "Username", Type: destkit.String,
			Description: "Salesforce user name, for the username-password login used instead of a refresh token."},
		{Key: "auth_password", Label: "Password", Type: destkit.Password, Secret: true,
			Description: "Password of that user, for the username-password login."},
		{Key: "security_token", Label: "Security Token", Type: destkit.Password, Secret: true,
			Description: "Security token of that user; it is appended to the password."},
	},
	// Access tokens go in a Bearer header, the client's default for OAuth.
	OAuth: &destkit.OAuthConfig{Refresh: refresh},
	Actions: []*destkit.Action{
		Lead, CustomObject, Cases, Contact, Opportunity, Account,
		Lead2, CustomObject2, Account2, Opportunity2, Contact2, Cases2,
	},
}

// loginHost is where tokens come from: production or sandbox.
func loginHost(s *destkit.Settings) string {
	if s.Bool("isSandbox") {
		return "https://test.salesforce.com"
	}
	return "https://login.salesforce.com"
}

// refresh gets a new access token: with the username-password grant when a
// user name and password are configured, otherwise with the refresh token.
// The client ID and secret come from the instance's OAuth credentials
// (Segment reads them from its own environment for the password grant).
func refresh(ctx context.Context, d destkit.Doer, c destkit.OAuthCredentials, s *destkit.Settings) (destkit.Token, error) {
	form := url.Values{}
	if user, pw := s.Str("username"), s.Str("auth_password"); user != "" && pw != "" {
		form.Set("grant_type", "password")
		form.Set("client_id", c.ClientID)
		form.Set("client_secret", c.ClientSecret)
		form.Set("username", user)
		form.Set("password", pw+s.Str("security_token"))
	} else {
		form.Set("refresh_token", c.RefreshToken)
		form.Set("client_id", c.ClientID)
		form.Set("client_secret", c.ClientSecret)
		form.Set("grant_type", "refresh_token")
	}
	r := destkit.NewFormRequest("POST", loginHost(s)+"/services/oauth2/token", []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		if resp != nil && resp.Status == 400 && concurrentRefresh(resp.Body) {
			// Salesforce refuses a refresh while another one with the same
			// token is in flight; the other sender's token will do.
			return destkit.Token{}, &destkit.RetryableError{Err: err, RetryAfter: time.Second}
		}
		return destkit.Token{}, err
	}
	return destkit.ParseTokenResponse(resp.Body, time.Now())
}

func concurrentRefresh(body []byte) bool {
	v, err := fastjson.ParseBytes(body)
	if err != nil || string(v.GetStringBytes("error")) != "invalid_grant" {
		return false
	}
	switch string(v.GetStringBytes("error_description")) {
	case "token request is already being processed", "expired authorization code":
		return true
	}
	return false
}

// instanceURL returns the configured instance URL without a trailing
// slash, refusing anything that is not an https Salesforce host: the
// access token must not be sent elsewhere.
func instanceURL(s *destkit.Settings) (string, error) {
	u := s.Str("instanceUrl")
	if u == "" {
		return "", &destkit.IntegrationError{Code: "INVALID_INSTANCE_URL", Message: "Empty Salesforce instance URL. Please login through OAuth."}
	}
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" || !strings.HasSuffix(p.Hostname(), ".salesforce.com") {
		return "", &destkit.IntegrationError{Code: "INVALID_INSTANCE_URL", Message: "Invalid Salesforce instance URL. Please login through OAuth again."}
	}
	return strings.TrimSuffix(u, "/"), nil
}
