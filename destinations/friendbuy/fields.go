package friendbuy

import "github.com/actuate/actuate/destinations/destkit"

// contextFields are the page and client fields every action ends with.
var contextFields = []destkit.Field{
	{Key: "pageUrl", Label: "Page URL", Type: destkit.String, Format: "uri",
		Default:     `{"@path":"$.context.page.url"}`,
		Description: "URL of the page the event happened on (not sent to Friendbuy's server API)."},
	{Key: "pageTitle", Label: "Page Title", Type: destkit.String,
		Default:     `{"@path":"$.context.page.title"}`,
		Description: "Title of the page the event happened on (not sent to Friendbuy's server API)."},
	{Key: "userAgent", Label: "User Agent", Type: destkit.String,
		Default:     `{"@path":"$.context.userAgent"}`,
		Description: "User agent of the browser the event came from."},
	{Key: "ipAddress", Label: "IP Address", Type: destkit.String,
		Default:     `{"@path":"$.context.ip"}`,
		Description: "IP address the event came from."},
}

// withContext appends the context fields to an action's own.
func withContext(own ...destkit.Field) []destkit.Field { return append(own, contextFields...) }

// contextMembers are how the context fields are sent: the page is dropped.
var contextMembers = map[string]member{"ipAddress": keep, "userAgent": keep, "pageUrl": drop, "pageTitle": drop}

// members is a table with the context members added.
func members(m map[string]member) map[string]member {
	for k, v := range contextMembers {
		m[k] = v
	}
	return m
}

const customerIDDefault = `{"@if":{"exists":{"@path":"$.properties.customerId"},"then":{"@path":"$.properties.customerId"},"else":{"@path":"$.userId"}}}`

// eventCustomerFields are the customer fields of purchase and sign-up
// events, read from the event's properties; required marks the customer id
// and email as Track Sign Up requires them.
func eventCustomerFields(required bool) []destkit.Field {
	return []destkit.Field{
		{Key: "customerId", Label: "Customer ID", Type: destkit.String, Required: required,
			Default:     customerIDDefault,
			Description: "Your id of the customer."},
		anonymousIDField,
		{Key: "email", Label: "Email", Type: destkit.String, Required: required,
			Default:     `{"@path":"$.properties.email"}`,
			Description: "Email address of the customer."},
		{Key: "isNewCustomer", Label: "New Customer Flag", Type: destkit.Boolean,
			Default:     `{"@path":"$.properties.isNewCustomer"}`,
			Description: "Whether the customer is new."},
		{Key: "loyaltyStatus", Label: "Loyalty Program Status", Type: destkit.String,
			Default:     `{"@path":"$.properties.loyaltyStatus"}`,
			Description: "Status of the customer in your loyalty program (in, out, blocked)."},
		{Key: "firstName", Label: "First Name", Type: destkit.String,
			Default:     `{"@path":"$.properties.firstName"}`,
			Description: "First name of the customer."},
		{Key: "lastName", Label: "Last Name", Type: destkit.String,
			Default:     `{"@path":"$.properties.lastName"}`,
			Description: "Last name of the customer."},
		{Key: "name", Label: "Name", Type: destkit.String,
			Default:     `{"@path":"$.properties.name"}`,
			Description: "Full name of the customer; sent among the additional properties."},
		{Key: "age", Label: "Age", Type: destkit.Number,
			Default:     `{"@path":"$.properties.age"}`,
			Description: "Age of the customer."},
		{Key: "birthday", Label: "Birthday", Type: destkit.String, Format: "date",
			Default:     `{"@path":"$.properties.birthday"}`,
			Description: "Birthday of the customer as YYYY-MM-DD; sent as month, day and year."},
	}
}

var anonymousIDField = destkit.Field{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
	Default:     `{"@path":"$.anonymousId"}`,
	Description: "Segment's anonymous id of the visitor; sent among the additional properties."}

// attributesField holds the custom attributes, read from path.
func attributesField(path string) destkit.Field {
	return destkit.Field{Key: "friendbuyAttributes", Label: "Custom Attributes", Type: destkit.Object,
		Default:     destkit.JSON(`{"@path":"` + path + `"}`),
		Description: "Custom attributes of the customer; each is sent among the additional properties unless it names a Friendbuy field."}
}

// referralFields tie an event to a referral.
var (
	attributionIDField = destkit.Field{Key: "attributionId", Label: "Friendbuy Attribution ID", Type: destkit.String,
		Default:     `{"@path":"$.properties.attributionId"}`,
		Description: "Friendbuy attribution id that ties the event to a referral."}
	referralCodeField = destkit.Field{Key: "referralCode", Label: "Friendbuy Referral ID", Type: destkit.String,
		Default:     `{"@path":"$.properties.referralCode"}`,
		Description: "Friendbuy referral code that ties the event to a referral."}
)
