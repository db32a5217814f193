package tiktokaudiences

import "github.com/actuate/actuate/destinations/destkit"

// RemoveUser removes users from the audience chosen in the mapping.
var RemoveUser = &destkit.Action{
	Key:                 "removeUser",
	Title:               "Remove Users (Legacy)",
	Description:         "Remove contacts from an Engage Audience to a TikTok Audience Segment.",
	DefaultSubscription: `event = "Audience Exited"`,
	Fields: []destkit.Field{
		{Key: "selected_advertiser_id", Label: "Advertiser ID", Type: destkit.String, Required: true,
			Description: "TikTok advertiser the audience belongs to."},
		{Key: "audience_id", Label: "Audience ID", Type: destkit.String, Required: true,
			Description: "ID of the TikTok audience to update."},
		{Key: "email", Label: "User Email", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "Email of the user; normalised and hashed with SHA-256."},
		{Key: "phone", Label: "User Phone Number", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}`,
			Description: "Phone number of the user; hashed with SHA-256."},
		{Key: "advertising_id", Label: "User Advertising ID", Type: destkit.String, Default: `{"@path":"$.context.device.advertisingId"}`,
			Description: "Mobile advertising ID of the user's device (IDFA or GAID); hashed with SHA-256."},
		{Key: "send_email", Label: "Send Email?", Type: destkit.Boolean, Default: `true`,
			Description: "Send the user's hashed email."},
		{Key: "send_phone", Label: "Send Phone Number?", Type: destkit.Boolean, Default: `true`,
			Description: "Send the user's hashed phone number."},
		{Key: "send_advertising_id", Label: "Send Mobile Advertising ID?", Type: destkit.Boolean, Default: `true`,
			Description: "Send the user's hashed mobile advertising ID."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Default: `{"@path":"$.event"}`,
			Description: "Name of the event; Audience Entered adds the user, Audience Exited removes them."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send events in batches."},
	},
	Batch:    &destkit.Batch{MaxSize: 10000},
	Run:      runOne(legacySync("delete")),
	RunBatch: legacySync("delete"),
}
