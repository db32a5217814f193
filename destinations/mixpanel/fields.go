package mixpanel

import "github.com/actuate/actuate/destinations/destkit"

// Fields shared by several actions. Keys, types and default mappings match
// Segment's definitions so existing mappings keep working.
var (
	event = destkit.Field{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.event"}`,
		Description: "Name of the event."}
	distinctID = destkit.Field{Key: "distinct_id", Label: "Distinct ID", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
		Description: "Mixpanel's identifier for the user: the user ID once known, else the anonymous ID."}
	distinctIDAlt = destkit.Field{Key: "distinct_id", Label: "Distinct ID", Type: destkit.String,
		Default:     `{"@path":"$.previousId"}`,
		Description: "Mixpanel's identifier for the user: the user ID once known, else the anonymous ID."}
	anonymousID = destkit.Field{Key: "anonymous_id", Label: "Anonymous ID", Type: destkit.String,
		Default:     `{"@path":"$.anonymousId"}`,
		Description: "Device or session identifier for users without a user ID."}
	anonymousIDAlt = destkit.Field{Key: "anonymous_id", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.anonymousId"}`,
		Description: "Device or session identifier for users without a user ID."}
	userID = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Your identifier for the user. A user ID or an anonymous ID is required."}
	userIDAlt = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.userId"}`,
		Description: "Your identifier for the user. A user ID or an anonymous ID is required."}
	groupID = destkit.Field{Key: "group_id", Label: "Group ID", Type: destkit.String,
		Default:     `{"@path":"$.context.groupId"}`,
		Description: "Identifier of the account or group the user belongs to."}
	groupIDAlt = destkit.Field{Key: "group_id", Label: "Group ID", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.groupId"}`,
		Description: "Identifier of the account or group the user belongs to."}
	insertID = destkit.Field{Key: "insert_id", Label: "Insert ID", Type: destkit.String,
		Default:     `{"@path":"$.messageId"}`,
		Description: "Unique event identifier Mixpanel uses to drop duplicates."}
	eventTime = destkit.Field{Key: "time", Label: "Timestamp", Type: destkit.Datetime,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	appName = destkit.Field{Key: "app_name", Label: "App Name", Type: destkit.String,
		Default:     `{"@path":"$.context.app.name"}`,
		Description: "Name of the app."}
	appNamespace = destkit.Field{Key: "app_namespace", Label: "App Namespace", Type: destkit.String,
		Default:     `{"@path":"$.context.app.namespace"}`,
		Description: "Bundle or package identifier of the app."}
	appBuild = destkit.Field{Key: "app_build", Label: "App Build", Type: destkit.String,
		Default:     `{"@path":"$.context.app.build"}`,
		Description: "Build of the app."}
	appVersion = destkit.Field{Key: "app_version", Label: "App Version", Type: destkit.String,
		Default:     `{"@path":"$.context.app.version"}`,
		Description: "Version of the app."}
	osName = destkit.Field{Key: "os_name", Label: "OS Name", Type: destkit.String,
		Default:     `{"@path":"$.context.os.name"}`,
		Description: "Operating system name."}
	osVersion = destkit.Field{Key: "os_version", Label: "OS Version", Type: destkit.String,
		Default:     `{"@path":"$.context.os.version"}`,
		Description: "Operating system version."}
	deviceID = destkit.Field{Key: "device_id", Label: "Device ID", Type: destkit.String,
		Default:     `{"@path":"$.context.device.id"}`,
		Description: "Device identifier; Amplitude needs a user ID or a device ID."}
	deviceType = destkit.Field{Key: "device_type", Label: "Device Type", Type: destkit.String,
		Default:     `{"@path":"$.context.device.type"}`,
		Description: "Type of device."}
	deviceName = destkit.Field{Key: "device_name", Label: "Device Name", Type: destkit.String,
		Default:     `{"@path":"$.context.device.name"}`,
		Description: "Name of the device."}
	deviceManufacturer = destkit.Field{Key: "device_manufacturer", Label: "Device Manufacturer", Type: destkit.String,
		Default:     `{"@path":"$.context.device.manufacturer"}`,
		Description: "Device manufacturer."}
	deviceModel = destkit.Field{Key: "device_model", Label: "Device Model", Type: destkit.String,
		Default:     `{"@path":"$.context.device.model"}`,
		Description: "Device model."}
	bluetooth = destkit.Field{Key: "bluetooth", Label: "Bluetooth Enabled", Type: destkit.Boolean,
		Default:     `{"@path":"$.context.network.bluetooth"}`,
		Description: "Whether Bluetooth is on."}
	carrier = destkit.Field{Key: "carrier", Label: "Carrier", Type: destkit.String,
		Default:     `{"@path":"$.context.network.carrier"}`,
		Description: "Mobile carrier."}
	cellular = destkit.Field{Key: "cellular", Label: "Cellular Enabled", Type: destkit.Boolean,
		Default:     `{"@path":"$.context.network.cellular"}`,
		Description: "Whether the device is on a cellular network."}
	wifi = destkit.Field{Key: "wifi", Label: "Wifi", Type: destkit.Boolean,
		Default:     `{"@path":"$.context.network.wifi"}`,
		Description: "Whether the device is on Wi-Fi."}
	country = destkit.Field{Key: "country", Label: "Country", Type: destkit.String,
		Default:     `{"@path":"$.context.location.country"}`,
		Description: "Country of the user."}
	region = destkit.Field{Key: "region", Label: "Region", Type: destkit.String,
		Default:     `{"@path":"$.context.location.region"}`,
		Description: "Region of the user."}
	language = destkit.Field{Key: "language", Label: "Language", Type: destkit.String,
		Default:     `{"@path":"$.context.locale"}`,
		Description: "Language of the user."}
	libraryName = destkit.Field{Key: "library_name", Label: "Library Name", Type: destkit.String,
		Default:     `{"@path":"$.context.library.name"}`,
		Description: "Name of the library that sent the event."}
	libraryVersion = destkit.Field{Key: "library_version", Label: "Library Version", Type: destkit.String,
		Default:     `{"@path":"$.context.library.version"}`,
		Description: "Version of that library."}
	ip = destkit.Field{Key: "ip", Label: "IP Address", Type: destkit.String,
		Default:     `{"@path":"$.context.ip"}`,
		Description: "IP address of the user; Amplitude derives location from it."}
	idfa = destkit.Field{Key: "idfa", Label: "Identifier For Advertiser (IDFA)", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.device.advertisingId"},"then":{"@path":"$.context.device.advertisingId"},"else":{"@path":"$.context.device.idfa"}}}`,
		Description: "iOS advertising identifier."}
	url = destkit.Field{Key: "url", Label: "URL", Type: destkit.String,
		Default:     `{"@path":"$.context.page.url"}`,
		Description: "Full URL of the page."}
	screenWidth = destkit.Field{Key: "screen_width", Label: "Screen width", Type: destkit.Number,
		Default:     `{"@path":"$.context.screen.width"}`,
		Description: "Screen width in pixels."}
	screenHeight = destkit.Field{Key: "screen_height", Label: "Screen height", Type: destkit.Number,
		Default:     `{"@path":"$.context.screen.height"}`,
		Description: "Screen height in pixels."}
	screenDensity = destkit.Field{Key: "screen_density", Label: "Screen density", Type: destkit.Number,
		Default:     `{"@path":"$.context.screen.density"}`,
		Description: "Screen pixel density."}
	referrer = destkit.Field{Key: "referrer", Label: "Referrer", Type: destkit.String,
		Default:     `{"@path":"$.context.page.referrer"}`,
		Description: "Referrer, recorded as latest and first-touch user property."}
	userAgent = destkit.Field{Key: "userAgent", Label: "User Agent", Type: destkit.String,
		Default:     `{"@path":"$.context.userAgent"}`,
		Description: "User agent of the device."}
	advertisingID = destkit.Field{Key: "advertising_id", Label: "Advertising ID", Type: destkit.String,
		Default:     `{"@path":"$.context.device.advertisingId"}`,
		Description: "Advertising identifier of the device."}
	adTrackingEnabled = destkit.Field{Key: "ad_tracking_enabled", Label: "Ad Tracking Enabled", Type: destkit.String,
		Default:     `{"@path":"$.context.device.adTrackingEnabled"}`,
		Description: "Whether the user allows ad tracking."}
	timezone = destkit.Field{Key: "timezone", Label: "Timezone", Type: destkit.String,
		Default:     `{"@path":"$.context.timezone"}`,
		Description: "Time zone of the user, such as Europe/Paris."}
	appPlatform = destkit.Field{Key: "app_platform", Label: "App Platform", Type: destkit.String,
		Default:     `{"@path":"$.context.app.platform"}`,
		Description: "Platform of the app."}
	name = destkit.Field{Key: "name", Label: "Event Original Name", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.name"}}}`,
		Description: "Name of the page or screen viewed."}
	eventProperties = destkit.Field{Key: "event_properties", Label: "Event Properties", Type: destkit.Object,
		Default:     `{"@path":"$.properties"}`,
		Description: "Properties of the event."}
	contextField = destkit.Field{Key: "context", Label: "Event context", Type: destkit.Object,
		Default:     `{"@path":"$.context"}`,
		Description: "The whole event context, for properties not mapped elsewhere."}
	utmProperties = destkit.Field{Key: "utm_properties", Label: "UTM Properties", Type: destkit.Object,
		Default:     `{"utm_source":{"@path":"$.context.campaign.source"},"utm_medium":{"@path":"$.context.campaign.medium"},"utm_campaign":{"@path":"$.context.campaign.name"},"utm_term":{"@path":"$.context.campaign.term"},"utm_content":{"@path":"$.context.campaign.content"}}`,
		Description: "UTM parameters of the campaign that brought the user.",
		Properties: []destkit.Field{
			{Key: "utm_source", Label: "UTM Source", Type: destkit.String,
				Description: "UTM source."},
			{Key: "utm_medium", Label: "UTM Medium", Type: destkit.String,
				Description: "UTM medium."},
			{Key: "utm_campaign", Label: "UTM Campaign", Type: destkit.String,
				Description: "UTM campaign."},
			{Key: "utm_term", Label: "UTM Term", Type: destkit.String,
				Description: "UTM term."},
			{Key: "utm_content", Label: "UTM Content", Type: destkit.String,
				Description: "UTM content."},
		}}
	enableBatching = destkit.Field{Key: "enable_batching", Label: "Batch Data to Mixpanel", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Send events in batches."}
	batchSize = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Min: 1, Max: 2000,
		Default:     `1000`,
		Description: "Largest number of events per batch."}
	userAgentData = destkit.Field{Key: "userAgentData", Label: "User Agent Data", Type: destkit.Object,
		Default:     `{"mobile":{"@path":"$.context.userAgentData.mobile"},"platform":{"@path":"$.context.userAgentData.platform"},"architecture":{"@path":"$.context.userAgentData.architecture"},"bitness":{"@path":"$.context.userAgentData.bitness"},"model":{"@path":"$.context.userAgentData.model"},"platformVersion":{"@path":"$.context.userAgentData.platformVersion"},"uaFullVersion":{"@path":"$.context.userAgentData.uaFullVersion"},"wow64":{"@path":"$.context.userAgentData.wow64"}}`,
		Description: "Client hints from the browser.",
		Properties: []destkit.Field{
			{Key: "mobile", Label: "Mobile", Type: destkit.Boolean,
				Description: "Whether the browser reports a mobile device."},
			{Key: "platform", Label: "Platform", Type: destkit.String,
				Description: "Platform client hint."},
			{Key: "architecture", Label: "Architecture", Type: destkit.String,
				Description: "CPU architecture client hint."},
			{Key: "bitness", Label: "Bitness", Type: destkit.String,
				Description: "CPU bitness client hint."},
			{Key: "model", Label: "Model", Type: destkit.String,
				Description: "Device model client hint."},
			{Key: "platformVersion", Label: "PlatformVersion", Type: destkit.String,
				Description: "Platform version client hint."},
			{Key: "uaFullVersion", Label: "UaFullVersion", Type: destkit.String,
				Description: "Full browser version client hint."},
			{Key: "wow64", Label: "wow64", Type: destkit.Boolean,
				Description: "Whether the browser runs under WoW64."},
		}}
	traits = destkit.Field{Key: "traits", Label: "User Properties", Type: destkit.Object,
		Default:     `{"@path":"$.traits"}`,
		Description: "Attributes of the user or group."}
	traitsAlt = destkit.Field{Key: "traits", Label: "Group Properties", Type: destkit.Object,
		Default:     `{"@path":"$.traits"}`,
		Description: "Attributes of the user or group."}
	groupKey = destkit.Field{Key: "group_key", Label: "Group Key", Type: destkit.String,
		Description: "Group key of the group, as configured in Mixpanel."}
	aliasField = destkit.Field{Key: "alias", Label: "Alias", Type: destkit.String, AllowNull: true,
		Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
		Description: "The new identifier to attach to the distinct ID."}
	generatePurchaseEventPerProduct = destkit.Field{Key: "generatePurchaseEventPerProduct", Label: "Generate Purchase Event Per Product", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Also send one Product Purchased event per product."}
	productsField = destkit.Field{Key: "products", Label: "Products", Type: destkit.Object, Multiple: true, AdditionalProperties: true,
		Default:     `{"@arrayPath":["$.properties.products",{"product_id":{"@path":"product_id"},"sku":{"@path":"sku"},"category":{"@path":"category"},"name":{"@path":"name"},"brand":{"@path":"brand"},"variant":{"@path":"variant"},"price":{"@path":"price"},"quantity":{"@path":"quantity"},"coupon":{"@path":"coupon"},"position":{"@path":"position"},"url":{"@path":"url"},"image_url":{"@path":"image_url"}}]}`,
		Description: "Products of the order; each can also be sent as a Product Purchased event.",
		Properties: []destkit.Field{
			{Key: "product_id", Label: "Product Id", Type: destkit.String,
				Description: "Product identifier."},
			{Key: "sku", Label: "SKU", Type: destkit.String,
				Description: "Stock keeping unit."},
			{Key: "category", Label: "Category", Type: destkit.String,
				Description: "Category the product is sold in."},
			{Key: "name", Label: "Name", Type: destkit.String,
				Description: "Product name."},
			{Key: "brand", Label: "Brand", Type: destkit.String,
				Description: "Product brand."},
			{Key: "variant", Label: "Variant", Type: destkit.String,
				Description: "Product variant."},
			{Key: "price", Label: "Price", Type: destkit.Number,
				Description: "Unit price."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
				Description: "Quantity."},
			{Key: "coupon", Label: "Coupon", Type: destkit.String,
				Description: "Coupon applied to the product."},
			{Key: "position", Label: "position", Type: destkit.Number,
				Description: "Position of the product in a list."},
			{Key: "url", Label: "url", Type: destkit.String,
				Description: "URL of the product page."},
			{Key: "image_url", Label: "Image url", Type: destkit.String,
				Description: "Image of the product."},
		}}
	increment = destkit.Field{Key: "increment", Label: "Increment Numerical Properties", Type: destkit.Object, Required: true,
		Default:     `{"@path":"$.properties.increment"}`,
		Description: "User properties to increment, as property to amount."}
)
