package segment

import "github.com/actuate/actuate/destinations/destkit"

// Fields shared by the five actions. They mirror the Segment spec: each maps
// one event field or context object, passed through under its spec name.
var (
	userID = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String,
		Description: "Your identifier for the user. A user ID or an anonymous ID is required."}
	anonymousID = destkit.Field{Key: "anonymous_id", Label: "Anonymous ID", Type: destkit.String,
		Description: "Device or session identifier for users without a user ID."}
	timestamp = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.String,
		Description: "When the event happened, as an ISO-8601 string."}
	application = destkit.Field{Key: "application", Label: "Application", Type: destkit.Object,
		Description: "The app the event came from.",
		Properties: []destkit.Field{
			{Key: "name", Label: "Name", Type: destkit.String,
				Description: "App name."},
			{Key: "version", Label: "Version", Type: destkit.String,
				Description: "App version."},
			{Key: "build", Label: "Build", Type: destkit.String,
				Description: "App build number."},
			{Key: "namespace", Label: "Namespace", Type: destkit.String,
				Description: "App bundle or package identifier."},
		}}
	campaignParameters = destkit.Field{Key: "campaign_parameters", Label: "Campaign Parameters", Type: destkit.Object,
		Description: "UTM parameters of the campaign that brought the user.",
		Properties: []destkit.Field{
			{Key: "name", Label: "Name", Type: destkit.String,
				Description: "Campaign name (utm_campaign)."},
			{Key: "source", Label: "Source", Type: destkit.String,
				Description: "Campaign source (utm_source)."},
			{Key: "medium", Label: "Medium", Type: destkit.String,
				Description: "Campaign medium (utm_medium)."},
			{Key: "term", Label: "Term", Type: destkit.String,
				Description: "Campaign keyword (utm_term)."},
			{Key: "content", Label: "Content", Type: destkit.String,
				Description: "Campaign content (utm_content)."},
		}}
	device = destkit.Field{Key: "device", Label: "Device", Type: destkit.Object,
		Description: "The device the event came from.",
		Properties: []destkit.Field{
			{Key: "id", Label: "ID", Type: destkit.String,
				Description: "Device identifier."},
			{Key: "advertising_id", Label: "Advertising ID", Type: destkit.String,
				Description: "Advertising identifier (IDFA or AAID)."},
			{Key: "adTracking_Enabled", Label: "Ad Tracking Enabled", Type: destkit.Boolean,
				Description: "Whether the user allows ad tracking."},
			{Key: "manufacturer", Label: "Manufacturer", Type: destkit.String,
				Description: "Device maker."},
			{Key: "model", Label: "Model", Type: destkit.String,
				Description: "Device model."},
			{Key: "name", Label: "Name", Type: destkit.String,
				Description: "Device name."},
			{Key: "type", Label: "Type", Type: destkit.String,
				Description: "Device platform, such as ios or android."},
			{Key: "token", Label: "Token", Type: destkit.String,
				Description: "Push notification token."},
		}}
	ipAddress = destkit.Field{Key: "ip_address", Label: "IP Address", Type: destkit.String,
		Description: "IP address of the user's device."}
	locale = destkit.Field{Key: "locale", Label: "Locale", Type: destkit.String,
		Description: "Locale of the user, such as en-US."}
	location = destkit.Field{Key: "location", Label: "Location", Type: destkit.Object,
		Description: "Where the user was.",
		Properties: []destkit.Field{
			{Key: "city", Label: "City", Type: destkit.String,
				Description: "City."},
			{Key: "country", Label: "Country", Type: destkit.String,
				Description: "Country."},
			{Key: "latitude", Label: "Latitude", Type: destkit.Number,
				Description: "Latitude."},
			{Key: "longitude", Label: "Longitude", Type: destkit.Number,
				Description: "Longitude."},
			{Key: "speed", Label: "Speed", Type: destkit.Number,
				Description: "Speed of the device."},
		}}
	network = destkit.Field{Key: "network", Label: "Network", Type: destkit.Object,
		Description: "The device's network connection.",
		Properties: []destkit.Field{
			{Key: "bluetooth", Label: "Bluetooth", Type: destkit.Boolean,
				Description: "Whether Bluetooth is on."},
			{Key: "carrier", Label: "Carrier", Type: destkit.String,
				Description: "Mobile carrier."},
			{Key: "cellular", Label: "Cellular", Type: destkit.Boolean,
				Description: "Whether the device is on a cellular network."},
			{Key: "wifi", Label: "WiFi", Type: destkit.Boolean,
				Description: "Whether the device is on Wi-Fi."},
		}}
	operatingSystem = destkit.Field{Key: "operating_system", Label: "Operating System", Type: destkit.Object,
		Description: "The device's operating system.",
		Properties: []destkit.Field{
			{Key: "name", Label: "Name", Type: destkit.String,
				Description: "Operating system name."},
			{Key: "version", Label: "Version", Type: destkit.String,
				Description: "Operating system version."},
		}}
	page = destkit.Field{Key: "page", Label: "Page", Type: destkit.Object,
		Description: "The web page the event happened on.",
		Properties: []destkit.Field{
			{Key: "path", Label: "Path", Type: destkit.String,
				Description: "Path of the page."},
			{Key: "referrer", Label: "Referrer", Type: destkit.String,
				Description: "URL of the previous page."},
			{Key: "search", Label: "Search", Type: destkit.String,
				Description: "Query string of the page URL."},
			{Key: "title", Label: "Title", Type: destkit.String,
				Description: "Title of the page."},
			{Key: "url", Label: "URL", Type: destkit.String,
				Description: "Full URL of the page."},
		}}
	screen = destkit.Field{Key: "screen", Label: "Screen", Type: destkit.Object,
		Description: "The device screen.",
		Properties: []destkit.Field{
			{Key: "density", Label: "Density", Type: destkit.Number,
				Description: "Pixel density."},
			{Key: "height", Label: "Height", Type: destkit.Number,
				Description: "Height in pixels."},
			{Key: "width", Label: "Width", Type: destkit.Number,
				Description: "Width in pixels."},
		}}
	userAgent = destkit.Field{Key: "user_agent", Label: "User Agent", Type: destkit.String,
		Description: "User agent of the device."}
	timezone = destkit.Field{Key: "timezone", Label: "Timezone", Type: destkit.String,
		Description: "Time zone of the user, such as Europe/Paris."}
	groupID = destkit.Field{Key: "group_id", Label: "Group ID", Type: destkit.String,
		Description: "Identifier of the account or group the user belongs to."}
	traits = destkit.Field{Key: "traits", Label: "Traits", Type: destkit.Object, AdditionalProperties: true,
		Description: "Attributes of the user."}
	messageID = destkit.Field{Key: "message_id", Label: "MessageId", Type: destkit.String,
		Default:     `{"@path":"$.messageId"}`,
		Description: "Unique identifier of the message, used to deduplicate."}
	consent = destkit.Field{Key: "consent", Label: "Consent", Type: destkit.Object,
		Default:     `{"@path":"$.context.consent"}`,
		Description: "The user's consent preferences by category."}
	address = destkit.Field{Key: "address", Label: "Address", Type: destkit.Object,
		Description: "Postal address of the user.",
		Properties: []destkit.Field{
			{Key: "street", Label: "Street", Type: destkit.String,
				Description: "Street."},
			{Key: "city", Label: "City", Type: destkit.String,
				Description: "City."},
			{Key: "state", Label: "State", Type: destkit.String,
				Description: "State or region."},
			{Key: "country", Label: "Country", Type: destkit.String,
				Description: "Country."},
			{Key: "postalCode", Label: "Postal Code", Type: destkit.String,
				Description: "Postal code."},
		}}
	requiredGroupID = destkit.Field{Key: "group_id", Label: "Group ID", Type: destkit.String, Required: true,
		Description: "Identifier of the account or group the user belongs to."}
	screenName = destkit.Field{Key: "screen_name", Label: "Screen Name", Type: destkit.String,
		Description: "Name of the screen viewed."}
	properties = destkit.Field{Key: "properties", Label: "Properties", Type: destkit.Object, AdditionalProperties: true,
		Description: "Properties of the event."}
	pageName = destkit.Field{Key: "page_name", Label: "Page Name", Type: destkit.String,
		Description: "Name of the page viewed."}
	pageCategory = destkit.Field{Key: "page_category", Label: "Page Category", Type: destkit.String,
		Description: "Category of the page viewed."}
	eventName = destkit.Field{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
		Description: "Name of the action the user performed."}
)
