package salesforcemarketingcloud

import "github.com/actuate/actuate/destinations/destkit"

// ContactDataExtension upserts a contact's row into a data extension named
// by key or id in the mapping.
var ContactDataExtension = &destkit.Action{
	Key:                 "contactDataExtension",
	Title:               "Send Contact to Data Extension",
	Description:         "Upsert a contact's row, keyed by its contact key, into a data extension named by external key or id.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		deKeyField, deIDField, contactKeysField, contactValuesField, enableBatchingField, batchSizeField,
	},
	Batch:        &destkit.Batch{MaxSize: rowsetBatch.MaxSize, Keys: []string{"key", "id"}},
	Run:          upsertKeyed,
	PerformBatch: upsertKeyedBatch,
	BatchStatus:  rowsetStatus,
}
