package qualtrics

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Fields the contact actions share.
var (
	directoryIDField = destkit.Field{Key: "directoryId", Label: "Directory ID", Type: destkit.String, Required: true,
		Dynamic:     directoryChoices,
		Description: "Id of the XM Directory (its pool id, POOL_…); the choices list the account's directories."}
	languageField = destkit.Field{Key: "language", Label: "Language", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.language"},"then":{"@path":"$.traits.language"},"else":"EN"}}`,
		Description: "Language code of the contact (EN when none is mapped)."}
	unsubscribedField = destkit.Field{Key: "unsubscribed", Label: "Contact is unsubscribed", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Whether the contact is unsubscribed from messages."}
	embeddedDataField = destkit.Field{Key: "embeddedData", Label: "Contact embedded data", Type: destkit.Object,
		Description: "Embedded data: properties stored on the contact."}
)

const emailDefault = `{"@if":{"exists":{"@path":"$.email"},"then":{"@path":"$.email"},"else":{"@path":"$.traits.email"}}}`

// nameFields are first and last name, labelled as each action labels them.
func nameFields(first, last string) []destkit.Field {
	return []destkit.Field{
		{Key: "firstName", Label: first, Type: destkit.String,
			Default:     `{"@path":"$.traits.firstName"}`,
			Description: "First name of the contact."},
		{Key: "lastName", Label: last, Type: destkit.String,
			Default:     `{"@path":"$.traits.lastName"}`,
			Description: "Last name of the contact."},
	}
}

// contactKeys are the members of a new contact, in Segment's order.
var contactKeys = []string{"firstName", "lastName", "phone", "email", "extRef", "unsubscribed", "language", "embeddedData"}

// contactBody is the body that creates a contact from the payload.
func contactBody(p *fastjson.Value) []byte {
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	for _, k := range contactKeys {
		w.Field(k, p.Get(k))
	}
	w.ObjectEnd()
	return w.Bytes()
}
