package intercom

import (
	"context"
	"errors"
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

// IdentifyContact creates a contact or updates the one found.
var IdentifyContact = &destkit.Action{
	Key:                 "identifyContact",
	Title:               "Identify Contact",
	Description:         "Create or update a contact (user or lead) in Intercom.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "role", Label: "Role", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "lead", Label: "Lead"}, {Value: "user", Label: "User"}},
			Description: "Whether the contact is a user or a lead."},
		{Key: "external_id", Label: "External ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the contact; users need it or an email. Leads cannot have one."},
		{Key: "email", Label: "Email Address", Type: destkit.String, Format: "email",
			Default:     `{"@path":"$.traits.email"}`,
			Description: "The contact's email; users need it or an external id."},
		{Key: "phone", Label: "Phone Number", Type: destkit.String,
			Default:     `{"@path":"$.traits.phone"}`,
			Description: "The contact's phone number."},
		{Key: "name", Label: "Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "The contact's name."},
		{Key: "avatar", Label: "Avatar", Type: destkit.String, Format: "uri",
			Default:     `{"@path":"$.traits.avatar"}`,
			Description: "URL of the contact's avatar image."},
		{Key: "signed_up_at", Label: "Signed Up Timestamp", Type: destkit.Datetime,
			Description: "When the contact signed up: a date or Unix seconds."},
		{Key: "last_seen_at", Label: "Last Seen Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the contact was last seen: a date or Unix seconds."},
		{Key: "owner_id", Label: "Owner ID", Type: destkit.Number,
			Description: "Id of the admin who owns the contact."},
		{Key: "unsubscribed_from_emails", Label: "Unsubscribed From Emails", Type: destkit.Boolean,
			Description: "Whether the contact has unsubscribed from email."},
		{Key: "custom_attributes", Label: "Custom Attributes", Type: destkit.Object,
			Description: "Values of custom attributes that already exist in the Intercom workspace."},
	},
	Run: identifyContact,
}

func identifyContact(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	if len(p.GetStringBytes("role")) == 0 {
		return destkit.ValidationErrorf("role", "The field role is required.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	writePayload(w, p, []string{"signed_up_at", "last_seen_at"})
	w.ObjectEnd()

	id, err := findContact(ctx, d, string(p.GetStringBytes("external_id")), string(p.GetStringBytes("email")))
	if err != nil {
		return err
	}
	r := destkit.NewJSONRequest("POST", apiBase+"/contacts", w.Bytes())
	if id != "" {
		r = destkit.NewJSONRequest("PUT", apiBase+"/contacts/"+url.PathEscape(id), w.Bytes())
	}
	_, err = d.Do(ctx, &r)
	var api *destkit.APIError
	if errors.As(err, &api) && api.Status == 409 {
		// The contact exists but search did not see it yet: Intercom's
		// search index lags behind writes.
		return &destkit.RetryableError{Err: err}
	}
	return err
}
