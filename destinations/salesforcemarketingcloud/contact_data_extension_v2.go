package salesforcemarketingcloud

import "github.com/actuate/actuate/destinations/destkit"

// ContactDataExtensionV2 upserts a contact's row into the data extension
// the mapping's hook chose.
var ContactDataExtensionV2 = &destkit.Action{
	Key:                 "contactDataExtensionV2",
	Title:               "Send Contact to Data Extension (V2)",
	Description:         "Upsert a contact's row, keyed by its contact key, into the data extension selected or created when the mapping was saved.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		contactKeysV2Field, contactValuesV2Field, enableBatchingField, batchSizeField,
	},
	Hooks:        v2Hooks,
	Batch:        rowsetBatch,
	Run:          upsertHooked,
	PerformBatch: upsertHookedBatch,
	BatchStatus:  rowsetStatus,
}
