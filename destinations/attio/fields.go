package attio

import "github.com/actuate/actuate/destinations/destkit"

// Fields shared by several actions. Keys, types and default mappings match
// Segment's definitions so existing mappings keep working.
var (
	emailAddress = destkit.Field{Key: "email_address", Label: "Email address", Type: destkit.String, Required: true, Format: "email",
		Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}}`,
		Description: "Email of the person; people are matched by it."}
	userID = destkit.Field{Key: "user_id", Label: "ID", Type: destkit.String, Required: true, Format: "text",
		Default:     `{"@path":"$.userId"}`,
		Description: "Your identifier of the user; users are matched by it."}
	userIDAlt = destkit.Field{Key: "user_id", Label: "ID", Type: destkit.String, Format: "text",
		Default:     `{"@path":"$.userId"}`,
		Description: "User to link to the workspace."}
	userAttributes = destkit.Field{Key: "user_attributes", Label: "Additional User attributes", Type: destkit.Object, AdditionalProperties: true,
		Default:     `{}`,
		Description: "More attributes for the user record, keyed by Attio attribute slug.",
		Properties:  []destkit.Field{}}
	personAttributes = destkit.Field{Key: "person_attributes", Label: "Additional Person attributes", Type: destkit.Object,
		Default:     `{}`,
		Description: "More attributes for the person record, keyed by Attio attribute slug."}
	enableBatching = destkit.Field{Key: "enable_batching", Label: "Batch events", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Send records in batches."}
	batchSize = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number,
		Default:     `1000`,
		Description: "Largest number of events per batch."}
	receivedAtField = destkit.Field{Key: "received_at", Label: "Received at", Type: destkit.Datetime,
		Default:     `{"@path":"$.receivedAt"}`,
		Description: "When the event was received; Attio applies updates in this order."}
	domain = destkit.Field{Key: "domain", Label: "Domain", Type: destkit.String, Required: true, Format: "text",
		Default:     `{"@if":{"exists":{"@path":"$.traits.website"},"then":{"@path":"$.traits.website"},"else":{"@path":"$.website"}}}`,
		Description: "Company domain; companies are matched by it."}
	workspaceID = destkit.Field{Key: "workspace_id", Label: "ID", Type: destkit.String, Required: true, Format: "text",
		Default:     `{"@if":{"exists":{"@path":"$.groupId"},"then":{"@path":"$.groupId"},"else":{"@path":"$.context.group_id"}}}`,
		Description: "Your identifier of the workspace; workspaces are matched by it."}
	companyAttributes = destkit.Field{Key: "company_attributes", Label: "Additional Company attributes", Type: destkit.Object,
		Default:     `{}`,
		Description: "More attributes for the company record, keyed by Attio attribute slug."}
	workspaceAttributes = destkit.Field{Key: "workspace_attributes", Label: "Additional Workspace attributes", Type: destkit.Object,
		Default:     `{}`,
		Description: "More attributes for the workspace record, keyed by Attio attribute slug."}
	objectField = destkit.Field{Key: "object", Label: "Attio Object", Type: destkit.String, Required: true, Dynamic: objectChoices,
		Default:     `"person"`,
		Description: "Attio object (slug or ID) of the record, such as people."}
	matchingAttribute = destkit.Field{Key: "matching_attribute", Label: "Matching Attribute", Type: destkit.String, Required: true,
		Default:     `"email_addresses"`,
		Description: "Attribute whose value identifies the record to update."}
	attributes = destkit.Field{Key: "attributes", Label: "Attributes", Type: destkit.Object, AdditionalProperties: true,
		Default:     `{}`,
		Description: "Attributes to set, keyed by Attio attribute slug.",
		Properties:  []destkit.Field{}}
)
