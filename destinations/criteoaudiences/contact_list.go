package criteoaudiences

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
)

// audienceFields are the fields both actions share.
func audienceFields() []destkit.Field {
	return []destkit.Field{
		{Key: "audience_key", Label: "Audience key", Type: destkit.String, Default: `{"@path":"$.properties.audience_key"}`,
			Description: "The audience key: the name of the Criteo contact list."},
		{Key: "event", Label: "Event name", Type: destkit.String, Default: `{"@path":"$.event"}`,
			Description: "The event's name."},
		{Key: "email", Label: "Email", Type: destkit.String, Default: `{"@path":"$.context.traits.email"}`,
			Description: "The user's email address."},
		{Key: "hash_emails", Label: "Hash Emails", Type: destkit.Boolean, Default: `false`,
			Description: "Send emails as SHA-256 digests; otherwise Criteo hashes them on arrival (which may match more users)."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send users in batches."},
	}
}

// amend returns the RunBatch of an action that applies operation ("add"
// or "remove") to the contact list of the batch's audience.
func amend(operation string) func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		err := amendBatch(ctx, d, in, operation)
		errs := make([]error, len(in.Payloads))
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
}

// runOne is Run for a single event: a batch of one.
func runOne(operation string) func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return amendBatch(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences}, operation)
	}
}

func amendBatch(ctx context.Context, d destkit.Doer, in *destkit.BatchInput, operation string) error {
	var audience string
	emails := []string{}
	for _, p := range in.Payloads {
		if audience == "" {
			audience = string(p.GetStringBytes("audience_key"))
		}
		email := string(p.GetStringBytes("email"))
		if email == "" {
			continue
		}
		if p.GetBool("hash_emails") {
			email, _ = destkit.HashSHA256(email, nil)
		}
		emails = append(emails, email)
	}
	if audience == "" {
		return destkit.ValidationErrorf("audience_key", "The audience key names the Criteo contact list; it is missing.")
	}
	advertiser := in.Settings.Str("advertiser_id")
	if !numeric(advertiser) {
		return &destkit.IntegrationError{Code: "Invalid input", Message: "The Advertiser ID should be a number."}
	}
	tok, err := token(ctx, d, in.Settings)
	if err != nil {
		return err
	}
	c := criteo{d: d, token: tok}
	listID, err := in.Audiences.Once(ctx, audience, func(ctx context.Context) (string, error) {
		return c.findOrCreate(ctx, advertiser, audience)
	})
	if err != nil {
		return err
	}
	if !numeric(listID) {
		return &destkit.IntegrationError{Code: "Invalid input", Message: "The Audience Segment ID should be a number (" + listID + ")."}
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.StringField("type", "ContactlistAmendment")
	w.Key("attributes")
	w.ObjectStart()
	w.StringField("operation", operation)
	w.StringField("identifierType", "email")
	w.Key("identifiers")
	w.ArrayStart()
	for _, e := range emails {
		w.String(e)
	}
	w.ArrayEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	_, err = c.do(ctx, http.MethodPatch, apiBase+"/marketing-solutions/audience-segments/"+listID+"/contact-list", w.Bytes())
	return err
}

// numeric approximates JavaScript's !isNaN(+s), which Segment checks ids
// with: a number, possibly padded with white space.
func numeric(s string) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && f == f
}

// idOf reads an id Criteo gives as a string or a number.
func idOf(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	if v.Type() == fastjson.TypeNumber {
		return string(v.MarshalTo(nil))
	}
	return string(v.GetStringBytes())
}

// token takes an access token from Criteo's client-credentials endpoint.
// Criteo failing to give one is retried: the credentials may be fine.
func token(ctx context.Context, d destkit.Doer, s *destkit.Settings) (string, error) {
	form := url.Values{"client_id": {s.Str("client_id")}, "client_secret": {s.Str("client_secret")}, "grant_type": {"client_credentials"}}
	r := destkit.NewFormRequest(http.MethodPost, tokenURL, []byte(form.Encode()))
	r.SetHeader("Accept", "text/plain")
	resp, err := d.Do(ctx, &r)
	if err != nil || resp.Status != http.StatusOK {
		return "", &destkit.RetryableError{Err: errors.New("criteo: getting an access token failed")}
	}
	t := fastjson.GetString(resp.Body, "access_token")
	if t == "" {
		return "", &destkit.RetryableError{Err: errors.New("criteo: the token answer has no access_token")}
	}
	return t, nil
}

// criteo sends requests with the batch's access token.
type criteo struct {
	d     destkit.Doer
	token string
}

func (c criteo) do(ctx context.Context, method, u string, body []byte) (*destkit.Response, error) {
	r := destkit.NewJSONRequest(method, u, body)
	r.SetHeader("Accept", "application/json")
	r.SetHeader("Authorization", "Bearer "+c.token)
	return c.d.Do(ctx, &r)
}

// searchPage is the number of contact lists asked for per search page.
const searchPage = 100

// find pages through the advertiser's contact lists for one named name.
func (c criteo) find(ctx context.Context, advertiser, name string) (string, bool, error) {
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("attributes")
	w.ObjectStart()
	w.Key("audienceSegmentTypes")
	w.Raw([]byte(`["ContactList"]`))
	w.Key("advertiserIds")
	w.ArrayStart()
	w.String(advertiser)
	w.ArrayEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	body := w.Bytes()
	for offset := 0; ; offset += searchPage {
		u := apiBase + "/marketing-solutions/audience-segments/search?limit=" + strconv.Itoa(searchPage) + "&offset=" + strconv.Itoa(offset)
		resp, err := c.do(ctx, http.MethodPost, u, body)
		if err != nil || resp.Status != http.StatusOK {
			// Criteo failing to list the lists is worth another try.
			return "", false, &destkit.RetryableError{Err: errors.New("criteo: listing the advertiser's audiences failed")}
		}
		v, err := fastjson.ParseBytes(resp.Body)
		if err != nil {
			return "", false, &destkit.RetryableError{Err: errors.New("criteo: the audience list is not JSON")}
		}
		for _, l := range v.GetArray("data") {
			if string(l.GetStringBytes("attributes", "name")) == name {
				return idOf(l.Get("id")), true, nil
			}
		}
		if v.GetFloat64("meta", "totalItems") <= float64(offset+searchPage) {
			return "", false, nil
		}
	}
}

// findOrCreate returns the id of the contact list named name, creating it
// when the advertiser has none; when another sender created it meanwhile
// (Criteo's name-must-be-unique), it is looked up again.
func (c criteo) findOrCreate(ctx context.Context, advertiser, name string) (string, error) {
	if id, ok, err := c.find(ctx, advertiser, name); err != nil || (ok && numeric(id)) {
		return id, err
	}
	id, err := c.create(ctx, advertiser, name)
	var ce *createError
	if errors.As(err, &ce) && ce.code == "name-must-be-unique" {
		if id, ok, ferr := c.find(ctx, advertiser, name); ferr == nil && ok && numeric(id) {
			return id, nil
		}
	}
	return id, err
}

// createError is Criteo refusing to create a contact list, with its error
// code; it is not retried (it unwraps to an IntegrationError).
type createError struct {
	code string
	err  *destkit.IntegrationError
}

func (e *createError) Error() string { return e.err.Error() }
func (e *createError) Unwrap() error { return e.err }

func (c criteo) create(ctx context.Context, advertiser, name string) (string, error) {
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("attributes")
	w.ObjectStart()
	w.StringField("advertiserId", advertiser)
	w.StringField("name", name)
	w.StringField("description", name)
	w.Key("contactList")
	w.Raw([]byte(`{}`))
	w.ObjectEnd()
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	resp, err := c.do(ctx, http.MethodPost, apiBase+"/marketing-solutions/audience-segments/create", w.Bytes())
	if resp == nil {
		return "", err
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if resp.Status != http.StatusOK {
		ce := &createError{err: &destkit.IntegrationError{Code: "Criteo contact list creation error",
			Message: "criteo: creating the contact list failed with status " + strconv.Itoa(resp.Status)}}
		if perr == nil {
			ce.code = string(v.GetStringBytes("errors", "0", "code"))
		}
		return "", ce
	}
	id := ""
	if perr == nil {
		id = idOf(v.Get("data", "0", "id"))
	}
	if id == "" {
		return "", &destkit.IntegrationError{Code: "Criteo contact list creation error", Message: "criteo: the created contact list has no id"}
	}
	return id, nil
}
