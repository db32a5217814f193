package salesforce

import "github.com/actuate/actuate/destinations/destkit"

var account = &sobject{name: "Account", required: []string{"name"}, requiredMsg: "Missing name value",
	shape: [][2]string{{"name", "Name"}, {"account_number", "AccountNumber"}, {"number_of_employees", "NumberOfEmployees"},
		{"billing_city", "BillingCity"}, {"billing_postal_code", "BillingPostalCode"}, {"billing_country", "BillingCountry"},
		{"billing_street", "BillingStreet"}, {"billing_state", "BillingState"}, {"shipping_city", "ShippingCity"},
		{"shipping_postal_code", "ShippingPostalCode"}, {"shipping_country", "ShippingCountry"}, {"shipping_street", "ShippingStreet"},
		{"shipping_state", "ShippingState"}, {"phone", "Phone"}, {"description", "Description"}, {"website", "Website"}}}

var account2 = &sobject{name: account.name, required: account.required, requiredMsg: account.requiredMsg, shape: account.shape, v2: true}

func accountFields() []destkit.Field {
	return []destkit.Field{
		str("name", "Name", "Name of the account; needed to create one.", `{"@path":"$.traits.name"}`),
		str("account_number", "Account Number", "Account number; by default the group ID.", `{"@path":"$.groupId"}`),
		{Key: "number_of_employees", Label: "Number of employees", Type: destkit.Integer, Default: either("employees"),
			Description: "Number of employees."},
		str("billing_city", "Billing City", "City of the billing address.", either("address.city")),
		str("billing_postal_code", "Billing Postal Code", "Postal code of the billing address.", either("address.postal_code")),
		str("billing_country", "Billing Country", "Country of the billing address.", either("address.country")),
		str("billing_street", "Billing Street", "Street of the billing address.", either("address.street")),
		str("billing_state", "Billing State", "State or region of the billing address.", either("address.state")),
		str("shipping_city", "Shipping City", "City of the shipping address.", ""),
		str("shipping_postal_code", "Shipping Postal Code", "Postal code of the shipping address.", ""),
		str("shipping_country", "Shipping Country", "Country of the shipping address.", ""),
		str("shipping_street", "Shipping Street", "Street of the shipping address.", ""),
		str("shipping_state", "Shipping State", "State or region of the shipping address.", ""),
		str("phone", "Phone", "Phone number of the account.", either("phone")),
		str("description", "Description", "Text describing the account.", either("description")),
		str("website", "Website", "Website of the account.", either("website")),
	}
}

// Account creates, updates, upserts or deletes an account, by default from
// group calls.
var Account = &destkit.Action{
	Key:                 "account",
	Title:               "Account",
	Description:         "Create, update, upsert or delete a Salesforce account.",
	DefaultSubscription: `type = "group"`,
	Fields: concat([]destkit.Field{operationField, enableBatching, batchSize, recordMatcherOperator, traits, bulkUpsertExternalID, bulkUpdateRecordID},
		accountFields(), []destkit.Field{customFields}),
	Batch:    &destkit.Batch{MaxSize: 5000, Keys: []string{"operation"}},
	Run:      account.run,
	RunBatch: account.runBatch,
}

// Account2 is Account driven by the subscription's sync mode.
var Account2 = &destkit.Action{
	Key:                 "account2",
	Title:               "Account V2",
	Description:         "Insert, update, upsert or delete a Salesforce account, as the subscription's sync mode says.",
	DefaultSubscription: `type = "group"`,
	Fields: concat([]destkit.Field{enableBatching, batchSize, recordMatcherOperator, traits, bulkUpsertExternalID, bulkUpdateRecordID},
		accountFields(), []destkit.Field{customFields}),
	Batch:    &destkit.Batch{MaxSize: 5000},
	Run:      account2.run,
	RunBatch: account2.runBatch,
}
