package salesforce

import "github.com/actuate/actuate/destinations/destkit"

// Cases have one mapped field of their own, the description: everything
// else goes in Other Fields. ("case" is a Go keyword too, hence the plural, as in Segment.)
var cases = &sobject{name: "Case", shape: [][2]string{{"description", "Description"}}}

var cases2 = &sobject{name: cases.name, shape: cases.shape, v2: true}

// Cases creates, updates, upserts or deletes a case.
var Cases = &destkit.Action{
	Key:         "cases",
	Title:       "Case",
	Description: "Create, update, upsert or delete a Salesforce case.",
	Fields:      concat(commonV1(), []destkit.Field{str("description", "Description", "Text describing the case.", ""), customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000, Keys: []string{"operation"}},
	Run:         cases.run,
	RunBatch:    cases.runBatch,
}

// Cases2 is Cases driven by the subscription's sync mode.
var Cases2 = &destkit.Action{
	Key:         "cases2",
	Title:       "Case V2",
	Description: "Insert, update, upsert or delete a Salesforce case, as the subscription's sync mode says.",
	Fields:      concat(commonV2(), []destkit.Field{str("description", "Description", "Text describing the case.", ""), customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000},
	Run:         cases2.run,
	RunBatch:    cases2.runBatch,
}
