package chartmogul

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// SendContact creates or updates a contact.
var SendContact = &destkit.Action{
	Key:                 "sendContact",
	Title:               "Send Contact",
	Description:         "Send a contact (a person) to ChartMogul.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "type", Label: "Event Type", Type: destkit.String, Required: true,
			Default:     `"Send Contact"`,
			Description: "Tells ChartMogul what the payload is; keep the default."},
		messageID, timestamp, sentAt,
		{Key: "user_id", Label: "User Id", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user; this or the anonymous id is required."},
		{Key: "anonymous_id", Label: "Anonymous Id", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Segment's anonymous id of the user."},
		{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email address of the contact."},
		{Key: "first_name", Label: "First Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.first_name"}`,
			Description: "First name of the contact."},
		{Key: "last_name", Label: "Last Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.last_name"}`,
			Description: "Last name of the contact."},
		{Key: "name", Label: "Full Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Full name of the contact."},
		{Key: "title", Label: "Title", Type: destkit.String,
			Default:     `{"@path":"$.traits.title"}`,
			Description: "Job title of the contact."},
		{Key: "phone", Label: "Phone Number", Type: destkit.String,
			Default:     `{"@path":"$.traits.phone"}`,
			Description: "Phone number of the contact."},
		{Key: "linked_in", Label: "LinkedIn", Type: destkit.String, Format: "uri",
			Default:     `{"@path":"$.traits.linkedIn"}`,
			Description: "URL of the contact's LinkedIn profile."},
		{Key: "twitter", Label: "Twitter (X)", Type: destkit.String,
			Default:     `{"@path":"$.traits.twitter"}`,
			Description: "Twitter (X) handle or URL of the contact."},
		{Key: "company", Label: "Company", Type: destkit.Object,
			Default: `{"id":{"@path":"$.traits.company.id"},"name":{"@path":"$.traits.company.name"}}`,
			Properties: []destkit.Field{
				{Key: "id", Label: "Company Id", Type: destkit.String, Required: true,
					Description: "Your identifier of the company (the group id)."},
				{Key: "name", Label: "Company Name", Type: destkit.String,
					Description: "Name of the company."},
			},
			Description: "The company the contact belongs to."},
	},
	Perform: sendContact,
}

func sendContact(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if p.Get("user_id") == nil && p.Get("anonymous_id") == nil {
		return nil, destkit.ValidationErrorf("user_id", "The user_id and/or anonymous_id must be present.")
	}
	if c := p.Get("company"); c != nil && len(c.GetStringBytes("id")) == 0 {
		p.Del("company")
	}
	// type, message_id, timestamp, sent_at and an id are always there.
	if p.GetObject().Len() <= 5 {
		return nil, destkit.ValidationErrorf("", "The event contains no information of interest to Chartmogul.")
	}
	return post(in)
}
