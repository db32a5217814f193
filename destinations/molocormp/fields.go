package molocormp

import "github.com/actuate/actuate/destinations/destkit"

// currencyChoices are the ISO 4217 codes Moloco accepts.
var currencyChoices = destkit.ChoiceValues("UNKNOWN_CURRENCY", "USD", "KRW", "JPY", "EUR", "GBP", "SEK", "INR", "THB", "IDR", "CNY", "CAD", "RUB", "BRL", "SGD", "HKD", "AUD", "PLN", "DKK", "VND", "MYR", "PHP", "TRY", "VEF")

// The fields every action shares, in the order actions list them.
var (
	eventIDField = destkit.Field{Key: "event_id", Label: "Event ID", Type: destkit.String, Default: `{"@path":"$.messageId"}`,
		Description: "Unique id of the event, for deduplication."}
	timestampField = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true, Default: `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	userIDField = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
		Description: "The signed-in user's id on your platform."}
	deviceField = destkit.Field{Key: "device", Label: "Device", Type: destkit.Object,
		Default:     `{"os":{"@path":"$.context.os.name"},"os_version":{"@path":"$.context.os.version"},"advertising_id":{"@path":"$.context.device.advertisingId"},"unique_device_id":{"@path":"$.context.device.id"},"model":{"@path":"$.context.device.model"},"ua":{"@path":"$.context.userAgent"},"ip":{"@path":"$.context.ip"}}`,
		Description: "The device the event came from.",
		Properties: []destkit.Field{
			{Key: "os", Label: "OS", Type: destkit.String, Description: "Operating system; sent upper-cased, iPadOS as IOS."},
			{Key: "os_version", Label: "OS Version", Type: destkit.String, Description: "Its version."},
			{Key: "advertising_id", Label: "Advertising ID", Type: destkit.String, Description: "The device advertising id (IDFA or GAID)."},
			{Key: "unique_device_id", Label: "Unique Device ID", Type: destkit.String, Description: "An id of the device that stays the same across sessions."},
			{Key: "model", Label: "Model", Type: destkit.String, Description: "Device model."},
			{Key: "ua", Label: "User Agent", Type: destkit.String, Description: "The browser's or app's user agent."},
			{Key: "language", Label: "Language", Type: destkit.String, Description: "The device's language."},
			{Key: "ip", Label: "IP Address", Type: destkit.String, Description: "The device's IP address."},
		}}
	sessionIDField = destkit.Field{Key: "session_id", Label: "Session ID", Type: destkit.String, Default: `{"@path":"$.anonymousId"}`,
		Description: "Id of the visit or session."}
	defaultCurrencyField = destkit.Field{Key: "default_currency", Label: "Default Currency", Type: destkit.String, Choices: currencyChoices, Default: `"USD"`,
		Description: "Currency of items whose own currency is not mapped."}
	pageIDField = destkit.Field{Key: "page_id", Label: "Page ID", Type: destkit.String, Default: `{"@path":"$.context.page.path"}`,
		Description: "Identifies the page or screen; when empty, the page identifier tokens stand in."}
	pageTokensField = destkit.Field{Key: "page_identifier_tokens", Label: "Page Identifier Tokens", Type: destkit.Object,
		Description: "Tokens that identify the page when there is no page id, sent as key:value pairs joined by semicolons."}
	searchQueryField = destkit.Field{Key: "search_query", Label: "Search Query", Type: destkit.String, Required: true, Default: `{"@path":"$.properties.query"}`,
		Description: "What the user searched for."}
	shippingChargeField = destkit.Field{Key: "shipping_charge", Label: "Shipping Charge", Type: destkit.Object,
		Description: "Shipping cost of the order.", Properties: moneyProperties("The shipping cost.")}
)

// referrerField is the previous page's id; required on landing.
func referrerField(required bool) destkit.Field {
	return destkit.Field{Key: "referrer_page_id", Label: "Referrer Page ID", Type: destkit.String, Required: required,
		Default: `{"@path":"$.context.page.referrer"}`, Description: "The page the user came from."}
}

// revenueField is the event's value; required on purchases.
func revenueField(required bool) destkit.Field {
	return destkit.Field{Key: "revenue", Label: "Revenue", Type: destkit.Object, Required: required,
		Default:     `{"price":{"@path":"$.properties.revenue"},"currency":{"@path":"$.properties.currency"}}`,
		Description: "The event's monetary value.", Properties: moneyProperties("The amount.")}
}

func moneyProperties(price string) []destkit.Field {
	return []destkit.Field{
		{Key: "price", Label: "Price", Type: destkit.Number, Required: true, Description: price},
		{Key: "currency", Label: "Currency", Type: destkit.String, Required: true, Choices: currencyChoices, Description: "Its ISO 4217 currency."},
	}
}

// itemsField lists the products: from properties.products (from, when the
// event is about several) or the event's own properties (one product).
func itemsField(required bool, from string) destkit.Field {
	return destkit.Field{Key: "items", Label: "Items", Type: destkit.Object, Required: required, Multiple: true,
		Default:     destkit.JSON(`{"@arrayPath":["` + from + `",{"id":{"@path":"$.product_id"},"price":{"@path":"$.price"},"currency":{"@path":"$.currency"},"quantity":{"@path":"$.quantity"},"seller_id":{"@path":"$.seller_id"}}]}`),
		Description: "The products the event is about.",
		Properties: []destkit.Field{
			{Key: "id", Label: "ID", Type: destkit.String, Required: true, Description: "Product id, as in the catalogue shared with Moloco."},
			{Key: "price", Label: "Price", Type: destkit.Number, Description: "Unit price; needs a currency (its own or the default)."},
			{Key: "currency", Label: "Currency", Type: destkit.String, Choices: currencyChoices, Description: "Currency of the price."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer, Description: "How many."},
			{Key: "seller_id", Label: "Seller ID", Type: destkit.String, Description: "The seller, on a marketplace."},
		}}
}

const (
	productsPath   = "$.properties.products"
	propertiesPath = "$.properties"
)
