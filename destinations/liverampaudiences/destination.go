// Package liverampaudiences delivers audience files to LiveRamp: each batch of "Audience
// Entered" events becomes one CSV file, uploaded to the customer's S3 bucket (LiveRamp reads
// it from there) or to LiveRamp's SFTP server, files.liveramp.com.
//
// The file follows LiveRamp's format as Segment writes it: a header row of audience_key and
// every identifier column the batch has (sorted by name), then one row per event, every
// value in double quotes (a quote inside doubled), columns separated by the mapped
// delimiter, lines by "\n", with no newline after the last row. Hashable identifiers are
// hashed before they are written, by LiveRamp's rules: phone_number with SHA-1 after its
// digits are taken out of "+1 (555) 123-4567" forms, email with SHA-256 after lower-casing
// and removing white space, anything else with SHA-256 as it is; a value that already is a
// digest of that kind is kept. When an identifier is both hashable and plain, the hashed
// one is written. LiveRamp ingests no file of fewer than 25 rows, so a smaller batch fails
// (as in Segment): give the instance a delivery batch_wait long enough for an audience's
// events to gather (minutes, not the default half second).
//
// Where it differs from Segment. Segment's current flow hands the file to its own AWS
// service, which delivers it later; Actuate delivers it itself, as Segment's earlier
// ("legacy") flow did, through filekit:
//   - The file's name is the mapped filename with the file's digest before the extension
//     (filekit.Name): a batch retried after a failure, or after a lost answer, replaces its
//     own file, and two batches of one audience never overwrite each other (Segment's
//     earlier flow wrote every batch under the same name, keeping only the last).
//   - S3: one signed PUT to the bucket's regional endpoint, under the optional bucket path.
//   - SFTP: the file is written under a hidden temporary name and renamed once complete.
//     LiveRamp publishes no host key to pin, so the server's key is not checked (neither
//     does Segment's client); the password goes only to the address Actuate dials,
//     files.liveramp.com.
package liverampaudiences

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the LiveRamp Audiences destination.
var Definition = &destkit.Definition{
	Slug:        "liveramp-audiences",
	SegmentSlug: "actions-liveramp-audiences",
	Name:        "Liveramp Audiences",
	Description: "Upload audience membership files for LiveRamp to ingest, to S3 or to LiveRamp's SFTP server.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "__segment_internal_engage_force_full_sync", Label: "Force Full Sync", Type: destkit.Boolean, Required: true,
			Default: `true`, Description: "Segment Engage sends the whole audience on every sync."},
		{Key: "__segment_internal_engage_batch_sync", Label: "Supports batch sync via ADS", Type: destkit.Boolean, Required: true,
			Default: `true`, Description: "Segment Engage sends audiences in batches."},
	},
	Actions: []*destkit.Action{AudienceEnteredS3, AudienceEnteredSFTP},
}

// The fields both actions share, in the reference's order around each action's own.
var (
	audienceKeyField = destkit.Field{Key: "audience_key", Label: "LiveRamp Audience Key", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.userId"}`,
		Description: "What identifies a member of the audience: a customer id, email address or phone number (LiveRamp's audience key)."}
	identifierDataField = destkit.Field{Key: "identifier_data", Label: "Identifier Data", Type: destkit.Object,
		Description: "More data about the user, written to the file as it is."}
	unhashedIdentifierDataField = destkit.Field{Key: "unhashed_identifier_data", Label: "Hashable Identifier Data", Type: destkit.Object,
		Description: "More data about the user, hashed before it is written; phone_number and email get LiveRamp's hashing rules."}
	delimiterField = destkit.Field{Key: "delimiter", Label: "Delimeter", Type: destkit.String, Required: true,
		Default: `","`, Description: "What separates the columns of the file."}
	enableBatchingField = destkit.Field{Key: "enable_batching", Label: "Batch data", Type: destkit.Boolean, Required: true,
		Default: `true`, Description: "Send events in batches; LiveRamp needs them."}
	batchSizeField = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number,
		Default: `50000`, Description: "Largest number of rows in one file."}
)

// maxRows is the most events one file holds (batch_size's default).
const maxRows = 50000

// minRows is the fewest rows LiveRamp ingests in a file.
const minRows = 25
