package salesforcemarketingcloud

import "github.com/actuate/actuate/destinations/destkit"

// Contact creates a contact (or finds the existing one) by contact key.
var Contact = &destkit.Action{
	Key:                 "contact",
	Title:               "Create Contact",
	Description:         "Create a Marketing Cloud contact, identified by its contact key, with no attributes.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "contactKey", Label: "Contact Key", Type: destkit.String, Required: true, Default: `{"@path":"$.userId"}`,
			Description: "The key that identifies the contact in every Marketing Cloud channel."},
	},
	Perform: createContact,
}

func createContact(in *destkit.Input) ([]destkit.Request, error) {
	if len(in.Payload.GetStringBytes("contactKey")) == 0 {
		return nil, destkit.ValidationErrorf("contactKey", "The field contactKey is required.")
	}
	u, err := restURL(in.Settings, "/contacts/v1/contacts")
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 96))
	w.ObjectStart()
	w.Field("contactKey", in.Payload.Get("contactKey"))
	w.Key("attributeSets")
	w.ArrayStart()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
}
