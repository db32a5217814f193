// Package cordial syncs contacts, lists, carts, orders and contact
// activities to Cordial through Cordial's integration endpoint for Segment.
//
// Every action posts one JSON object to <endpoint>/api/segment/<action key>
// with the API key in the x-api-key header and "Accept: application/json".
// The object starts with the contact's identities: the setting
// segmentIdKey (when set: the Cordial attribute that holds the Segment
// user ID), segmentId, anonymousId and userIdentities; then come the
// action's mapped fields, each under its own key and left out when absent.
// Upsert Order sends its discountApplication only when its type is "fixed"
// and its amount is non-zero, and null otherwise; Merge Contacts sends the
// new IDs and the previous one. This follows Segment's implementation,
// except that an event with no segmentId, anonymousId or userIdentities is
// refused here (naming segmentId) instead of being posted with no contact.
//
// Segment's Add Product to Cart also has a required category field, and
// its order items an optional one; the shared reference's field facts,
// which the fields here must match key for key, leave both out, so a
// category is not sent until the reference has it.
package cordial

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Cordial destination.
var Definition = &destkit.Definition{
	Slug:        "cordial",
	SegmentSlug: "actions-cordial",
	Name:        "Cordial (Actions)",
	Description: "Sync contacts, lists, carts, orders and contact activities to Cordial.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Cordial API key; sent in the x-api-key header."},
		{Key: "endpoint", Label: "Endpoint", Type: destkit.String, Required: true, Format: "uri",
			Default:     `"https://integrations-ingest-svc.usw1.cordial.com"`,
			Description: "Cordial integrations endpoint; keep the default unless Cordial gave you another."},
		{Key: "segmentIdKey", Label: "User ID attribute key", Type: destkit.String,
			Description: "Unique string attribute of Cordial contacts that stores the Segment user ID (segment_id, say)."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("x-api-key", s.Str("apiKey"))
		r.SetHeader("Accept", "application/json")
		return nil
	},
	Actions: []*destkit.Action{
		CreateContactactivity, UpsertContact, AddContactToList, RemoveContactFromList,
		AddProductToCart, RemoveProductFromCart, UpsertOrder, MergeContacts,
	},
}

// identityFields open every action but Merge Contacts: who the contact is.
var identityFields = []destkit.Field{
	{Key: "segmentId", Label: "Segment User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
		Description: "Segment user ID of the contact."},
	{Key: "anonymousId", Label: "Segment Anonymous ID", Type: destkit.String, Default: `{"@path":"$.anonymousId"}`,
		Description: "Segment anonymous ID of the contact."},
	{Key: "userIdentities", Label: "User Identities", Type: destkit.Object,
		Description: "Cordial contact identifiers in order of precedence (channels.email.address, customerId, …) and their values; a contact found by them is updated, otherwise one is created."},
}

// identified is keys after the payload keys of identityFields, in the
// order they are sent.
func identified(keys ...string) []string {
	return append([]string{"segmentId", "anonymousId", "userIdentities"}, keys...)
}

// relay gives a its Perform: post the payload's keys, in order, to
// /api/segment/<a's key>.
func relay(a *destkit.Action, keys ...string) *destkit.Action {
	return withPerform(a, func(w *destkit.JSONWriter, p *fastjson.Value) { copyKeys(w, p, keys) })
}

// withPerform gives a its Perform: check a's required fields, then post
// the object that starts with the segmentIdKey setting and goes on with
// what body writes, to /api/segment/<a's key>.
func withPerform(a *destkit.Action, body func(w *destkit.JSONWriter, p *fastjson.Value)) *destkit.Action {
	a.Perform = func(in *destkit.Input) ([]destkit.Request, error) {
		if err := requireFields(a, in.Payload); err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.StringField("segmentIdKey", in.Settings.Str("segmentIdKey"))
		body(&w, in.Payload)
		w.ObjectEnd()
		u := in.Settings.Str("endpoint") + "/api/segment/" + a.Key
		return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
	}
	return a
}

// requireFields refuses a payload missing one of a's required fields (the
// validator has already checked them; Perform may not assume it), and one
// of an action with identityFields that identifies no contact.
func requireFields(a *destkit.Action, p *fastjson.Value) error {
	for i := range a.Fields {
		f := &a.Fields[i]
		if f.Required && p.Get(f.Key) == nil {
			return destkit.ValidationErrorf(f.Key, "The field %q is required.", f.Key)
		}
	}
	if a.Field("userIdentities") != nil && !identifies(p) {
		return destkit.ValidationErrorf("segmentId", "The contact needs a segmentId, an anonymousId or userIdentities.")
	}
	return nil
}

// identifies reports whether p names a contact.
func identifies(p *fastjson.Value) bool {
	if len(p.GetStringBytes("segmentId")) > 0 || len(p.GetStringBytes("anonymousId")) > 0 {
		return true
	}
	o := p.GetObject("userIdentities")
	return o != nil && o.Len() > 0
}

func copyKeys(w *destkit.JSONWriter, p *fastjson.Value, keys []string) {
	for _, k := range keys {
		w.Field(k, p.Get(k))
	}
}
