package blackbaudraisersedgenxt

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// constituentFields are the fields of Create or Update Individual
// Constituent. Create Gift and Create Constituent Action carry them too,
// as constituent_<key> labelled "Constituent <label>" (constituent_id as it
// is), as in Segment's definition.
var constituentFields = []destkit.Field{
	{Key: "address", Label: "Address", Type: destkit.Object,
		Default: `{"address_lines":{"@if":{"exists":{"@path":"$.traits.address.street"},"then":{"@path":"$.traits.address.street"},"else":{"@path":"$.properties.address.street"}}},"city":{"@if":{"exists":{"@path":"$.traits.address.city"},"then":{"@path":"$.traits.address.city"},"else":{"@path":"$.properties.address.city"}}},"country":{"@if":{"exists":{"@path":"$.traits.address.country"},"then":{"@path":"$.traits.address.country"},"else":{"@path":"$.properties.address.country"}}},"do_not_mail":"","postal_code":{"@if":{"exists":{"@path":"$.traits.address.postalCode"},"then":{"@path":"$.traits.address.postalCode"},"else":{"@path":"$.properties.address.postalCode"}}},"primary":"","state":{"@if":{"exists":{"@path":"$.traits.address.state"},"then":{"@path":"$.traits.address.state"},"else":{"@path":"$.properties.address.state"}}},"type":""}`,
		Properties: []destkit.Field{
			{Key: "address_lines", Label: "Address Lines", Type: destkit.String,
				Description: "Street lines of the address."},
			{Key: "city", Label: "City", Type: destkit.String,
				Description: "City of the address."},
			{Key: "country", Label: "Country", Type: destkit.String,
				Description: "Country of the address."},
			{Key: "do_not_mail", Label: "Do Not Mail", Type: destkit.Boolean,
				Description: "Whether the constituent asked not to be mailed at this address."},
			{Key: "postal_code", Label: "ZIP/Postal Code", Type: destkit.String,
				Description: "ZIP or postal code of the address."},
			{Key: "primary", Label: "Is Primary", Type: destkit.Boolean,
				Description: "Whether this is the constituent's primary address."},
			{Key: "state", Label: "State/Province", Type: destkit.String,
				Description: "State or province of the address."},
			{Key: "type", Label: "Address Type", Type: destkit.String,
				Description: "Type of the address, one of the address types configured in Raiser's Edge NXT (Home, Business…)."},
		},
		Description: "The constituent's address; sent when it has a type and at least one of lines, city, country, postal code or state."},
	{Key: "birthdate", Label: "Birthdate", Type: destkit.Datetime,
		Default:     `{"@if":{"exists":{"@path":"$.traits.birthday"},"then":{"@path":"$.traits.birthday"},"else":{"@path":"$.properties.birthday"}}}`,
		Description: "Birth date of the constituent; sent as a fuzzy date (day, month, year)."},
	{Key: "birthplace", Label: "Birthplace", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.birthplace"},"then":{"@path":"$.traits.birthplace"},"else":{"@path":"$.properties.birthplace"}}}`,
		Description: "Birthplace of the constituent."},
	{Key: "constituent_id", Label: "Constituent ID", Type: destkit.String,
		Description: "Raiser's Edge NXT id of the constituent; without it the constituent is found by lookup id or email address, or created."},
	{Key: "email", Label: "Email", Type: destkit.Object,
		Default: `{"address":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}},"do_not_email":"","primary":"","type":""}`,
		Properties: []destkit.Field{
			{Key: "address", Label: "Email Address", Type: destkit.String,
				Description: "The email address."},
			{Key: "do_not_email", Label: "Do Not Email", Type: destkit.Boolean,
				Description: "Whether the constituent asked not to be emailed at this address."},
			{Key: "primary", Label: "Is Primary", Type: destkit.Boolean,
				Description: "Whether this is the constituent's primary email address."},
			{Key: "type", Label: "Email Type", Type: destkit.String,
				Description: "Type of the email address, one of the email types configured in Raiser's Edge NXT (Email, Work…)."},
		},
		Description: "The constituent's email address; sent when it has an address and a type."},
	{Key: "ethnicity", Label: "Ethnicity", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.ethnicity"},"then":{"@path":"$.traits.ethnicity"},"else":{"@path":"$.properties.ethnicity"}}}`,
		Description: "Ethnicity of the constituent."},
	{Key: "first", Label: "First Name", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.firstName"},"then":{"@path":"$.traits.firstName"},"else":{"@path":"$.properties.firstName"}}}`,
		Description: "First name of the constituent."},
	{Key: "former_name", Label: "Former Name", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.formerName"},"then":{"@path":"$.traits.formerName"},"else":{"@path":"$.properties.formerName"}}}`,
		Description: "Former name of the constituent."},
	{Key: "gender", Label: "Gender", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.gender"},"then":{"@path":"$.traits.gender"},"else":{"@path":"$.properties.gender"}}}`,
		Description: "Gender of the constituent."},
	{Key: "gives_anonymously", Label: "Gives Anonymously", Type: destkit.Boolean,
		Default:     `{"@if":{"exists":{"@path":"$.traits.givesAnonymously"},"then":{"@path":"$.traits.givesAnonymously"},"else":{"@path":"$.properties.givesAnonymously"}}}`,
		Description: "Whether the constituent gives anonymously."},
	{Key: "income", Label: "Income", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.income"},"then":{"@path":"$.traits.income"},"else":{"@path":"$.properties.income"}}}`,
		Description: "Income of the constituent."},
	{Key: "industry", Label: "Industry", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.industry"},"then":{"@path":"$.traits.industry"},"else":{"@path":"$.properties.industry"}}}`,
		Description: "Industry the constituent works in."},
	{Key: "last", Label: "Last Name", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.lastName"},"then":{"@path":"$.traits.lastName"},"else":{"@path":"$.properties.lastName"}}}`,
		Description: "Last name of the constituent; required to create one."},
	{Key: "lookup_id", Label: "Lookup ID", Type: destkit.String,
		Description: "Your lookup id of the constituent, used to find it."},
	{Key: "marital_status", Label: "Marital Status", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.maritalStatus"},"then":{"@path":"$.traits.maritalStatus"},"else":{"@path":"$.properties.maritalStatus"}}}`,
		Description: "Marital status of the constituent."},
	{Key: "online_presence", Label: "Online Presence", Type: destkit.Object,
		Default: `{"address":{"@if":{"exists":{"@path":"$.traits.website"},"then":{"@path":"$.traits.website"},"else":{"@path":"$.properties.website"}}},"primary":"","type":""}`,
		Properties: []destkit.Field{
			{Key: "address", Label: "Web Address", Type: destkit.String,
				Description: "The web address."},
			{Key: "primary", Label: "Is Primary", Type: destkit.Boolean,
				Description: "Whether this is the constituent's primary online presence."},
			{Key: "type", Label: "Online Presence Type", Type: destkit.String,
				Description: "Type of the online presence, one of those configured in Raiser's Edge NXT (Website, Facebook…)."},
		},
		Description: "The constituent's web address; sent when it has an address and a type."},
	{Key: "phone", Label: "Phone", Type: destkit.Object,
		Default: `{"do_not_call":"","number":{"@if":{"exists":{"@path":"$.traits.phone"},"then":{"@path":"$.traits.phone"},"else":{"@path":"$.properties.phone"}}},"primary":"","type":""}`,
		Properties: []destkit.Field{
			{Key: "do_not_call", Label: "Do Not Call", Type: destkit.Boolean,
				Description: "Whether the constituent asked not to be called at this number."},
			{Key: "number", Label: "Phone Number", Type: destkit.String,
				Description: "The phone number."},
			{Key: "primary", Label: "Is Primary", Type: destkit.Boolean,
				Description: "Whether this is the constituent's primary phone number."},
			{Key: "type", Label: "Phone Type", Type: destkit.String,
				Description: "Type of the phone number, one of the phone types configured in Raiser's Edge NXT (Home, Mobile…)."},
		},
		Description: "The constituent's phone number; sent when it has a number and a type."},
	{Key: "preferred_name", Label: "Preferred Name", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.preferredName"},"then":{"@path":"$.traits.preferredName"},"else":{"@path":"$.properties.preferredName"}}}`,
		Description: "Preferred name of the constituent."},
	{Key: "religion", Label: "Religion", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.religion"},"then":{"@path":"$.traits.religion"},"else":{"@path":"$.properties.religion"}}}`,
		Description: "Religion of the constituent."},
	{Key: "suffix", Label: "Suffix", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.suffix"},"then":{"@path":"$.traits.suffix"},"else":{"@path":"$.properties.suffix"}}}`,
		Description: "Suffix of the constituent's name."},
	{Key: "suffix_2", Label: "Secondary Suffix", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.suffix2"},"then":{"@path":"$.traits.suffix2"},"else":{"@path":"$.properties.suffix2"}}}`,
		Description: "Second suffix of the constituent's name."},
	{Key: "title", Label: "Title", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.title"},"then":{"@path":"$.traits.title"},"else":{"@path":"$.properties.title"}}}`,
		Description: "Title of the constituent (Mr., Dr.…)."},
	{Key: "title_2", Label: "Secondary Title", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.traits.title2"},"then":{"@path":"$.traits.title2"},"else":{"@path":"$.properties.title2"}}}`,
		Description: "Second title of the constituent."},
}

// withConstituentFields appends the constituent fields, renamed, to an
// action's own.
func withConstituentFields(own ...destkit.Field) []destkit.Field {
	for _, f := range constituentFields {
		if f.Key != "constituent_id" {
			f.Key = constituentPrefix + f.Key
			f.Label = "Constituent " + f.Label
			f.Description = "Constituent: " + strings.ToLower(f.Description[:1]) + f.Description[1:]
		}
		own = append(own, f)
	}
	return own
}

// constituentPrefix marks the constituent fields of gifts and actions.
const constituentPrefix = "constituent_"
