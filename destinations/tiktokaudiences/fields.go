package tiktokaudiences

import "github.com/actuate/actuate/destinations/destkit"

// The fields of the six actions, each declared once.
var (
	eventNameField = destkit.Field{Key: "event_name", Label: "Event Name", Type: destkit.String, Default: `{"@path":"$.event"}`,
		Description: "Name of the event; Audience Entered adds the user, Audience Exited removes them."}
	sendEmailField = destkit.Field{Key: "send_email", Label: "Send Email?", Type: destkit.Boolean, Default: `true`,
		Description: "Send the user's hashed email."}
	sendPhoneField = destkit.Field{Key: "send_phone", Label: "Send Phone Number?", Type: destkit.Boolean, Default: `true`,
		Description: "Send the user's hashed phone number."}
	sendAdvertisingIDField = destkit.Field{Key: "send_advertising_id", Label: "Send Mobile Advertising ID?", Type: destkit.Boolean, Default: `true`,
		Description: "Send the user's hashed mobile advertising ID."}
	emailField = destkit.Field{Key: "email", Label: "User Email", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
		Description: "Email of the user; normalised and hashed with SHA-256."}
	phoneField = destkit.Field{Key: "phone", Label: "User Phone Number", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}`,
		Description: "Phone number of the user; hashed with SHA-256."}
	advertisingIDField = destkit.Field{Key: "advertising_id", Label: "User Advertising ID", Type: destkit.String, Default: `{"@path":"$.context.device.advertisingId"}`,
		Description: "Mobile advertising ID of the user's device (IDFA or GAID); hashed with SHA-256."}
	enableBatchingField = destkit.Field{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
		Description: "Send events in batches."}
	externalAudienceIDField = destkit.Field{Key: "external_audience_id", Label: "External Audience ID", Type: destkit.String, Default: `{"@path":"$.context.personas.external_audience_id"}`,
		Description: "TikTok's ID of the audience, as kept for the Engage audience."}
	batchKeysField = destkit.Field{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true, Default: `["send_email","send_phone","send_advertising_id"]`,
		Description: "Fields whose values must be equal for events to share a batch."}
	selectedAdvertiserIDField = destkit.Field{Key: "selected_advertiser_id", Label: "Advertiser ID", Type: destkit.String, Required: true, Dynamic: advertiserChoices,
		Description: "TikTok advertiser the audience belongs to."}
	audienceIDField = destkit.Field{Key: "audience_id", Label: "Audience ID", Type: destkit.String, Required: true, Dynamic: audienceChoices,
		Description: "ID of the TikTok audience to update."}
)

// nativeFields are the fields of Add to Audience and Remove from Audience.
var nativeFields = []destkit.Field{
	emailField,
	phoneField,
	advertisingIDField,
	sendEmailField,
	sendPhoneField,
	sendAdvertisingIDField,
	eventNameField,
	enableBatchingField,
	externalAudienceIDField,
}

// legacyFields are the fields of Add Users and Remove Users (Legacy): the
// advertiser and audience, then nativeFields but the external audience id.
var legacyFields = append([]destkit.Field{selectedAdvertiserIDField, audienceIDField}, nativeFields[:len(nativeFields)-1]...)
