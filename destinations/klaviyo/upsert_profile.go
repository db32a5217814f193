package klaviyo

import (
	"context"
	"net/http"
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpsertProfile creates or updates a profile, optionally adding it to a
// list; batches go through a profile bulk import job.
var UpsertProfile = &destkit.Action{
	Key:                 "upsertProfile",
	Title:               "Upsert Profile",
	Description:         "Create a Klaviyo profile or update the one with the same email, phone number or external ID, and optionally add it to a list.",
	DefaultSubscription: `type = "identify"`,
	Fields: append(append([]destkit.Field{
		emailField(`{"@path":"$.traits.email"}`),
		enableBatchingField(""),
		phoneField(`{"@path":"$.context.traits.phone"}`),
		countryCodeField,
		externalIDField(0),
	}, profileAttributeFields("traits")...),
		propertiesField(`{"@path":"$.properties"}`, false),
		listIDField("List", false, ""),
		batchSizeField(100, 10000, `10000`),
		destkit.Field{Key: "override_list_id", Label: "List ID Override", Type: destkit.String,
			Default:     `{"@path":"$.integrations.Klaviyo.listId"}`,
			Description: "List ID taken from the event (integrations.Klaviyo.listId) that replaces List, as Klaviyo's classic destination allowed."},
		batchKeysField(`["list_id","override_list_id"]`),
	),
	Hooks: []destkit.Hook{listHook},
	// A profile bulk import job takes up to 10,000 profiles and one list.
	Batch:        &destkit.Batch{MaxSize: 10000, Keys: []string{"list_id", "override_list_id"}},
	Run:          upsertProfile,
	PerformBatch: upsertProfileBatch,
}

// upsertSkip are the payload keys that are not profile attributes, or that
// profileDoc writes first.
var upsertSkip = append([]string{"email", "external_id", "phone_number", "list_id", "override_list_id", listHook.Key}, batchOnly...)

// upsertListID is the list an event's profile joins: the list connected by
// the mapping's hook, else List ID Override, else List.
func upsertListID(p *fastjson.Value) string {
	if id := hookListID(p); id != "" {
		return id
	}
	return batchListID(p)
}

// batchListID is the list of a batch: List ID Override, else the hook's
// list, else List. Segment's batch replaces List with the hook's list and
// still lets the override win, so the order differs from upsertListID.
func batchListID(p *fastjson.Value) string {
	if id := p.GetStringBytes("override_list_id"); len(id) > 0 {
		return string(id)
	}
	if id := hookListID(p); id != "" {
		return id
	}
	return string(p.GetStringBytes("list_id"))
}

// checkProfile applies the checks every profile action shares and returns
// the E.164 phone number.
func checkProfile(p *fastjson.Value) (string, error) {
	phone, err := phoneOf(p, "phone_number")
	if err != nil {
		return "", err
	}
	if p.Get("email") == nil && phone == "" && p.Get("external_id") == nil {
		return "", errNoIdentifier
	}
	if !externalIDOK(p) {
		return "", errLongID
	}
	return phone, nil
}

// upsertProfile creates the profile; when Klaviyo reports a duplicate it
// updates the existing profile instead, then adds it to the list.
func upsertProfile(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	phone, err := checkProfile(p)
	if err != nil {
		return err
	}
	id, exists, err := createProfile(ctx, d, profileDoc(p, phone, "", upsertSkip))
	if err != nil {
		return err
	}
	if exists {
		r := destkit.NewJSONRequest(http.MethodPatch, apiBase+"/profiles/"+url.PathEscape(id), profileDoc(p, phone, id, upsertSkip))
		if _, err := do(ctx, d, r); err != nil {
			return err
		}
	}
	if list := upsertListID(p); list != "" {
		return addToList(ctx, d, list, id)
	}
	return nil
}

func upsertProfileBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	phones := make([]string, len(in.Payloads))
	list := ""
	first := true
	for i, p := range in.Payloads {
		phone, err := checkProfile(p)
		if err != nil {
			in.Reject(i, err)
			continue
		}
		phones[i] = phone
		if first {
			list, first = batchListID(p), false
		}
	}
	if first {
		return nil, nil
	}
	return importJob(in, phones, list, []string{"list_id", "override_list_id", listHook.Key}), nil
}

// importJob builds a profile bulk import job of every payload not rejected,
// subscribing them to list when one is given.
func importJob(in *destkit.BatchInput, phones []string, list string, skip []string) []destkit.Request {
	skip = append(skip, batchOnly...)
	w := destkit.NewJSONWriter(make([]byte, 0, 256+384*len(in.Payloads)))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("profile-bulk-import-job")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("profiles")
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	for i, p := range in.Payloads {
		if in.Rejected(i) != nil {
			continue
		}
		w.ObjectStart()
		w.Key("type")
		w.String("profile")
		w.Key("attributes")
		w.ObjectStart()
		writeAttributes(w, p, phones[i], skip...)
		w.ObjectEnd()
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	if list != "" {
		w.Key("relationships")
		w.ObjectStart()
		w.Key("lists")
		w.ObjectStart()
		w.Key("data")
		w.ArrayStart()
		writeRef(w, "list", list)
		w.ArrayEnd()
		w.ObjectEnd()
		w.ObjectEnd()
	}
	w.ObjectEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest(http.MethodPost, apiBase+"/profile-bulk-import-jobs/", w.Bytes())}
}
