package salesforce

import "github.com/actuate/actuate/destinations/destkit"

// Fields shared by the actions; keys, types and defaults follow Segment's
// definition so existing mappings render the same payload.

var operationField = destkit.Field{Key: "operation", Label: "Operation", Type: destkit.String, Required: true,
	Choices: []destkit.Choice{
		{Value: "create", Label: "Create new record"},
		{Value: "update", Label: "Update existing record"},
		{Value: "upsert", Label: "Update or create a record if one doesn't exist"},
		{Value: "delete", Label: "Delete existing record"},
	},
	Description: "What to do with the record: create, update, upsert (update or create) or delete."}

var recordMatcherOperator = destkit.Field{Key: "recordMatcherOperator", Label: "Record Matchers Operator", Type: destkit.String,
	Choices:     []destkit.Choice{{Value: "OR", Label: "OR"}, {Value: "AND", Label: "AND"}},
	Default:     `"OR"`,
	Description: "Whether a record must match any (OR) or all (AND) of the record matchers."}

var enableBatching = destkit.Field{Key: "enable_batching", Label: "Use Salesforce Bulk API", Type: destkit.Boolean, Default: `false`,
	Description: "Send events in Bulk API 2.0 ingest jobs instead of one REST call each. Deletions cannot be batched."}

var batchSize = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `5000`,
	Description: "Largest number of events in one bulk job."}

var traits = destkit.Field{Key: "traits", Label: "Record Matchers", Type: destkit.Object,
	Description: "Salesforce fields (API names) and values that find the record to update, upsert or delete; an Id matcher addresses the record directly. Matchers should select a single record."}

var bulkUpsertExternalID = destkit.Field{Key: "bulkUpsertExternalId", Label: "Bulk Upsert External Id", Type: destkit.Object,
	Description: "External ID field and value that bulk upserts match records on.",
	Properties: []destkit.Field{
		{Key: "externalIdName", Label: "External Id Name", Type: destkit.String,
			Description: "API name of the external ID field."},
		{Key: "externalIdValue", Label: "External Id Value", Type: destkit.String,
			Description: "Value of the external ID for this record."},
	}}

var bulkUpdateRecordID = destkit.Field{Key: "bulkUpdateRecordId", Label: "Bulk Update Record Id", Type: destkit.String,
	Description: "Salesforce record ID that bulk updates address."}

var customFields = destkit.Field{Key: "customFields", Label: "Other Fields", Type: destkit.Object,
	Description: "More record fields, keyed by their Salesforce API names (custom fields end in __c)."}

var customObjectName = destkit.Field{Key: "customObjectName", Label: "Salesforce Object", Type: destkit.String, Required: true, Dynamic: objectChoices,
	Description: "API name of the Salesforce object (for example Order__c)."}

// either reads path from traits, else from properties.
func either(path string) destkit.JSON {
	return destkit.JSON(`{"@if":{"exists":{"@path":"$.traits.` + path + `"},"then":{"@path":"$.traits.` + path +
		`"},"else":{"@path":"$.properties.` + path + `"}}}`)
}

func str(key, label, desc string, def destkit.JSON) destkit.Field {
	return destkit.Field{Key: key, Label: label, Type: destkit.String, Default: def, Description: desc}
}

// commonV1 are the leading fields of the operation-based actions.
func commonV1() []destkit.Field {
	return []destkit.Field{operationField, recordMatcherOperator, enableBatching, batchSize, traits, bulkUpsertExternalID, bulkUpdateRecordID}
}

// commonV2 are the leading fields of the sync-mode actions.
func commonV2() []destkit.Field {
	return []destkit.Field{recordMatcherOperator, enableBatching, batchSize, traits, bulkUpsertExternalID, bulkUpdateRecordID}
}

func concat(parts ...[]destkit.Field) []destkit.Field {
	var out []destkit.Field
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
