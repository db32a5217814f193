package loops

import (
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CreateOrUpdateContact upserts a contact by user id.
var CreateOrUpdateContact = &destkit.Action{
	Key:                 "createOrUpdateContact",
	Title:               "Create or update a contact",
	Description:         "Create a contact in Loops, or update the one with the same user id.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "createdAt", Label: "Contact Created Date", Type: destkit.Datetime, Format: "date-time",
			Description: "When the contact was created."},
		{Key: "customAttributes", Label: "Custom Contact Attributes", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Your own contact attributes; a mailingLists key here is used when the Mailing Lists field is empty."},
		{Key: "email", Label: "Contact Email", Type: destkit.String, Format: "email",
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}}`,
			Description: "The contact's email address; Loops needs it to create a contact."},
		{Key: "firstName", Label: "First Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.firstName"}`,
			Description: "The contact's first name."},
		{Key: "lastName", Label: "Last Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.lastName"}`,
			Description: "The contact's last name."},
		{Key: "mailingLists", Label: "Mailing Lists", Type: destkit.Object,
			Description: "Mailing list ids mapped to true (subscribe) or false (unsubscribe)."},
		{Key: "source", Label: "Source", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.source"},"then":{"@path":"$.traits.source"},"else":"Segment"}}`,
			Description: "Where the contact came from."},
		{Key: "subscribed", Label: "Subscribed", Type: destkit.Boolean,
			Description: "Whether the contact receives campaign email."},
		{Key: "userGroup", Label: "User Group", Type: destkit.String,
			Default:     `{"@path":"$.traits.userGroup"}`,
			Description: "The contact's user group."},
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true, Format: "text",
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the contact; contacts are matched on it."},
	},
	Perform: createOrUpdateContact,
}

func createOrUpdateContact(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := requireString(p, "userId"); err != nil {
		return nil, err
	}
	attrs := p.GetObject("customAttributes")
	lists := p.Get("mailingLists")
	if lists == nil || (lists.Type() == fastjson.TypeObject && lists.GetObject().Len() == 0) {
		// Lists may come in the traits instead.
		if attrs != nil && attrs.Get("mailingLists") != nil {
			lists = attrs.Get("mailingLists")
		}
	}
	var b body
	b.spread(attrs, "mailingLists")
	b.spread(mustObject(p), "customAttributes", "mailingLists")
	b.setRaw("mailingLists", mailingLists(lists))
	return []destkit.Request{destkit.NewJSONRequest("PUT", apiBase+"/contacts/update", b.bytes())}, nil
}

// mailingLists keeps the entries whose value is a boolean or the string
// "true" or "false", as booleans; anything else yields {}.
func mailingLists(v *fastjson.Value) []byte {
	w := destkit.NewJSONWriter(make([]byte, 0, 64))
	w.ObjectStart()
	add := func(k string, e *fastjson.Value) {
		switch e.Type() {
		case fastjson.TypeTrue:
			w.Key(k)
			w.Bool(true)
		case fastjson.TypeFalse:
			w.Key(k)
			w.Bool(false)
		case fastjson.TypeString:
			switch string(e.GetStringBytes()) {
			case "true":
				w.Key(k)
				w.Bool(true)
			case "false":
				w.Key(k)
				w.Bool(false)
			}
		}
	}
	if v != nil {
		switch v.Type() {
		case fastjson.TypeObject:
			o, _ := v.Object()
			o.Visit(func(k []byte, e *fastjson.Value) { add(string(k), e) })
		case fastjson.TypeArray:
			for i, e := range v.GetArray() {
				add(strconv.Itoa(i), e)
			}
		}
	}
	w.ObjectEnd()
	return w.Bytes()
}

func mustObject(v *fastjson.Value) *fastjson.Object {
	o, _ := v.Object()
	return o
}
