package salesforce

import "github.com/actuate/actuate/destinations/destkit"

var contact = &sobject{name: "Contact", required: []string{"last_name"}, requiredMsg: "Missing last_name value",
	shape: [][2]string{{"last_name", "LastName"}, {"first_name", "FirstName"}, {"account_id", "AccountId"}, {"email", "Email"},
		{"mailing_state", "MailingState"}, {"mailing_street", "MailingStreet"}, {"mailing_country", "MailingCountry"},
		{"mailing_postal_code", "MailingPostalCode"}, {"mailing_city", "MailingCity"}}}

var contact2 = &sobject{name: contact.name, required: contact.required, requiredMsg: contact.requiredMsg, shape: contact.shape, v2: true}

func contactFields() []destkit.Field {
	return []destkit.Field{
		str("last_name", "Last Name", "Last name of the contact; needed to create one.", either("last_name")),
		str("first_name", "First Name", "First name of the contact.", either("first_name")),
		str("account_id", "Account ID", "ID of the account the contact belongs to.", ""),
		str("email", "Email", "Email address of the contact.", either("email")),
		str("mailing_city", "Mailing City", "City of the mailing address.", either("address.city")),
		str("mailing_postal_code", "Mailing Postal Code", "Postal code of the mailing address.", either("address.postal_code")),
		str("mailing_country", "Mailing Country", "Country of the mailing address.", either("address.country")),
		str("mailing_street", "Mailing Street", "Street of the mailing address.", either("address.street")),
		str("mailing_state", "Mailing State", "State or region of the mailing address.", either("address.state")),
	}
}

// Contact creates, updates, upserts or deletes a contact.
var Contact = &destkit.Action{
	Key:         "contact",
	Title:       "Contact",
	Description: "Create, update, upsert or delete a Salesforce contact.",
	Fields:      concat(commonV1(), contactFields(), []destkit.Field{customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000, Keys: []string{"operation"}},
	Run:         contact.run,
	RunBatch:    contact.runBatch,
}

// Contact2 is Contact driven by the subscription's sync mode.
var Contact2 = &destkit.Action{
	Key:         "contact2",
	Title:       "Contact V2",
	Description: "Insert, update, upsert or delete a Salesforce contact, as the subscription's sync mode says.",
	Fields:      concat(commonV2(), contactFields(), []destkit.Field{customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000},
	Run:         contact2.run,
	RunBatch:    contact2.runBatch,
}
