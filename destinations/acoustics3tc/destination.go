// Package acoustics3tc delivers events to Acoustic Connect through its S3 transfer
// channel (S3TC): each event becomes one small JSON file in the S3 bucket Acoustic gives
// its customer (through an access point alias), which Acoustic then ingests.
//
// The file is Segment's flat key-value document: the recipient, "<type> Event" as the
// event source, the timestamp, then every mapped section (key-value pairs, arrays,
// traits, properties, context) flattened to dotted keys ("address.city"; a null becomes
// "x.null": ""), later sections overwriting earlier keys in place. An Engage audience
// (computation_class "audience" with its computation_key, or an audience_key member)
// becomes one member named after the audience whose value is "Audience Entered" or
// "Audience Exited". More than ten nested objects in one section fail the event, as in
// Segment.
//
// Where it differs from Segment, on purpose:
//   - The object's name is the customer prefix, the event's timestamp (in toISOString
//     form with '.', '-' and ':' made '_') and the file's digest (filekit.Name), where
//     Segment uses the time of sending and no digest: a retried event writes the same
//     object again instead of a second file with the same event.
//   - It goes to the bucket's regional endpoint (alias.s3.<region>.amazonaws.com), where
//     Segment uses the global one, which answers buckets outside us-east-1 with a redirect.
//   - It is stored as application/json, the file's type, where Segment's signing library
//     labels it a form.
//   - An event that is not an audience event gets no member for an audience, where
//     Segment's adds "undefined": "Audience Exited" to every such file.
//
// The upload itself is filekit's: one PUT signed with AWS Signature Version 4, complete or
// absent.
package acoustics3tc

import (
	"time"

	"github.com/actuate/actuate/destinations/destkit"
)

// now is the signing clock; tests replace it.
var now = time.Now

// Definition is the Acoustic (S3TC) destination.
var Definition = &destkit.Definition{
	Slug:        "acoustic-s3tc",
	SegmentSlug: "actions-acoustic",
	Name:        "Acoustic (Actions)",
	Description: "Send track and identify events to Acoustic Connect as files in its S3 transfer bucket.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "fileNamePrefix", Label: "Customer Prefix", Type: destkit.String, Required: true,
			Default:     `"customer_org_"`,
			Description: "Your Acoustic organisation's name with spaces made underscores, ending with an underscore (AcmeCustomer_Prod_)."},
		{Key: "s3_bucket_accesspoint_alias", Label: "S3 Bucket Access Point Alias", Type: destkit.String, Required: true,
			Default:     `""`,
			Description: "Alias of the access point Acoustic created for you on its S3 bucket."},
		{Key: "s3_access_key", Label: "S3 Access Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Access key ID for the bucket."},
		{Key: "s3_secret", Label: "S3 Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Secret access key for the bucket."},
		{Key: "s3_region", Label: "S3 Region", Type: destkit.String, Required: true,
			Default:     `"us-east-1"`,
			Description: "The bucket's region: us-east-1 unless Acoustic says otherwise."},
		{Key: "version", Label: "Version:", Type: destkit.String,
			Default:     `"Version 2.3"`,
			Description: "Version of Segment's integration this follows; informational."},
	},
	Actions: []*destkit.Action{ReceiveEvents},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "receiveEvents", Trigger: `type = "track"`,
			Mapping: `{"uniqueRecipientId":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}},"type":{"@path":"$.type"},"timestamp":{"@path":"$.timestamp"}}`},
		{Name: "Identify Calls", Action: "receiveEvents", Trigger: `type = "identify"`,
			Mapping: `{"uniqueRecipientId":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.context.traits.email"}}},"type":{"@path":"$.type"},"timestamp":{"@path":"$.timestamp"}}`},
	},
}
