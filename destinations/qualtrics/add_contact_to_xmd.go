package qualtrics

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

// AddContactToXmd creates a contact in an XM Directory; the directory's
// deduplication settings decide whether an existing contact is updated.
var AddContactToXmd = &destkit.Action{
	Key:                 "addContactToXmd",
	Title:               "Create and/or update contact in XM Directory",
	Description:         "Create a contact in an XM Directory; with the directory's automatic deduplication on, an existing contact is updated instead.",
	DefaultSubscription: `type = "identify"`,
	Fields: append(append([]destkit.Field{
		directoryIDField,
		{Key: "extRef", Label: "External Data Reference", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "External data reference: your unique id of the contact."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     emailDefault,
			Description: "Email address of the contact."},
		{Key: "phone", Label: "Phone number", Type: destkit.String,
			Default:     `{"@path":"$.traits.phone"}`,
			Description: "Phone number of the contact."},
	}, nameFields("First Name", "Last Name")...), languageField, unsubscribedField, embeddedDataField),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		dir := string(in.Payload.GetStringBytes("directoryId"))
		if dir == "" {
			return nil, destkit.ValidationErrorf("directoryId", "The field directoryId is required.")
		}
		r, err := apiRequest(in.Settings, "POST", "directories/"+url.PathEscape(dir)+"/contacts", contactBody(in.Payload))
		if err != nil {
			return nil, err
		}
		return []destkit.Request{r}, nil
	},
}
