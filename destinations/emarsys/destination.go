// Package emarsys upserts contacts, changes contact list membership and
// triggers external events in Emarsys through its v2 API
// (https://api.emarsys.net/api/v2/).
//
// Every request is authenticated with a WSSE header, X-WSSE: UsernameToken
// Username, PasswordDigest, Nonce and Created, where the digest is the
// base64 text of the hex SHA-1 of nonce + created + password; a fresh
// nonce and timestamp are made for each request. Emarsys answers 200 with
// a JSON body whose replyCode is 0 on success; a 200 with another
// replyCode (or a body that is not JSON) fails the event, naming Emarsys's
// replyText, as in Segment's implementation.
//
// Single events: Upsert Contact PUTs contact/?create_if_not_exists=1 with
// {key_id, contacts:[contact]}, the contact being the key field set to the
// key value with the mapped fields (Emarsys field IDs) written over it;
// Add to and Remove from Contact List POST contactlist/<id>/add or
// /delete with {key_id, external_ids}; Trigger Event POSTs
// event/<id>/trigger with {key_id, external_id, data}. Batches group
// events by key field (and list or event): one request per group, with
// every contact, external ID or event contact of the group, groups in the
// order Segment's implementation sends them (a JavaScript object's key
// order).
//
// The contact lists, key fields and events of the account are dynamic
// fields (Field.Dynamic): the control API lists them from Emarsys.
//
// Differences from Segment, on purpose: statuses are classified as for
// every destination (400, 401, 403 and 404 fail; 408, 429 and 5xx retry),
// where Segment retries every status but 400 and 429; and a batch response
// is checked like a single one, where Segment's batches of Upsert Contact,
// Remove from Contact List and Trigger Event ignore failed responses and
// count the events delivered.
package emarsys

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// apiBase is Emarsys's v2 API; paths are appended without a leading slash.
const apiBase = "https://api.emarsys.net/api/v2/"

// Definition is the Emarsys destination.
var Definition = &destkit.Definition{
	Slug:        "emarsys",
	SegmentSlug: "actions-emarsys",
	Name:        "Emarsys (Actions)",
	Description: "Upsert contacts, manage contact list membership and trigger external events in Emarsys.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "api_user", Label: "API username", Type: destkit.String, Required: true,
			Description: "Emarsys API user name (Management, Security Settings, API)."},
		{Key: "api_password", Label: "API password", Type: destkit.Password, Required: true, Secret: true,
			Description: "Secret of the Emarsys API user; only its digest is sent."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-WSSE", wsse(s.Str("api_user"), s.Str("api_password"), newNonce(), now()))
		return nil
	},
	Actions: []*destkit.Action{UpsertContact, AddToContactList, RemoveFromContactList, TriggerEvent},
}

// now and newNonce are replaced in tests.
var (
	now      = time.Now
	newNonce = func() string {
		b := make([]byte, 16)
		rand.Read(b)
		return hex.EncodeToString(b)
	}
)

// wsse is the X-WSSE header for one request made at t.
func wsse(user, password, nonce string, t time.Time) string {
	created := t.UTC().Format("2006-01-02T15:04:05.000Z")
	sum := sha1.Sum([]byte(nonce + created + password))
	digest := base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(sum[:])))
	return fmt.Sprintf(`UsernameToken Username="%s", PasswordDigest="%s", Nonce="%s", Created="%s"`, user, digest, nonce, created)
}

// batchSize is the most contacts Emarsys takes in one call.
const batchSize = 1000

// Fields several actions share.
var (
	keyField = destkit.Field{Key: "key_field", Label: "Key field", Type: destkit.String, Required: true,
		Dynamic:     fieldChoices,
		Description: "ID of the Emarsys field that identifies the contact (3 is the email address)."}
	keyValue = destkit.Field{Key: "key_value", Label: "Key value", Type: destkit.String, Required: true,
		Description: "Value of the key field for this contact, such as the email address."}
	contactList = destkit.Field{Key: "contactlistid", Label: "Id of the contact list", Type: destkit.Integer, Required: true,
		Dynamic:     listChoices("contactlist"),
		Description: "ID of the Emarsys contact list."}
)

// replyError checks a 2xx answer: nil when its replyCode is 0, otherwise an
// error (not retried) that carries Emarsys's replyText.
func replyError(action string, body []byte) error {
	v, err := fastjson.ParseBytes(body)
	if err != nil {
		return &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: action + ": Emarsys answered with a body that is not JSON"}
	}
	if c := v.Get("replyCode"); c != nil && c.Type() == fastjson.TypeNumber && c.GetInt() == 0 {
		return nil
	}
	text := string(v.GetStringBytes("replyText"))
	if text == "" {
		text = "UNKNOWN"
	}
	return &destkit.IntegrationError{Code: "EMARSYS_REPLY", Message: action + ": Emarsys refused the request: " + text}
}

// send runs one request and checks Emarsys's reply.
func send(ctx context.Context, d destkit.Doer, action string, r destkit.Request) error {
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return err
	}
	return replyError(action, resp.Body)
}

// batchStatus gives every event of a batch request the request's outcome:
// the status error, or the reply's.
func batchStatus(action string) func(resp *destkit.Response, events []int, _ *destkit.BatchInput) []error {
	return func(resp *destkit.Response, events []int, _ *destkit.BatchInput) []error {
		err := destkit.StatusError(resp)
		if err == nil {
			err = replyError(action, resp.Body)
		}
		errs := make([]error, len(events))
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
}

// keyed is what every action reads first: the contact's key field and
// value, and, for the list and event actions, the list or event ID.
type keyed struct {
	id, field, value string
}

// readKeyed reads p's key field and value, both required, and the integer
// field idField (when not empty), which must be above 0.
func readKeyed(p *fastjson.Value, idField string) (keyed, error) {
	var k keyed
	if idField != "" {
		v := p.Get(idField)
		if v == nil || v.Type() != fastjson.TypeNumber || v.GetFloat64() < 1 {
			return k, destkit.ValidationErrorf(idField, "The field %q must be an ID above 0.", idField)
		}
		k.id = strconv.FormatInt(v.GetInt64(), 10)
	}
	k.field, k.value = string(p.GetStringBytes("key_field")), string(p.GetStringBytes("key_value"))
	for _, f := range [...]struct{ key, v string }{{"key_field", k.field}, {"key_value", k.value}} {
		if f.v == "" {
			return k, destkit.ValidationErrorf(f.key, "The field %q is required.", f.key)
		}
	}
	return k, nil
}

// perGroup groups a batch as Segment's implementation does, by the ID
// field and the key field (events it cannot read are rejected), and makes
// one request per group with build, which gets the group's keys and its
// events. Groups come in the order of a JavaScript object's keys, as
// Segment collects them in one: integer-like keys first, ascending, then
// the others in the order they first appear.
func perGroup(in *destkit.BatchInput, idField string, build func(k keyed, events []int) destkit.Request) []destkit.Request {
	type group struct {
		k      keyed
		events []int
	}
	var order destkit.JSObject
	byKey := map[string]*group{}
	var groups []*group
	for i, p := range in.Payloads {
		k, err := readKeyed(p, idField)
		if err != nil {
			in.Reject(i, err)
			continue
		}
		key := k.field
		if idField != "" {
			key = k.id + "-" + k.field
		}
		g := byKey[key]
		if g == nil {
			g = &group{k: k}
			byKey[key] = g
			order.Set(key, []byte(strconv.Itoa(len(groups))))
			groups = append(groups, g)
		}
		g.events = append(g.events, i)
	}
	// The object's text lists the group numbers in its key order.
	var reqs []destkit.Request
	ordered, _ := fastjson.ParseBytes(order.AppendJSON(nil))
	ordered.GetObject().Visit(func(_ []byte, v *fastjson.Value) {
		g := groups[v.GetInt()]
		r := build(g.k, g.events)
		r.Events = g.events
		reqs = append(reqs, r)
	})
	return reqs
}

// listChoices lists the account's contact lists or external events (the
// path's items) as choices of an integer field.
func listChoices(path string) destkit.DynamicChoices {
	return func(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
		return choices(ctx, d, path, func(id *fastjson.Value) any { return id.GetInt() })
	}
}

// fieldChoices lists the account's contact fields as choices of the key
// field, whose values are the field IDs as text.
func fieldChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	return choices(ctx, d, "field/translate/en", func(id *fastjson.Value) any {
		if id.Type() == fastjson.TypeString {
			return string(id.GetStringBytes())
		}
		return string(id.MarshalTo(nil))
	})
}

func choices(ctx context.Context, d destkit.Doer, path string, value func(id *fastjson.Value) any) ([]destkit.Choice, error) {
	resp, err := d.Do(ctx, &destkit.Request{Method: "GET", URL: apiBase + path})
	if err != nil {
		return nil, err
	}
	if err := replyError("listing "+path, resp.Body); err != nil {
		return nil, err
	}
	v, _ := fastjson.ParseBytes(resp.Body)
	var out []destkit.Choice
	for _, item := range v.GetArray("data") {
		if id := item.Get("id"); id != nil {
			out = append(out, destkit.Choice{Value: value(id), Label: string(item.GetStringBytes("name"))})
		}
	}
	return out, nil
}
