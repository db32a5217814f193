package acoustics3tc

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/filekit"
)

// ReceiveEvents writes one file per event to Acoustic's bucket.
var ReceiveEvents = &destkit.Action{
	Key:         "receiveEvents",
	Title:       "Send Events",
	Description: "Send identify and track events to Acoustic Connect; map at least one of the key-value pairs, arrays, context, properties or traits.",
	Fields: []destkit.Field{
		{Key: "key_value_pairs", Label: "Key-Value pairs", Type: destkit.Object,
			Description: "Simple key-value pairs."},
		{Key: "array_data", Label: "Arrays", Type: destkit.Object, Multiple: true, AdditionalProperties: true,
			Description: "Array data, mapped into attributes."},
		{Key: "context", Label: "Context", Type: destkit.Object,
			Description: "Attributes of a context section."},
		{Key: "properties", Label: "Properties", Type: destkit.Object,
			Description: "Attributes of a properties section."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Description: "Attributes of a traits section."},
		{Key: "uniqueRecipientId", Label: "UniqueRecipientId", Type: destkit.String, Required: true, Format: "text",
			Default:     `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.traits.email"}}}`,
			Description: "What identifies the recipient in Acoustic; an email address is preferred."},
		{Key: "type", Label: "Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "The event's type (track or identify). Do not change."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened. Do not change."},
	},
	Perform: receiveEvent,
}

func receiveEvent(in *destkit.Input) ([]destkit.Request, error) {
	p, s := in.Payload, in.Settings
	recipient := string(p.GetStringBytes("uniqueRecipientId"))
	if recipient == "" {
		return nil, &destkit.IntegrationError{Code: "INVALID_EVENT_HAS_NO_UNIQUERECIPIENTID",
			Message: "uniqueRecipientId is empty: the event names no recipient"}
	}
	if p.Get("context") == nil && p.Get("traits") == nil && p.Get("properties") == nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_NO_DATA_MAPPED",
			Message: "none of context, traits and properties is mapped: map at least one to send Acoustic data"}
	}
	if err := checkSettings(s); err != nil {
		return nil, err
	}
	doc, err := document(p, recipient)
	if err != nil {
		return nil, err
	}
	body := doc.AppendJSON(nil)
	stamp := string(p.GetStringBytes("timestamp"))
	if t, ok := destkit.ParseJSDate(p.Get("timestamp")); ok {
		stamp = destkit.JSISOString(t)
	}
	stamp = strings.NewReplacer(".", "_", "-", "_", ":", "_").Replace(stamp)
	obj := &filekit.S3Object{
		Bucket:          s.Str("s3_bucket_accesspoint_alias"),
		Region:          s.Str("s3_region"),
		Key:             filekit.Name(s.Str("fileNamePrefix")+stamp+".json", body),
		AccessKeyID:     s.Str("s3_access_key"),
		SecretAccessKey: s.Str("s3_secret"),
		ContentType:     "application/json",
		Body:            body,
	}
	r, err := obj.Request(now())
	if err != nil {
		return nil, err
	}
	return []destkit.Request{r}, nil
}

// checkSettings refuses the settings Acoustic cannot work with, each with Segment's code.
func checkSettings(s *destkit.Settings) error {
	fail := func(code, msg string) error { return &destkit.IntegrationError{Code: code, Message: msg} }
	prefix := s.Str("fileNamePrefix")
	switch {
	case s.Str("s3_access_key") == "":
		return fail("MISSING_S3_ACCESS_KEY", "setting s3_access_key is empty")
	case s.Str("s3_secret") == "":
		return fail("MISSING_S3_SECRET", "setting s3_secret is empty")
	case s.Str("s3_region") == "":
		return fail("MISSING_S3_REGION", "setting s3_region is empty")
	case s.Str("s3_bucket_accesspoint_alias") == "":
		return fail("MISSING_S3_BUCKET_ACCESS_POINT", "setting s3_bucket_accesspoint_alias is empty")
	case prefix == "":
		return fail("MISSING_CUSTOMER_PREFIX", "setting fileNamePrefix is empty: give your Acoustic organisation's prefix followed by '_'")
	case !strings.HasSuffix(prefix, "_"):
		return fail("INVALID_CUSTOMER_PREFIX", "setting fileNamePrefix must end with '_'")
	case prefix == "customer_org_":
		return fail("INVALID_CUSTOMER_PREFIX", "setting fileNamePrefix is still the default customer_org_: give your Acoustic organisation's prefix")
	}
	return nil
}
