package salesforce

import "github.com/actuate/actuate/destinations/destkit"

var opportunity = &sobject{name: "Opportunity", required: []string{"close_date", "name", "stage_name"},
	requiredMsg: "Missing close_date, name or stage_name value",
	shape: [][2]string{{"amount", "Amount"}, {"close_date", "CloseDate"}, {"description", "Description"}, {"name", "Name"},
		{"stage_name", "StageName"}}}

var opportunity2 = &sobject{name: opportunity.name, required: opportunity.required, requiredMsg: opportunity.requiredMsg,
	shape: opportunity.shape, v2: true}

func opportunityFields() []destkit.Field {
	return []destkit.Field{
		str("close_date", "Close Date", "Expected close date (YYYY-MM-DD); needed to create an opportunity.", ""),
		str("name", "Name", "Name of the opportunity; needed to create one.", ""),
		str("stage_name", "Stage Name", "Current stage of the opportunity; needed to create one.", ""),
		str("amount", "Amount", "Estimated total sale amount.", ""),
		str("description", "Description", "Text describing the opportunity.", ""),
	}
}

// Opportunity creates, updates, upserts or deletes an opportunity.
var Opportunity = &destkit.Action{
	Key:         "opportunity",
	Title:       "Opportunity",
	Description: "Create, update, upsert or delete a Salesforce opportunity.",
	Fields:      concat(commonV1(), opportunityFields(), []destkit.Field{customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000, Keys: []string{"operation"}},
	Run:         opportunity.run,
	RunBatch:    opportunity.runBatch,
}

// Opportunity2 is Opportunity driven by the subscription's sync mode.
var Opportunity2 = &destkit.Action{
	Key:         "opportunity2",
	Title:       "Opportunity V2",
	Description: "Insert, update, upsert or delete a Salesforce opportunity, as the subscription's sync mode says.",
	Fields:      concat(commonV2(), opportunityFields(), []destkit.Field{customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000},
	Run:         opportunity2.run,
	RunBatch:    opportunity2.runBatch,
}
