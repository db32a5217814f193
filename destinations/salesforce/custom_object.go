package salesforce

import "github.com/actuate/actuate/destinations/destkit"

// Custom objects are named in the payload and written from Other Fields
// only.
var (
	customObject  = &sobject{}
	customObject2 = &sobject{v2: true}
)

// CustomObject creates, updates, upserts or deletes a record of any
// object.
var CustomObject = &destkit.Action{
	Key:         "customObject",
	Title:       "Custom Object",
	Description: "Create, update, upsert or delete a record of any Salesforce object, standard or custom.",
	Fields:      concat(commonV1(), []destkit.Field{customObjectName, customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000, Keys: []string{"operation", "customObjectName"}},
	Run:         customObject.run,
	RunBatch:    customObject.runBatch,
}

// CustomObject2 is CustomObject driven by the subscription's sync mode.
var CustomObject2 = &destkit.Action{
	Key:         "customObject2",
	Title:       "Custom Object V2",
	Description: "Insert, update, upsert or delete a record of any Salesforce object, as the subscription's sync mode says.",
	Fields:      concat(commonV2(), []destkit.Field{customObjectName, customFields}),
	Batch:       &destkit.Batch{MaxSize: 5000, Keys: []string{"customObjectName"}},
	Run:         customObject2.run,
	RunBatch:    customObject2.runBatch,
}
