package voucherify

import "github.com/actuate/actuate/destinations/destkit"

// UpsertCustomer creates or updates a customer.
var UpsertCustomer = &destkit.Action{
	Key:                 "upsertCustomer",
	Title:               "Upsert Customer",
	Description:         "Create a Voucherify customer, or update the one with the same source id.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "source_id", Label: "Source ID", Type: destkit.String, Required: true, Default: `{"@path":"$.userId"}`,
			Description: "The customer's id in your systems, which Voucherify keys customers by."},
		{Key: "name", Label: "Name", Type: destkit.String, AllowNull: true, Default: `{"@path":"$.traits.name"}`, Description: "Full name."},
		{Key: "first_name", Label: "First Name", Type: destkit.String, AllowNull: true, Default: `{"@path":"$.traits.first_name"}`, Description: "Given name."},
		{Key: "last_name", Label: "Last Name", Type: destkit.String, AllowNull: true, Default: `{"@path":"$.traits.last_name"}`, Description: "Family name."},
		{Key: "description", Label: "Description", Type: destkit.String, AllowNull: true, Default: `{"@path":"$.traits.description"}`, Description: "Notes about the customer; null clears them."},
		{Key: "email", Label: "Email Address", Type: destkit.String, AllowNull: true, Default: `{"@path":"$.traits.email"}`, Description: "Email address."},
		{Key: "phone", Label: "Phone", Type: destkit.String, AllowNull: true, Default: `{"@path":"$.traits.phone"}`, Description: "Phone number."},
		{Key: "birthdate", Label: "Birthdate", Type: destkit.String, AllowNull: true, Default: `{"@path":"$.traits.birthdate"}`, Description: "Date of birth (YYYY-MM-DD)."},
		{Key: "address", Label: "Address", Type: destkit.Object,
			Default:     `{"city":{"@path":"$.traits.address.city"},"state":{"@path":"$.traits.address.state"},"postal_code":{"@path":"$.traits.address.postal_code"},"street":{"@path":"$.traits.address.street"},"country":{"@path":"$.traits.address.country"}}`,
			Description: "Postal address.",
			Properties: []destkit.Field{
				{Key: "city", Label: "City", Type: destkit.String, AllowNull: true, Description: "City."},
				{Key: "state", Label: "State", Type: destkit.String, AllowNull: true, Description: "State or region."},
				{Key: "postal_code", Label: "Postal Code", Type: destkit.String, AllowNull: true, Description: "Postal code."},
				{Key: "street", Label: "Street", Type: destkit.String, AllowNull: true, Description: "Street and number."},
				{Key: "country", Label: "Country", Type: destkit.String, AllowNull: true, Description: "Country."},
			}},
		{Key: "metadata", Label: "Metadata", Type: destkit.Object, AllowNull: true, Default: `{"@path":"$.traits.metadata"}`,
			Description: "Custom attributes, as defined in Voucherify's metadata schema for customers."},
		typeField,
	},
	Perform: post("customer"),
}
