package klaviyo

import "github.com/actuate/actuate/destinations/destkit"

// Field constructors shared by the actions. Keys, labels, types, bounds and
// default mappings follow Segment's definition, which differs between
// actions in defaults and limits, hence functions rather than values.

func emailField(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "email", Label: "Email", Type: destkit.String, Format: "email", Default: def,
		Description: "Email address of the profile."}
}

func phoneField(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "phone_number", Label: "Phone Number", Type: destkit.String, Default: def,
		Description: "Phone number of the profile, in E.164 form (+33612345678) or national form together with Country Code."}
}

var countryCodeField = destkit.Field{Key: "country_code", Label: "Country Code", Type: destkit.String, Choices: countryCodes,
	Description: "Country of a phone number given in national form, used to convert it to E.164."}

func externalIDField(max float64) destkit.Field {
	return destkit.Field{Key: "external_id", Label: "External ID", Type: destkit.String, Max: max,
		Description: "Your own identifier of the profile (at most 255 characters)."}
}

func enableBatchingField(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "enable_batching", Label: "Batch Data to Klaviyo", Type: destkit.Boolean, Default: def,
		Description: "Send events in batches through Klaviyo's bulk endpoints."}
}

func batchSizeField(min, max float64, def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Min: min, Max: max, Default: def,
		Description: "Largest number of events sent in one batch."}
}

func batchKeysField(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true, Default: def,
		Description: "Fields whose values must be equal for events to share a batch; Klaviyo's bulk jobs take one list each."}
}

func listIDField(label string, required bool, def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "list_id", Label: label, Type: destkit.String, Required: required, Default: def,
		Description: "ID of the Klaviyo list.", Dynamic: listChoices}
}

// consentFields is the field list subscribeProfile and unsubscribeProfile
// start with (the contact whose consent changes, and the optional list),
// followed by the action's own fields. Each call builds a new slice.
func consentFields(own []destkit.Field) []destkit.Field {
	return append([]destkit.Field{
		emailField(`{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.context.traits.email"}}}`),
		phoneField(`{"@if":{"exists":{"@path":"$.traits.phone"},"then":{"@path":"$.traits.phone"},"else":{"@path":"$.context.traits.phone"}}}`),
		countryCodeField,
		listIDField("List Id", false, ""),
	}, own...)
}

// audienceList reads the list of an Engage audience: the list chosen in the
// audience settings, else the one created for the audience.
const audienceList destkit.JSON = `{"@if":{"exists":{"@path":"$.context.personas.audience_settings.listId"},"then":{"@path":"$.context.personas.audience_settings.listId"},"else":{"@path":"$.context.personas.external_audience_id"}}}`

// profileAttributeFields are the optional profile attributes, read from
// root (traits or properties).
func profileAttributeFields(root string) []destkit.Field {
	p := func(path string) destkit.JSON { return destkit.JSON(`{"@path":"$.` + root + `.` + path + `"}`) }
	loc := func(key, label, desc string) destkit.Field {
		return destkit.Field{Key: key, Label: label, Type: destkit.String, AllowNull: true, Description: desc}
	}
	return []destkit.Field{
		{Key: "first_name", Label: "First Name", Type: destkit.String, Default: p("firstName"),
			Description: "First name."},
		{Key: "last_name", Label: "Last Name", Type: destkit.String, Default: p("lastName"),
			Description: "Last name."},
		{Key: "organization", Label: "Organization", Type: destkit.String, Default: p("company.name"),
			Description: "Company or organization the person belongs to."},
		{Key: "title", Label: "Title", Type: destkit.String, Default: p("title"),
			Description: "Job title."},
		{Key: "image", Label: "Image", Type: destkit.String, Default: p("avatar"),
			Description: "URL of a picture of the person."},
		{Key: "location", Label: "Location", Type: destkit.Object,
			Default: destkit.JSON(`{"city":` + string(p("address.city")) + `,"region":` + string(p("address.state")) +
				`,"zip":` + string(p("address.postal_code")) + `,"address1":` + string(p("address.street")) +
				`,"country":` + string(p("address.country")) + `}`),
			Description: "Postal address and coordinates of the person.",
			Properties: []destkit.Field{
				loc("address1", "Address 1", "First line of the street address."),
				loc("address2", "Address 2", "Second line of the street address."),
				loc("city", "City", "City."),
				loc("region", "Region", "State, province or region."),
				loc("zip", "ZIP", "Postal code."),
				loc("latitude", "Latitude", "Latitude."),
				loc("longitude", "Longitide", "Longitude."),
				loc("country", "Country", "Country."),
			}},
	}
}

// pick returns the fields named keys from fs, in the order of keys.
func pick(fs []destkit.Field, keys ...string) []destkit.Field {
	out := make([]destkit.Field, 0, len(keys))
	for _, k := range keys {
		for _, f := range fs {
			if f.Key == k {
				out = append(out, f)
			}
		}
	}
	return out
}

func propertiesField(def destkit.JSON, required bool) destkit.Field {
	return destkit.Field{Key: "properties", Label: "Properties", Type: destkit.Object, Required: required, Default: def,
		Description: "Custom properties, sent as they are."}
}

// eventProfileField identifies the profile of a tracked event; keys beyond
// the declared ones are sent as profile attributes.
func eventProfileField(emailFormat string) destkit.Field {
	return destkit.Field{Key: "profile", Label: "Profile", Type: destkit.Object, Required: true, AdditionalProperties: true,
		Description: "Profile the event belongs to: at least one of email, phone number, external ID or anonymous ID, plus any profile attributes.",
		Properties: []destkit.Field{
			{Key: "email", Label: "Email", Type: destkit.String, Format: emailFormat,
				Description: "Email address of the profile."},
			{Key: "phone_number", Label: "Phone Number", Type: destkit.String,
				Description: "Phone number of the profile, E.164 or national with Country Code."},
			countryCodeField,
			{Key: "external_id", Label: "External Id", Type: destkit.String, Default: `{"@path":"$.userId"}`,
				Description: "Your own identifier of the profile."},
			{Key: "anonymous_id", Label: "Anonymous Id", Type: destkit.String, Default: `{"@path":"$.anonymousId"}`,
				Description: "Anonymous identifier of the visitor."},
		}}
}

var (
	timeField = destkit.Field{Key: "time", Label: "Time", Type: destkit.Datetime, Default: `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	valueField = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number,
		Description: "Monetary value of the event."}
	uniqueIDField = destkit.Field{Key: "unique_id", Label: "Unique ID", Type: destkit.String, Default: `{"@path":"$.messageId"}`,
		Description: "Identifier of the event; Klaviyo ignores a second event with the same one, which makes retries safe."}
)
