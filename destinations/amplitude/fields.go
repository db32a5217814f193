package amplitude

import "github.com/actuate/actuate/destinations/destkit"

// Fields shared by several actions. Keys, types and default mappings match
// Segment's definitions so existing mappings keep working.
var (
	userID = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.userId"}`,
		Description: "Your identifier for the user. Amplitude needs a user ID or a device ID."}
	userIDAlt = destkit.Field{Key: "user_id", Label: "User ID", Type: destkit.String,
		Default:     `{"@path":"$.previousId"}`,
		Description: "The user ID to map to the global user ID (by default the alias's previous ID)."}
	deviceID = destkit.Field{Key: "device_id", Label: "Device ID", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.device.id"},"then":{"@path":"$.context.device.id"},"else":{"@path":"$.anonymousId"}}}`,
		Description: "Device identifier; Amplitude needs a user ID or a device ID."}
	eventType = destkit.Field{Key: "event_type", Label: "Event Type", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.event"}`,
		Description: "Name of the event."}
	sessionID = destkit.Field{Key: "session_id", Label: "Session ID", Type: destkit.Datetime,
		Default:     `{"@path":"$.integrations.Actions Amplitude.session_id"}`,
		Description: "Start time of the session, as a date or epoch milliseconds."}
	eventTime = destkit.Field{Key: "time", Label: "Timestamp", Type: destkit.Datetime,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	eventTimeAlt = destkit.Field{Key: "time", Label: "Timestamp", Type: destkit.String,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	eventProperties = destkit.Field{Key: "event_properties", Label: "Event Properties", Type: destkit.Object,
		Default:     `{"@path":"$.properties"}`,
		Description: "Properties of the event."}
	userProperties = destkit.Field{Key: "user_properties", Label: "User Properties", Type: destkit.Object,
		Default:     `{"@path":"$.traits"}`,
		Description: "Properties of the user, set on their Amplitude profile."}
	groups = destkit.Field{Key: "groups", Label: "Groups", Type: destkit.Object,
		Description: "Groups the user belongs to, as group type to group name."}
	appVersion = destkit.Field{Key: "app_version", Label: "App Version", Type: destkit.String,
		Default:     `{"@path":"$.context.app.version"}`,
		Description: "Version of the app."}
	platform = destkit.Field{Key: "platform", Label: "Platform", Type: destkit.String,
		Default:     `{"@path":"$.context.device.type"}`,
		Description: "Platform of the device (iOS, Android, Web)."}
	osName = destkit.Field{Key: "os_name", Label: "OS Name", Type: destkit.String,
		Default:     `{"@path":"$.context.os.name"}`,
		Description: "Operating system name."}
	osVersion = destkit.Field{Key: "os_version", Label: "OS Version", Type: destkit.String,
		Default:     `{"@path":"$.context.os.version"}`,
		Description: "Operating system version."}
	deviceBrand = destkit.Field{Key: "device_brand", Label: "Device Brand", Type: destkit.String,
		Default:     `{"@path":"$.context.device.brand"}`,
		Description: "Device brand."}
	deviceManufacturer = destkit.Field{Key: "device_manufacturer", Label: "Device Manufacturer", Type: destkit.String,
		Default:     `{"@path":"$.context.device.manufacturer"}`,
		Description: "Device manufacturer."}
	deviceModel = destkit.Field{Key: "device_model", Label: "Device Model", Type: destkit.String,
		Default:     `{"@path":"$.context.device.model"}`,
		Description: "Device model."}
	carrier = destkit.Field{Key: "carrier", Label: "Carrier", Type: destkit.String,
		Default:     `{"@path":"$.context.network.carrier"}`,
		Description: "Mobile carrier."}
	country = destkit.Field{Key: "country", Label: "Country", Type: destkit.String,
		Default:     `{"@path":"$.context.location.country"}`,
		Description: "Country of the user."}
	region = destkit.Field{Key: "region", Label: "Region", Type: destkit.String,
		Default:     `{"@path":"$.context.location.region"}`,
		Description: "Region of the user."}
	city = destkit.Field{Key: "city", Label: "City", Type: destkit.String,
		Default:     `{"@path":"$.context.location.city"}`,
		Description: "City of the user."}
	dma = destkit.Field{Key: "dma", Label: "Designated Market Area", Type: destkit.String,
		Description: "Designated market area of the user."}
	language = destkit.Field{Key: "language", Label: "Language", Type: destkit.String,
		Default:     `{"@path":"$.context.locale"}`,
		Description: "Language of the user."}
	price = destkit.Field{Key: "price", Label: "Price", Type: destkit.Number,
		Default:     `{"@path":"$.properties.price"}`,
		Description: "Unit price of the purchased item; negative for refunds."}
	quantity = destkit.Field{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
		Default:     `{"@path":"$.properties.quantity"}`,
		Description: "Number of items purchased."}
	revenue = destkit.Field{Key: "revenue", Label: "Revenue", Type: destkit.Number,
		Default:     `{"@path":"$.properties.revenue"}`,
		Description: "Revenue of the event; negative for refunds."}
	productID = destkit.Field{Key: "productId", Label: "Product ID", Type: destkit.String,
		Default:     `{"@path":"$.properties.productId"}`,
		Description: "Identifier of the purchased product."}
	revenueType = destkit.Field{Key: "revenueType", Label: "Revenue Type", Type: destkit.String,
		Default:     `{"@path":"$.properties.revenueType"}`,
		Description: "Kind of revenue, such as purchase or refund."}
	locationLat = destkit.Field{Key: "location_lat", Label: "Latitude", Type: destkit.Number,
		Default:     `{"@path":"$.context.location.latitude"}`,
		Description: "Latitude of the user."}
	locationLng = destkit.Field{Key: "location_lng", Label: "Longtitude", Type: destkit.Number,
		Default:     `{"@path":"$.context.location.longitude"}`,
		Description: "Longitude of the user."}
	ip = destkit.Field{Key: "ip", Label: "IP Address", Type: destkit.String,
		Default:     `{"@path":"$.context.ip"}`,
		Description: "IP address of the user; Amplitude derives location from it."}
	idfa = destkit.Field{Key: "idfa", Label: "Identifier For Advertiser (IDFA)", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.device.advertisingId"},"then":{"@path":"$.context.device.advertisingId"},"else":{"@path":"$.context.device.idfa"}}}`,
		Description: "iOS advertising identifier."}
	idfv = destkit.Field{Key: "idfv", Label: "Identifier For Vendor (IDFV)", Type: destkit.String,
		Default:     `{"@path":"$.context.device.id"}`,
		Description: "iOS identifier for vendor."}
	adid = destkit.Field{Key: "adid", Label: "Google Play Services Advertising ID", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.device.advertisingId"},"then":{"@path":"$.context.device.advertisingId"},"else":{"@path":"$.context.device.idfa"}}}`,
		Description: "Google Play advertising identifier."}
	androidID = destkit.Field{Key: "android_id", Label: "Android ID", Type: destkit.String,
		Description: "Android device identifier."}
	eventID = destkit.Field{Key: "event_id", Label: "Event ID", Type: destkit.Integer,
		Description: "Counter Amplitude uses to order events of one device."}
	insertID = destkit.Field{Key: "insert_id", Label: "Insert ID", Type: destkit.String,
		Description: "Unique event identifier Amplitude uses to drop duplicates."}
	library = destkit.Field{Key: "library", Label: "HIDDEN: Library", Type: destkit.String,
		Default:     `{"@path":"$.context.library.name"}`,
		Description: "Name of the library that sent the event; analytics.js marks the platform as Web."}
	libraryAlt = destkit.Field{Key: "library", Label: "Library", Type: destkit.String,
		Default:     `{"@path":"$.context.library.name"}`,
		Description: "Name of the library that sent the event; analytics.js marks the platform as Web."}
	library2 = destkit.Field{Key: "library2", Label: "Library Settings", Type: destkit.Object,
		Default:     `{"behavior":"use_mapping","mapping":{"@path":"$.context.library.name"}}`,
		Description: "Which library name Amplitude records.",
		Properties: []destkit.Field{
			{Key: "behavior", Label: "Behavior", Type: destkit.String,
				Choices:     []destkit.Choice{{Value: "auto", Label: "Auto"}, {Value: "use_mapping", Label: "Use Mapping"}},
				Description: "Record the mapped library name, or let Amplitude choose."},
			{Key: "mapping", Label: "Library Mapping", Type: destkit.String,
				Description: "Library name to record."},
		}}
	products = destkit.Field{Key: "products", Label: "Products", Type: destkit.Object, Multiple: true, AdditionalProperties: true,
		Default:     `{"@arrayPath":["$.properties.products",{"price":{"@path":"price"},"revenue":{"@path":"revenue"},"quantity":{"@path":"quantity"},"productId":{"@path":"productId"},"revenueType":{"@path":"revenueType"}}]}`,
		Description: "Products of the order; each may become its own revenue event.",
		Properties: []destkit.Field{
			{Key: "price", Label: "Price", Type: destkit.Number,
				Description: "Unit price."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
				Description: "Quantity."},
			{Key: "revenue", Label: "Revenue", Type: destkit.Number,
				Description: "Revenue of the line."},
			{Key: "productId", Label: "Product ID", Type: destkit.String,
				Description: "Product identifier."},
			{Key: "revenueType", Label: "Revenue Type", Type: destkit.String,
				Description: "Kind of revenue."},
		}}
	useBatchEndpoint = destkit.Field{Key: "use_batch_endpoint", Label: "Use Batch Endpoint", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Send to Amplitude's batch endpoint, which has higher rate limits."}
	userAgent = destkit.Field{Key: "userAgent", Label: "User Agent", Type: destkit.String,
		Default:     `{"@path":"$.context.userAgent"}`,
		Description: "User agent of the device."}
	userAgentParsing = destkit.Field{Key: "userAgentParsing", Label: "User Agent Parsing", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Derive device and OS properties from the user agent."}
	includeRawUserAgent = destkit.Field{Key: "includeRawUserAgent", Label: "Include Raw User Agent", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Also send the raw user agent string."}
	utmProperties = destkit.Field{Key: "utm_properties", Label: "UTM Properties", Type: destkit.Object,
		Default:     `{"utm_source":{"@path":"$.context.campaign.source"},"utm_medium":{"@path":"$.context.campaign.medium"},"utm_campaign":{"@path":"$.context.campaign.name"},"utm_term":{"@path":"$.context.campaign.term"},"utm_content":{"@path":"$.context.campaign.content"}}`,
		Description: "UTM parameters, recorded as latest and first-touch user properties.",
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
	referrer = destkit.Field{Key: "referrer", Label: "Referrer", Type: destkit.String,
		Default:     `{"@path":"$.context.page.referrer"}`,
		Description: "Referrer, recorded as latest and first-touch user property."}
	minIDLength = destkit.Field{Key: "min_id_length", Label: "Minimum ID Length", Type: destkit.Integer, AllowNull: true,
		Description: "Shortest user or device ID Amplitude accepts (its default is 5)."}
	userAgentData = destkit.Field{Key: "userAgentData", Label: "User Agent Data", Type: destkit.Object,
		Default:     `{"model":{"@path":"$.context.userAgentData.model"},"platformVersion":{"@path":"$.context.userAgentData.platformVersion"}}`,
		Description: "Client hints from the browser.",
		Properties: []destkit.Field{
			{Key: "model", Label: "Model", Type: destkit.String,
				Description: "Device model client hint."},
			{Key: "platformVersion", Label: "PlatformVersion", Type: destkit.String,
				Description: "Platform version client hint."},
		}}
	paying = destkit.Field{Key: "paying", Label: "Is Paying", Type: destkit.Boolean,
		Description: "Whether the user is paying."}
	startVersion = destkit.Field{Key: "start_version", Label: "Initial Version", Type: destkit.String,
		Description: "App version the user first used."}
	globalUserID = destkit.Field{Key: "global_user_id", Label: "Global User ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "The global user ID to map the user ID to."}
	groupProperties = destkit.Field{Key: "group_properties", Label: "Group Properties", Type: destkit.Object,
		Default:     `{"@path":"$.traits"}`,
		Description: "Properties of the group."}
	groupType = destkit.Field{Key: "group_type", Label: "Group Type", Type: destkit.String, Required: true,
		Description: "Type of the group, such as company."}
	groupValue = destkit.Field{Key: "group_value", Label: "Group Value", Type: destkit.String, Required: true,
		Description: "Name or identifier of the group."}
	trackRevenuePerProduct = destkit.Field{Key: "trackRevenuePerProduct", Label: "Track Revenue Per Product", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Send one revenue event per product instead of one for the order."}
	setOnce = destkit.Field{Key: "setOnce", Label: "Set Once", Type: destkit.Object, AdditionalProperties: true,
		Default:     `{"initial_referrer":{"@path":"$.context.page.referrer"},"initial_utm_source":{"@path":"$.context.campaign.source"},"initial_utm_medium":{"@path":"$.context.campaign.medium"},"initial_utm_campaign":{"@path":"$.context.campaign.name"},"initial_utm_term":{"@path":"$.context.campaign.term"},"initial_utm_content":{"@path":"$.context.campaign.content"}}`,
		Description: "User properties set only when they have no value yet.",
		Properties: []destkit.Field{
			{Key: "initial_referrer", Label: "Initial Referrer", Type: destkit.String,
				Description: "First referrer of the user."},
			{Key: "initial_utm_source", Label: "Initial UTM Source", Type: destkit.String,
				Description: "First UTM source."},
			{Key: "initial_utm_medium", Label: "Initial UTM Medium", Type: destkit.String,
				Description: "First UTM medium."},
			{Key: "initial_utm_campaign", Label: "Initial UTM Campaign", Type: destkit.String,
				Description: "First UTM campaign."},
			{Key: "initial_utm_term", Label: "Initial UTM Term", Type: destkit.String,
				Description: "First UTM term."},
			{Key: "initial_utm_content", Label: "Initial UTM Content", Type: destkit.String,
				Description: "First UTM content."},
		}}
	setAlways = destkit.Field{Key: "setAlways", Label: "Set Always", Type: destkit.Object, AdditionalProperties: true,
		Default:     `{"referrer":{"@path":"$.context.page.referrer"},"utm_source":{"@path":"$.context.campaign.source"},"utm_medium":{"@path":"$.context.campaign.medium"},"utm_campaign":{"@path":"$.context.campaign.name"},"utm_term":{"@path":"$.context.campaign.term"},"utm_content":{"@path":"$.context.campaign.content"}}`,
		Description: "User properties overwritten by every event.",
		Properties: []destkit.Field{
			{Key: "referrer", Label: "Referrer", Type: destkit.String,
				Description: "Latest referrer."},
			{Key: "utm_source", Label: "UTM Source", Type: destkit.String,
				Description: "Latest UTM source."},
			{Key: "utm_medium", Label: "UTM Medium", Type: destkit.String,
				Description: "Latest UTM medium."},
			{Key: "utm_campaign", Label: "UTM Campaign", Type: destkit.String,
				Description: "Latest UTM campaign."},
			{Key: "utm_term", Label: "UTM Term", Type: destkit.String,
				Description: "Latest UTM term."},
			{Key: "utm_content", Label: "UTM Content", Type: destkit.String,
				Description: "Latest UTM content."},
		}}
	add = destkit.Field{Key: "add", Label: "Add", Type: destkit.Object, AdditionalProperties: true,
		Description: "User properties to increment by the given numbers."}
)
