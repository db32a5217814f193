package chartmogul

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// SendCustomer creates or updates a customer (a company).
var SendCustomer = &destkit.Action{
	Key:                 "sendCustomer",
	Title:               "Send Customer",
	Description:         "Send a customer (a company) to ChartMogul.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "type", Label: "Event Type", Type: destkit.String, Required: true,
			Default:     `"Send Customer"`,
			Description: "Tells ChartMogul what the payload is; keep the default."},
		messageID, timestamp, sentAt,
		{Key: "user_id", Label: "User Id", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user who belongs to the customer."},
		{Key: "group_id", Label: "Group Id", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your identifier of the customer."},
		{Key: "name", Label: "Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Name of the customer."},
		{Key: "description", Label: "Description", Type: destkit.String,
			Default:     `{"@path":"$.traits.description"}`,
			Description: "A few words about the customer."},
		{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email address of the customer."},
		{Key: "website", Label: "Website", Type: destkit.String, Format: "uri-reference",
			Default:     `{"@path":"$.traits.website"}`,
			Description: "Website of the customer."},
		{Key: "created_at", Label: "Created at", Type: destkit.Datetime,
			Default:     `{"@path":"$.traits.createdAt"}`,
			Description: "When the customer was created."},
		{Key: "address", Label: "Address", Type: destkit.Object,
			Default: `{"street":{"@path":"$.traits.address.street"},"city":{"@path":"$.traits.address.city"},"state":{"@path":"$.traits.address.state"},"postal_code":{"@path":"$.traits.address.postalCode"},"country":{"@path":"$.traits.address.country"}}`,
			Properties: []destkit.Field{
				{Key: "street", Label: "Street", Type: destkit.String, Description: "Street address."},
				{Key: "city", Label: "City", Type: destkit.String, Description: "City."},
				{Key: "state", Label: "State", Type: destkit.String, Description: "State or region."},
				{Key: "postal_code", Label: "Postal code", Type: destkit.String, Description: "Postal code."},
				{Key: "country", Label: "Country", Type: destkit.String, Description: "Country."},
			},
			Description: "Postal address of the customer."},
	},
	Perform: post,
}
