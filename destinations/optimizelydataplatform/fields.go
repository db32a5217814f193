package optimizelydataplatform

import "github.com/actuate/actuate/destinations/destkit"

const (
	defaultIdentifiers = `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.traits.email"}}},"optimizely_vuid":{"@if":{"exists":{"@path":"$.properties.optimizely_vuid"},"then":{"@path":"$.properties.optimizely_vuid"},"else":{"@path":"$.traits.optimizely_vuid"}}},"fs_user_id":{"@path":"$.userId"},"web_user_id":{"@path":"$.userId"}}`
	emailIdentifiers   = `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}},"optimizely_vuid":{"@if":{"exists":{"@path":"$.properties.optimizely_vuid"},"then":{"@path":"$.properties.optimizely_vuid"},"else":{"@path":"$.context.traits.optimizely_vuid"}}},"fs_user_id":{"@path":"$.userId"},"web_user_id":{"@path":"$.userId"}}`
)

// identifiers is the user_identifiers field; email events require the
// email and read it from the context traits.
func identifiers(emailRequired bool) destkit.Field {
	def := destkit.JSON(defaultIdentifiers)
	if emailRequired {
		def = emailIdentifiers
	}
	return destkit.Field{Key: "user_identifiers", Label: "User identifiers", Type: destkit.Object, Required: true,
		Default: def,
		Properties: []destkit.Field{
			{Key: "anonymousId", Label: "Segment Anonymous ID", Type: destkit.String, Description: "Segment anonymous id of the user."},
			{Key: "userId", Label: "Segment User ID", Type: destkit.String, Description: "Segment user id of the user."},
			{Key: "email", Label: "Email", Type: destkit.String, Required: emailRequired, Description: "Email of the user."},
			{Key: "optimizely_vuid", Label: "Optimizely VUID", Type: destkit.String, Description: "Optimizely visitor id (VUID)."},
			{Key: "fs_user_id", Label: "Feature Experimentation ID", Type: destkit.String, Description: "User id used in Optimizely Feature Experimentation."},
			{Key: "web_user_id", Label: "Web Experimentation ID", Type: destkit.String, Description: "User id used in Optimizely Web Experimentation."},
		},
		Description: "Identifiers ODP matches the user on; at least one is needed."}
}

var (
	eventTypeField = destkit.Field{Key: "event_type", Label: "Optimizely Event Type", Type: destkit.String,
		Default:     `{"@path":"$.event"}`,
		Description: "ODP event type; custom when unset."}
	timestampField = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	enableBatchingField = destkit.Field{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Send events in batches."}
	batchSizeField = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Integer,
		Default:     `100`,
		Description: "Largest number of events per batch."}
)

// batch is the batch size ODP's intake is sent; Segment's default.
var batch = &destkit.Batch{MaxSize: 100}
