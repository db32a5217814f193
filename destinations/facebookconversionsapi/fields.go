package facebookconversionsapi

import "github.com/actuate/actuate/destinations/destkit"

// Fields shared by several actions. Keys, types and default mappings match
// Segment's definitions so existing mappings keep working.
var (
	actionSource = destkit.Field{Key: "action_source", Label: "Action Source", Type: destkit.String, Required: true,
		Choices:     []destkit.Choice{{Value: "email", Label: "EMAIL"}, {Value: "website", Label: "WEBSITE"}, {Value: "app", Label: "APP"}, {Value: "phone_call", Label: "PHONE CALL"}, {Value: "chat", Label: "CHAT"}, {Value: "physical_store", Label: "PHYSICAL STORE"}, {Value: "system_generated", Label: "SYSTEM GENERATED"}, {Value: "other", Label: "OTHER"}},
		Description: "Where the conversion happened (website, app, physical store, ...)."}
	currency = destkit.Field{Key: "currency", Label: "Currency", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.properties.currency"}`,
		Description: "ISO 4217 currency code of the value."}
	currencyAlt = destkit.Field{Key: "currency", Label: "Currency", Type: destkit.String,
		Default:     `{"@path":"$.properties.currency"}`,
		Description: "ISO 4217 currency code of the value."}
	eventTime = destkit.Field{Key: "event_time", Label: "Event Time", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.timestamp"}`,
		Description: "When the event happened."}
	userData = destkit.Field{Key: "user_data", Label: "User Data", Type: destkit.Object, Required: true,
		Default:     `{"externalId":{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}},"email":{"@path":"$.context.traits.email"},"phone":{"@path":"$.context.traits.phone"},"dateOfBirth":{"@path":"$.context.traits.birthday"},"lastName":{"@path":"$.context.traits.lastName"},"firstName":{"@path":"$.context.traits.firstName"},"city":{"@path":"$.context.traits.address.city"},"state":{"@path":"$.context.traits.address.state"},"zip":{"@path":"$.context.traits.address.postalCode"},"client_ip_address":{"@path":"$.context.ip"},"client_user_agent":{"@path":"$.context.userAgent"},"fbc":{"@path":"$.properties.fbc"},"fbp":{"@path":"$.properties.fbp"}}`,
		Description: "Who the event is about; identifying fields are hashed before sending.",
		Properties: []destkit.Field{
			{Key: "externalId", Label: "External ID", Type: destkit.String, Multiple: true,
				Description: "Your identifiers of the user; normalised and hashed."},
			{Key: "email", Label: "Email", Type: destkit.String,
				Description: "Email address; normalised and hashed."},
			{Key: "phone", Label: "Phone", Type: destkit.String,
				Description: "Phone number with country code; normalised and hashed."},
			{Key: "gender", Label: "Gender", Type: destkit.String,
				Description: "Gender (m or f); hashed."},
			{Key: "dateOfBirth", Label: "Date of Birth", Type: destkit.String,
				Description: "Date of birth as YYYYMMDD; hashed."},
			{Key: "lastName", Label: "Last Name", Type: destkit.String,
				Description: "Last name; normalised and hashed."},
			{Key: "firstName", Label: "First Name", Type: destkit.String,
				Description: "First name; normalised and hashed."},
			{Key: "city", Label: "City", Type: destkit.String,
				Description: "City; normalised and hashed."},
			{Key: "state", Label: "State", Type: destkit.String,
				Description: "State or region; normalised and hashed."},
			{Key: "zip", Label: "Zip Code", Type: destkit.String,
				Description: "Postal code; normalised and hashed."},
			{Key: "country", Label: "Country", Type: destkit.String,
				Description: "Country; normalised and hashed."},
			{Key: "client_ip_address", Label: "Client IP Address", Type: destkit.String,
				Description: "IP address of the browser; not hashed."},
			{Key: "client_user_agent", Label: "Client User Agent", Type: destkit.String,
				Description: "User agent of the browser; not hashed."},
			{Key: "fbc", Label: "Click ID", Type: destkit.String,
				Description: "Click ID from the _fbc cookie; not hashed."},
			{Key: "fbp", Label: "Browser ID", Type: destkit.String,
				Description: "Browser ID from the _fbp cookie; not hashed."},
			{Key: "subscriptionID", Label: "Subscription ID", Type: destkit.String,
				Description: "Subscription ID of the user."},
			{Key: "leadID", Label: "Lead ID", Type: destkit.Integer,
				Description: "Lead ID from Meta lead ads."},
			{Key: "fbLoginID", Label: "Facebook Login ID", Type: destkit.Integer,
				Description: "Facebook Login app-scoped user ID."},
			{Key: "anonId", Label: "Install ID (anon_id)", Type: destkit.String,
				Description: "App install ID."},
			{Key: "madId", Label: "Advertiser ID (madid)", Type: destkit.String,
				Description: "Mobile advertiser ID."},
			{Key: "partner_id", Label: "Partner ID", Type: destkit.String,
				Description: "Your partner's identifier of the user."},
			{Key: "partner_name", Label: "Partner Name", Type: destkit.String,
				Description: "Name of the partner."},
			{Key: "ctwa_clid", Label: "Click to WhatsApp Click ID (ctwa_clid)", Type: destkit.String,
				Description: "Click ID from a click-to-WhatsApp ad."},
		}}
	appDataField = destkit.Field{Key: "app_data_field", Label: "App Events Fields", Type: destkit.Object,
		Default:     `{"application_tracking_enabled":{"@path":"$.context.device.adTrackingEnabled"},"packageName":{"@path":"$.context.app.namespace"},"longVersion":{"@path":"$.context.app.version"},"osVersion":{"@path":"$.context.os.version"},"deviceName":{"@path":"$.context.device.model"},"locale":{"@path":"$.context.locale"},"carrier":{"@path":"$.context.network.carrier"},"width":{"@path":"$.context.screen.width"},"height":{"@path":"$.context.screen.height"},"density":{"@path":"$.context.screen.density"},"deviceTimezone":{"@path":"$.context.timezone"},"madId":{"@path":"$.context.madId"}}`,
		Description: "Device and app details for events from mobile apps.",
		Properties: []destkit.Field{
			{Key: "use_app_data", Label: "Send App Events?", Type: destkit.Boolean,
				Default:     `false`,
				Description: "Send the app fields with the event."},
			{Key: "advertiser_tracking_enabled", Label: "Advertiser Tracking Enabled", Type: destkit.Boolean,
				Description: "Whether the user allows ad tracking on the device (iOS ATT)."},
			{Key: "application_tracking_enabled", Label: "Application Tracking Enabled", Type: destkit.Boolean,
				Description: "Whether the app allows tracking."},
			{Key: "version", Label: "ExtInfo Version", Type: destkit.String,
				Choices:     []destkit.Choice{{Value: "i2", Label: "iOS"}, {Value: "a2", Label: "Android"}},
				Description: "Platform of the app (i2 for iOS, a2 for Android)."},
			{Key: "packageName", Label: "Package Name", Type: destkit.String,
				Description: "App package name."},
			{Key: "shortVersion", Label: "Short Version", Type: destkit.String,
				Description: "Short app version."},
			{Key: "longVersion", Label: "Long Version", Type: destkit.String,
				Description: "Full app version."},
			{Key: "osVersion", Label: "*Required for app events* OS Version", Type: destkit.String,
				Description: "Operating system version; required for app events."},
			{Key: "deviceName", Label: "Device Model Name", Type: destkit.String,
				Description: "Device model."},
			{Key: "madId", Label: "Advertiser ID (madid)", Type: destkit.String,
				Description: "Mobile advertiser ID."},
			{Key: "locale", Label: "Locale", Type: destkit.String,
				Description: "Device locale."},
			{Key: "timezone", Label: "Timezone Abbreviation", Type: destkit.String,
				Description: "Time zone abbreviation."},
			{Key: "carrier", Label: "Carrier Name", Type: destkit.String,
				Description: "Mobile carrier."},
			{Key: "width", Label: "Screen Width", Type: destkit.String,
				Description: "Screen width."},
			{Key: "height", Label: "Screen Height", Type: destkit.String,
				Description: "Screen height."},
			{Key: "density", Label: "Screen Density", Type: destkit.String,
				Description: "Screen density."},
			{Key: "cpuCores", Label: "CPU Cores", Type: destkit.String,
				Description: "Number of CPU cores."},
			{Key: "storageSize", Label: "Storage Size in GBs", Type: destkit.String,
				Description: "Storage size in GB."},
			{Key: "freeStorage", Label: "Free Storage in GBs", Type: destkit.String,
				Description: "Free storage in GB."},
			{Key: "deviceTimezone", Label: "Device Timezone", Type: destkit.String,
				Description: "Device time zone."},
		}}
	value = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number, Required: true,
		Default:     `{"@path":"$.properties.revenue"}`,
		Description: "Monetary value of the event."}
	valueAlt = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number,
		Default:     `{"@path":"$.properties.revenue"}`,
		Description: "Monetary value of the event."}
	valueAlt2 = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number,
		Default:     `{"@path":"$.properties.price"}`,
		Description: "Monetary value of the event."}
	valueAlt3 = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number,
		Description: "Monetary value of the event."}
	netRevenue = destkit.Field{Key: "net_revenue", Label: "Net Revenue", Type: destkit.Number,
		Description: "Revenue after costs."}
	contentIds = destkit.Field{Key: "content_ids", Label: "Content IDs", Type: destkit.String, Multiple: true,
		Description: "Product IDs of the event."}
	contentIdsAlt = destkit.Field{Key: "content_ids", Label: "Content IDs", Type: destkit.String, Multiple: true,
		Default:     `{"@path":"$.properties.product_id"}`,
		Description: "Product IDs of the event."}
	contentName = destkit.Field{Key: "content_name", Label: "Content Name", Type: destkit.String,
		Description: "Name of the page or product."}
	contentType = destkit.Field{Key: "content_type", Label: "Content Type", Type: destkit.String,
		Description: "product or product_group, matching content_ids."}
	contents = destkit.Field{Key: "contents", Label: "Contents", Type: destkit.Object, Multiple: true,
		Default:     `{"@arrayPath":["$.properties.products",{"id":{"@path":"$.product_id"},"quantity":{"@path":"$.quantity"},"item_price":{"@path":"$.price"}}]}`,
		Description: "Products with their quantities and prices.",
		Properties: []destkit.Field{
			{Key: "id", Label: "ID", Type: destkit.String,
				Description: "Product ID."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
				Description: "Number of items."},
			{Key: "item_price", Label: "Item Price", Type: destkit.Number,
				Description: "Unit price."},
			{Key: "delivery_category", Label: "Delivery Category", Type: destkit.String,
				Description: "How the product reaches the buyer."},
		}}
	contentsAlt = destkit.Field{Key: "contents", Label: "Contents", Type: destkit.Object, Multiple: true,
		Default:     `{"@arrayPath":["$.properties",{"id":{"@path":"$.product_id"},"quantity":{"@path":"$.quantity"},"item_price":{"@path":"$.price"}}]}`,
		Description: "Products with their quantities and prices.",
		Properties: []destkit.Field{
			{Key: "id", Label: "ID", Type: destkit.String,
				Description: "Product ID."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
				Description: "Number of items."},
			{Key: "item_price", Label: "Item Price", Type: destkit.Number,
				Description: "Unit price."},
			{Key: "delivery_category", Label: "Delivery Category", Type: destkit.String,
				Description: "How the product reaches the buyer."},
		}}
	eventID = destkit.Field{Key: "event_id", Label: "Event ID", Type: destkit.String,
		Default:     `{"@path":"$.messageId"}`,
		Description: "Deduplicates this event against the same event sent by the pixel."}
	eventSourceURL = destkit.Field{Key: "event_source_url", Label: "Event Source URL", Type: destkit.String,
		Default:     `{"@path":"$.context.page.url"}`,
		Description: "URL of the page where the event happened."}
	numItems = destkit.Field{Key: "num_items", Label: "Number of Items", Type: destkit.Integer,
		Description: "Number of items in the order or checkout."}
	customData = destkit.Field{Key: "custom_data", Label: "Custom Data", Type: destkit.Object,
		Description: "More event properties, sent in custom_data."}
	dataProcessingOptions = destkit.Field{Key: "data_processing_options", Label: "Data Processing Options", Type: destkit.Boolean,
		Description: "Processing options for limited data use (LDU)."}
	dataProcessingOptionsCountry = destkit.Field{Key: "data_processing_options_country", Label: "Data Processing Country", Type: destkit.Number,
		Choices:     []destkit.Choice{{Value: 0, Label: "Use Facebook’s Geolocation Logic"}, {Value: 1, Label: "United States of America"}},
		Description: "Country for limited data use: 0 lets Meta geolocate, 1 is the US."}
	dataProcessingOptionsState = destkit.Field{Key: "data_processing_options_state", Label: "Data Processing State", Type: destkit.Number,
		Choices:     []destkit.Choice{{Value: 0, Label: "Use Facebook’s Geolocation Logic"}, {Value: 1000, Label: "California"}, {Value: 1001, Label: "Colorado"}, {Value: 1002, Label: "Connecticut"}, {Value: 1003, Label: "Florida"}, {Value: 1004, Label: "Oregon"}, {Value: 1005, Label: "Texas"}, {Value: 1006, Label: "Montana"}, {Value: 1007, Label: "Delaware"}, {Value: 1008, Label: "Nebraska"}, {Value: 1009, Label: "New Hampshire"}, {Value: 1010, Label: "New Jersey"}},
		Description: "State for limited data use: 0 lets Meta geolocate, 1000 is California."}
	testEventCode = destkit.Field{Key: "test_event_code", Label: "Test Event Code", Type: destkit.String,
		Description: "Sends this event to Test Events in Events Manager."}
	contentCategory = destkit.Field{Key: "content_category", Label: "Content Category", Type: destkit.String,
		Description: "Category of the page or product."}
	searchString = destkit.Field{Key: "search_string", Label: "Search String", Type: destkit.String,
		Default:     `{"@path":"$.properties.query"}`,
		Description: "What the user searched for."}
	eventName = destkit.Field{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.event"}`,
		Description: "Name of the custom event."}
)
