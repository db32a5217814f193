package salesforce

import "github.com/actuate/actuate/destinations/destkit"

var lead = &sobject{name: "Lead", required: []string{"last_name"}, requiredMsg: "Missing last_name value",
	shape: [][2]string{{"last_name", "LastName"}, {"company", "Company"}, {"first_name", "FirstName"}, {"state", "State"},
		{"street", "Street"}, {"country", "Country"}, {"postal_code", "PostalCode"}, {"city", "City"}, {"email", "Email"}}}

var lead2 = &sobject{name: lead.name, required: lead.required, requiredMsg: lead.requiredMsg, shape: lead.shape, v2: true}

func leadFields(v1 bool) []destkit.Field {
	last := str("last_name", "Last Name", "Last name of the lead; needed to create one.", either("last_name"))
	if v1 {
		last.RequiredIf = &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "operation", Operator: "is", Value: "create"}}}
	}
	return []destkit.Field{
		str("company", "Company", "Company of the lead.", either("company")),
		last,
		str("first_name", "First Name", "First name of the lead.", either("first_name")),
		str("email", "Email", "Email address of the lead.", either("email")),
		str("city", "City", "City of the lead's address.", either("address.city")),
		str("postal_code", "Postal Code", "Postal code of the lead's address.", either("address.postal_code")),
		str("country", "Country", "Country of the lead's address.", either("address.country")),
		str("street", "Street", "Street of the lead's address.", either("address.street")),
		str("state", "State", "State or region of the lead's address.", either("address.state")),
	}
}

// Lead creates, updates, upserts or deletes a lead, as the mapping's
// operation says.
var Lead = &destkit.Action{
	Key:                 "lead",
	Title:               "Lead",
	Description:         "Create, update, upsert or delete a Salesforce lead.",
	DefaultSubscription: `type = "identify"`,
	Fields:              concat(commonV1(), leadFields(true), []destkit.Field{customFields}),
	Batch:               &destkit.Batch{MaxSize: 5000, Keys: []string{"operation"}},
	Run:                 lead.run,
	RunBatch:            lead.runBatch,
}

// Lead2 is Lead driven by the subscription's sync mode.
var Lead2 = &destkit.Action{
	Key:                 "lead2",
	Title:               "Lead V2",
	Description:         "Insert, update, upsert or delete a Salesforce lead, as the subscription's sync mode says.",
	DefaultSubscription: `type = "identify"`,
	Fields:              concat(commonV2(), []destkit.Field{customFields}, leadFields(false)),
	Batch:               &destkit.Batch{MaxSize: 5000},
	Run:                 lead2.run,
	RunBatch:            lead2.runBatch,
}
