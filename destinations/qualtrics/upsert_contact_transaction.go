package qualtrics

import (
	"context"
	"crypto/rand"
	"math/big"
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpsertContactTransaction adds a transaction to a directory contact,
// finding or creating the contact first when its id is not mapped.
var UpsertContactTransaction = &destkit.Action{
	Key:         "upsertContactTransaction",
	Title:       "Upsert contact transaction",
	Description: "Add a transaction to a contact in an XM Directory, creating the contact first when no contact matches.",
	// Segment's trigger is `type = "track", event = "Transaction Created"`: its
	// parser skips the comma, so the two conditions are joined by and, which is
	// what this says in a form Actuate's filter language accepts.
	DefaultSubscription: `type = "track" and event = "Transaction Created"`,
	Fields: append(append([]destkit.Field{
		directoryIDField,
		{Key: "mailingListId", Label: "Mailing list ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.traits.qualtricsMailingListId"}`,
			Description: "Id of the mailing list the transaction belongs to."},
		{Key: "contactId", Label: "Contact ID", Type: destkit.String,
			Default:     `{"@path":"$.traits.qualtricsContactId"}`,
			Description: "Qualtrics id of the contact; when missing, the contact is looked up by external reference, email and phone, and created when none matches."},
		{Key: "extRef", Label: "External Data Reference", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "External data reference: your unique id of the contact. Used to find the contact, and to create it when none matches; not part of the transaction."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     emailDefault,
			Description: "Email address of the contact, to find it or create it; not part of the transaction."},
		{Key: "phone", Label: "Phone number", Type: destkit.String,
			Default:     `{"@path":"$.traits.phone"}`,
			Description: "Phone number of the contact, to find it or create it; not part of the transaction."},
	}, nameFields("First name", "Last name")...), languageField, unsubscribedField, embeddedDataField,
		destkit.Field{Key: "transactionDate", Label: "Date & time of transaction", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the transaction happened; now when missing or not a date."},
		destkit.Field{Key: "transactionData", Label: "Transaction data", Type: destkit.Object,
			Description: "Properties of the transaction."}),
	Run: upsertContactTransaction,
}

// now and transactionKey are replaced in tests.
var (
	now            = time.Now
	transactionKey = randomKey
)

// keyAlphabet is the alphabet of Segment's transaction keys.
const keyAlphabet = "abcdefghijklmnopqrstuvwxyz123456789"

// randomKey is a random 16-character transaction key.
func randomKey() string {
	b := make([]byte, 16)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(keyAlphabet))))
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b[i] = keyAlphabet[n.Int64()]
	}
	return string(b)
}

func upsertContactTransaction(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p, s := in.Payload, in.Settings
	dir := string(p.GetStringBytes("directoryId"))
	if dir == "" {
		return destkit.ValidationErrorf("directoryId", "The field directoryId is required.")
	}
	base := "directories/" + url.PathEscape(dir)
	contactID := p.Get("contactId")
	if !destkit.Truthy(contactID) {
		var err error
		if contactID, err = findOrCreateContact(ctx, d, s, base, p); err != nil {
			return err
		}
	}
	entry := destkit.NewJSONWriter(make([]byte, 0, 512))
	entry.ObjectStart()
	entry.Field("contactId", contactID)
	entry.Field("mailingListId", p.Get("mailingListId"))
	entry.Key("data")
	entry.Raw(transactionData(p.Get("transactionData")))
	entry.StringField("transactionDate", transactionDate(p.Get("transactionDate")))
	entry.ObjectEnd()
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key(transactionKey())
	w.Raw(entry.Bytes())
	w.ObjectEnd()
	// Segment reads nothing from this answer, so neither does Actuate.
	r, err := apiRequest(s, "POST", base+"/transactions", w.Bytes())
	if err != nil {
		return err
	}
	_, err = d.Do(ctx, &r)
	return err
}

// lookupKeys are the contact fields a search matches on, in Segment's order.
var lookupKeys = []string{"extRef", "phone", "email"}

// findOrCreateContact returns the id of the one contact matching the
// payload's external reference, phone and email, creating it when none
// matches.
func findOrCreateContact(ctx context.Context, d destkit.Doer, s *destkit.Settings, base string, p *fastjson.Value) (*fastjson.Value, error) {
	if !destkit.Truthy(p.Get("email")) && !destkit.Truthy(p.Get("extRef")) && !destkit.Truthy(p.Get("phone")) {
		return nil, &destkit.IntegrationError{Code: "directory_lookup_error",
			Message: "Unable to look the contact up: map at least one of contactId, extRef, email or phone."}
	}
	var filters [][]byte
	for _, k := range lookupKeys {
		if v := p.Get(k); v != nil {
			f := destkit.NewJSONWriter(nil)
			f.ObjectStart()
			f.StringField("filterType", k)
			f.StringField("comparison", "eq")
			f.Field("value", v)
			f.ObjectEnd()
			filters = append(filters, f.Bytes())
		}
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("filter")
	if len(filters) == 1 {
		w.Raw(filters[0])
	} else {
		w.ObjectStart()
		w.StringField("conjunction", "and")
		w.Key("filters")
		w.ArrayStart()
		for _, f := range filters {
			w.Raw(f)
		}
		w.ArrayEnd()
		w.ObjectEnd()
	}
	w.ObjectEnd()
	found, err := call(ctx, d, s, "POST", base+"/contacts/search", w.Bytes())
	if err != nil {
		return nil, err
	}
	elements := found.Get("elements")
	if elements == nil || elements.Type() != fastjson.TypeArray {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Qualtrics' contact search answered without result.elements."}
	}
	switch contacts := elements.GetArray(); len(contacts) {
	case 0:
		created, err := call(ctx, d, s, "POST", base+"/contacts", contactBody(p))
		if err != nil {
			return nil, err
		}
		return created.Get("id"), nil
	case 1:
		return contacts[0].Get("id"), nil
	default:
		return nil, &destkit.IntegrationError{Code: "directory_lookup_error",
			Message: "The directory search found more than one contact; map contactId, or an external reference, email or phone that only one contact has."}
	}
}

// call sends one directory API request and returns the response's result.
func call(ctx context.Context, d destkit.Doer, s *destkit.Settings, method, path string, body []byte) (*fastjson.Value, error) {
	r, err := apiRequest(s, method, path, body)
	if err != nil {
		return nil, err
	}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	return parseResult(resp)
}

// parseResult reads the result member of a directory API response.
func parseResult(resp *destkit.Response) (*fastjson.Value, error) {
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil || v.Get("result") == nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Qualtrics answered without a JSON result."}
	}
	return v.Get("result"), nil
}

// transactionData keeps the transaction's strings, numbers and booleans;
// any other value is replaced by the JSON text of the whole transaction
// data, as Segment's integration does.
func transactionData(data *fastjson.Value) []byte {
	var out destkit.JSObject
	if data == nil || data.Type() != fastjson.TypeObject {
		return out.AppendJSON(nil)
	}
	var whole []byte
	data.GetObject().Visit(func(k []byte, v *fastjson.Value) {
		switch v.Type() {
		case fastjson.TypeString, fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
			out.SetValue(string(k), v)
		default:
			if whole == nil {
				whole = destkit.AppendJSONString(nil, string(destkit.AppendValue(nil, data)))
			}
			out.Set(string(k), whole)
		}
	})
	return out.AppendJSON(nil)
}

// transactionDate is the time as Qualtrics takes it ("2026-03-02 10:15:42",
// UTC); a missing or unreadable date is now.
func transactionDate(v *fastjson.Value) string {
	t, ok := destkit.ParseJSDate(v)
	if v == nil || !ok {
		t = now()
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}
