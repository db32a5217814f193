// Package loops creates and updates contacts and sends events in Loops.
//
// Both actions call Loops' REST API (https://app.loops.so/api/v1) with the
// API key as a Bearer credential. Bodies are built the way Segment's
// implementation spreads its payload: the free-form object's keys first
// (custom attributes, contact properties), then the mapped fields, a field
// replacing an attribute of the same name in its place; absent fields are
// left out.
//
// User deletion follows Loops' API reference, which takes the user id as a
// string ({"userId":"…"}); Segment's implementation sends a one-element
// array instead.
package loops

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const apiBase = "https://app.loops.so/api/v1"

// Definition is the Loops destination.
var Definition = &destkit.Definition{
	Slug:        "loops",
	SegmentSlug: "actions-loops",
	Name:        "Loops (Actions)",
	Description: "Create and update contacts and send events to Loops for product email.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Loops API key (Settings, API), sent as a Bearer credential."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{CreateOrUpdateContact, SendEvent},
	Delete:  deleteContact,
}

// deleteContact removes the contact with the user's id.
func deleteContact(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "Loops deletes contacts by user id; the request has none.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 64))
	w.ObjectStart()
	w.Key("userId")
	w.String(in.UserID)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/contacts/delete", w.Bytes())}, nil
}

// body is a JSON object built like a JavaScript object literal with
// spreads: setting a key that exists replaces its value in place, and a
// key whose value is nil (undefined) keeps its place but is not written.
type body []member

type member struct {
	key string
	val *fastjson.Value
	raw []byte
}

func (b *body) set(k string, v *fastjson.Value) { b.put(member{key: k, val: v}) }

func (b *body) setRaw(k string, raw []byte) { b.put(member{key: k, raw: raw}) }

func (b *body) put(m member) {
	for i := range *b {
		if (*b)[i].key == m.key {
			(*b)[i] = m
			return
		}
	}
	*b = append(*b, m)
}

// spread sets every member of o, skipping the keys in skip.
func (b *body) spread(o *fastjson.Object, skip ...string) {
	if o == nil {
		return
	}
	o.Visit(func(k []byte, v *fastjson.Value) {
		for _, s := range skip {
			if string(k) == s {
				return
			}
		}
		b.set(string(k), v)
	})
}

func (b body) bytes() []byte {
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	for _, m := range b {
		switch {
		case m.raw != nil:
			w.Key(m.key)
			w.Raw(m.raw)
		case m.val != nil:
			w.Key(m.key)
			w.Value(m.val)
		}
	}
	w.ObjectEnd()
	return w.Bytes()
}

// requireString returns a validation error when the string field is empty.
func requireString(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}
