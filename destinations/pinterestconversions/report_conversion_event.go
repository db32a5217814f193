package pinterestconversions

import (
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// ReportConversionEvent sends one conversion.
var ReportConversionEvent = &destkit.Action{
	Key:         "reportConversionEvent",
	Title:       "Report Conversion Event",
	Description: "Report a conversion to Pinterest; customer information is hashed before sending.",
	Fields: []destkit.Field{
		{Key: "data_format", Label: "Use Latest Fields", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "latest", Label: "Latest Fields"}, {Value: "legacy", Label: "Legacy Fields"}},
			Default:     `"latest"`,
			Description: "Which field set the event is built from: the latest fields (custom data, contents, app and device info) or the legacy ones."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "add_payment_info", Label: "Add Payment Info"}, {Value: "add_to_cart", Label: "Add to Cart"}, {Value: "add_to_wishlist", Label: "Add to Wishlist"}, {Value: "app_install", Label: "App Install"}, {Value: "app_open", Label: "App Open"}, {Value: "checkout", Label: "Checkout"}, {Value: "contact", Label: "Contact"}, {Value: "custom", Label: "Custom"}, {Value: "customize_product", Label: "Customize Product"}, {Value: "find_location", Label: "Find Location"}, {Value: "initiate_checkout", Label: "Initiate Checkout"}, {Value: "lead", Label: "Lead"}, {Value: "page_visit", Label: "Page Visit"}, {Value: "schedule", Label: "Schedule"}, {Value: "search", Label: "Search"}, {Value: "signup", Label: "Sign Up"}, {Value: "start_trial", Label: "Start Trial"}, {Value: "submit_application", Label: "Submit Application"}, {Value: "subscribe", Label: "Subscribe"}, {Value: "view_category", Label: "View Category"}, {Value: "view_content", Label: "View Content"}, {Value: "watch_video", Label: "Watch Video"}},
			Description: "Pinterest conversion event type; custom events use \"custom\"."},
		{Key: "action_source", Label: "Action Source", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "app_android", Label: "App Android"}, {Value: "app_ios", Label: "App IOS"}, {Value: "web", Label: "Web"}, {Value: "offline", Label: "Offline"}},
			Default:     `"web"`,
			Description: "Where the conversion happened: web, an Android or iOS app, or offline."},
		{Key: "event_time", Label: "Event Timestamp", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; sent as unix seconds."},
		{Key: "event_id", Label: "Event ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Unique ID of the event, which Pinterest uses to drop duplicates of the same conversion from the tag."},
		{Key: "event_source_url", Label: "Event Source URL", Type: destkit.String,
			Default:     `{"@path":"$.context.page.url"}`,
			Description: "URL of the page the event happened on."},
		{Key: "opt_out", Label: "Opt Out", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Whether the user opted out of ad personalisation."},
		{Key: "advertiser_tracking_enabled", Label: "Advertiser Tracking Enabled", Type: destkit.Boolean,
			Default:     `{"@path":"$.context.device.adTrackingEnabled"}`,
			Description: "Whether the user allows tracking on the device (iOS App Tracking Transparency)."},
		{Key: "user_data", Label: "User Data", Type: destkit.Object,
			Default:     `{"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.traits.email"}}},"client_ip_address":{"@path":"$.context.ip"},"client_user_agent":{"@path":"$.context.userAgent"}}`,
			Description: "Who the event is about; identifying values are normalised and hashed (SHA-256) before sending. It needs an email, a mobile ad ID, or both an IP address and a user agent.",
			Properties: []destkit.Field{
				{Key: "email", Label: "Email", Type: destkit.String, Multiple: true,
					Description: "Email addresses; normalised and hashed."},
				{Key: "hashed_maids", Label: "Mobile Ad Identifier", Type: destkit.String, Multiple: true,
					Description: "Mobile advertising IDs (IDFA, GAID); hashed."},
				{Key: "client_ip_address", Label: "Client IP Address", Type: destkit.String,
					Description: "IP address of the user's device; sent in the clear."},
				{Key: "client_user_agent", Label: "Client User Agent", Type: destkit.String,
					Description: "User agent of the user's browser; sent in the clear."},
				{Key: "phone", Label: "Phone Number", Type: destkit.String, Multiple: true,
					Description: "Phone numbers with country code; digits only, then hashed."},
				{Key: "first_name", Label: "First Name", Type: destkit.String, Multiple: true,
					Description: "First names; normalised and hashed."},
				{Key: "last_name", Label: "Last Name", Type: destkit.String, Multiple: true,
					Description: "Last names; normalised and hashed."},
				{Key: "external_id", Label: "External ID", Type: destkit.String, Multiple: true,
					Description: "Your identifiers of the user; normalised and hashed."},
				{Key: "gender", Label: "Gender", Type: destkit.String, Multiple: true,
					Description: "Genders (f, m or n; full words are shortened); hashed."},
				{Key: "date_of_birth", Label: "Date of Birth", Type: destkit.String, Multiple: true,
					Description: "Dates of birth as YYYYMMDD; hashed."},
				{Key: "city", Label: "City", Type: destkit.String, Multiple: true,
					Description: "Cities; normalised and hashed."},
				{Key: "state", Label: "State", Type: destkit.String, Multiple: true,
					Description: "Two-letter state codes; normalised and hashed."},
				{Key: "zip", Label: "Zip Code", Type: destkit.String, Multiple: true,
					Description: "Postal codes; normalised and hashed."},
				{Key: "country", Label: "Country", Type: destkit.String, Multiple: true,
					Description: "Two-letter country codes; normalised and hashed."},
				{Key: "click_id", Label: "Click ID", Type: destkit.String, AllowNull: true,
					Description: "Pinterest click ID (epik) from the ad click."},
				{Key: "partner_id", Label: "Partner ID", Type: destkit.String, AllowNull: true,
					Description: "Your partner ID of the user, as shared with Pinterest."},
			}},
		{Key: "custom_data", Label: "[Legacy] Custom Data", Type: destkit.Object,
			Default:     `{"value":{"@if":{"exists":{"@path":"$.properties.price"},"then":{"@path":"$.properties.price"},"else":{"@path":"$.properties.value"}}},"search_string":{"@path":"$.properties.query"},"order_id":{"@path":"$.properties.order_id"},"currency":{"@path":"$.properties.currency"}}`,
			Description: "[Legacy fields] Details of the conversion: value, currency, products, order.",
			Properties: []destkit.Field{
				{Key: "currency", Label: "Currency", Type: destkit.String,
					Description: "ISO 4217 currency code of the value."},
				{Key: "value", Label: "Value", Type: destkit.Number,
					Description: "Total value of the event (for a checkout, the price of all items)."},
				{Key: "content_ids", Label: "Content IDs", Type: destkit.String, Multiple: true,
					Description: "IDs of the products the event is about."},
				{Key: "contents", Label: "Product Info", Type: destkit.Object, Multiple: true,
					Description: "Products the event is about.",
					Properties:  productFields("ID")},
				{Key: "num_items", Label: "Number of Items", Type: destkit.Integer,
					Description: "Number of items in the event."},
				{Key: "order_id", Label: "Order ID", Type: destkit.String,
					Description: "Order ID; Pinterest uses it to drop duplicate checkouts."},
				{Key: "search_string", Label: "Search String", Type: destkit.String,
					Description: "Search query of a search event."},
				{Key: "opt_out_type", Label: "Opt Out Type", Type: destkit.String,
					Description: "Privacy opt-out types of the user; several may be separated by commas."},
				{Key: "content_brand", Label: "Content Brand", Type: destkit.String,
					Description: "Brand of the content."},
				{Key: "content_category", Label: "Content Category", Type: destkit.String,
					Description: "Category of the content."},
				{Key: "content_name", Label: "Content Name", Type: destkit.String,
					Description: "Name of the content."},
				{Key: "predicted_ltv", Label: "Predicted LTV", Type: destkit.Number,
					Description: "Predicted lifetime value of the customer."},
			}},
		{Key: "app_id", Label: "[Legacy] App ID", Type: destkit.String,
			Default:     `{"@path":"context.app.id"}`,
			Description: "ID of the app in its store."},
		{Key: "app_name", Label: "[Legacy] App Name", Type: destkit.String,
			RequiredIf:  &destkit.RequiredIf{Any: true, Conditions: []destkit.Condition{{FieldKey: "data_format", Operator: "is", Value: "legacy"}, {FieldKey: "data_format", Operator: "is"}}},
			Default:     `{"@path":"$.context.app.name"}`,
			Description: "Name of the app."},
		{Key: "app_version", Label: "[Legacy] App Version", Type: destkit.String,
			Default:     `{"@path":"$.context.app.version"}`,
			Description: "Version of the app."},
		{Key: "device_brand", Label: "[Legacy] Device Brand", Type: destkit.String,
			Default:     `{"@path":"$.context.device.brand"}`,
			Description: "Brand of the device."},
		{Key: "device_carrier", Label: "[Legacy] Device Carrier", Type: destkit.String,
			Default:     `{"@path":"context.device.carrier"}`,
			Description: "Mobile carrier of the device."},
		{Key: "device_model", Label: "[Legacy] Device Model", Type: destkit.String,
			Default:     `{"@path":"$.context.device.model"}`,
			Description: "Model of the device."},
		{Key: "device_type", Label: "[Legacy] Device Type", Type: destkit.String,
			Default:     `{"@path":"$.context.device.type"}`,
			Description: "Type of the device."},
		{Key: "os_version", Label: "[Legacy] OS Version", Type: destkit.String,
			Default:     `{"@path":"$.context.os.version"}`,
			Description: "Operating system version of the device."},
		{Key: "custom_data_2", Label: "Custom Data", Type: destkit.Object,
			Default:     `{"currency":{"@path":"$.properties.currency"},"value":{"@if":{"exists":{"@path":"$.properties.price"},"then":{"@path":"$.properties.price"},"else":{"@path":"$.properties.value"}}},"order_id":{"@path":"$.properties.order_id"},"search_string":{"@path":"$.properties.query"}}`,
			Description: "Details of the conversion: value, currency, order, search.",
			Properties: []destkit.Field{
				{Key: "currency", Label: "Currency", Type: destkit.String,
					Description: "ISO 4217 currency code of the value."},
				{Key: "value", Label: "Value", Type: destkit.Number,
					Description: "Total value of the event (for a checkout, the price of all items)."},
				{Key: "content_ids", Label: "Content IDs", Type: destkit.String, Multiple: true,
					Description: "IDs of the products the event is about."},
				{Key: "num_items", Label: "Number of Items", Type: destkit.Integer,
					Description: "Number of items in the event."},
				{Key: "order_id", Label: "Order ID", Type: destkit.String,
					Description: "Order ID; Pinterest uses it to drop duplicate checkouts."},
				{Key: "search_string", Label: "Search String", Type: destkit.String,
					Description: "Search query of a search event."},
				{Key: "opt_out_type", Label: "Opt Out Type", Type: destkit.String,
					Description: "Privacy opt-out types of the user; several may be separated by commas."},
				{Key: "content_brand", Label: "Content Brand", Type: destkit.String,
					Description: "Brand of the content."},
				{Key: "content_category", Label: "Content Category", Type: destkit.String,
					Description: "Category of the content."},
				{Key: "content_name", Label: "Content Name", Type: destkit.String,
					Description: "Name of the content."},
				{Key: "predicted_ltv", Label: "Predicted LTV", Type: destkit.Number,
					Description: "Predicted lifetime value of the customer."},
			}},
		{Key: "contents", Label: "Contents", Type: destkit.Object, Multiple: true,
			Default:     `{"@arrayPath":["$.properties.products",{"id":{"@path":"$.product_id"},"item_price":{"@path":"$.price"},"quantity":{"@path":"$.quantity"},"item_brand":{"@path":"$.brand"},"item_category":{"@path":"$.category"},"item_name":{"@path":"$.name"}}]}`,
			Description: "Products the event is about.",
			Properties:  productFields("Product ID")},
		{Key: "app_info", Label: "App Info", Type: destkit.Object,
			Default:     `{"app_name":{"@path":"$.context.app.name"},"app_package_name":{"@path":"$.context.app.namespace"},"app_version":{"@path":"$.context.app.version"},"user_agent":{"@path":"$.context.userAgent"},"window_height":{"@path":"$.context.screen.height"},"window_width":{"@path":"$.context.screen.width"}}`,
			Description: "The app the event came from.",
			Properties: []destkit.Field{
				{Key: "app_id", Label: "App ID", Type: destkit.String,
					Description: "ID of the app in its store."},
				{Key: "app_name", Label: "App Name", Type: destkit.String,
					Description: "Name of the app."},
				{Key: "app_package_name", Label: "App Package Name", Type: destkit.String,
					Description: "Package name or bundle ID of the app."},
				{Key: "app_store", Label: "App Store", Type: destkit.String,
					Description: "Store the app was installed from."},
				{Key: "app_version", Label: "App Version", Type: destkit.String,
					Description: "Version of the app."},
				{Key: "install_time", Label: "Install Time", Type: destkit.Datetime,
					Description: "When the app was installed; sent as unix seconds."},
				{Key: "user_agent", Label: "User Agent", Type: destkit.String,
					Description: "User agent of the app's web view."},
				{Key: "window_height", Label: "Window Height", Type: destkit.Integer,
					Description: "Height of the app window in pixels."},
				{Key: "window_width", Label: "Window Width", Type: destkit.Integer,
					Description: "Width of the app window in pixels."},
			}},
		{Key: "device_info", Label: "Device Info", Type: destkit.Object,
			Default:     `{"brand":{"@path":"$.context.device.manufacturer"},"carrier":{"@path":"$.context.network.carrier"},"model":{"@path":"$.context.device.model"},"type":{"@path":"$.context.device.type"},"os_version":{"@path":"$.context.os.version"},"locale":{"@path":"$.context.locale"},"screen_density":{"@path":"$.context.screen.density"},"screen_height":{"@path":"$.context.screen.height"},"screen_width":{"@path":"$.context.screen.width"},"timezone":{"@path":"$.context.timezone"}}`,
			Description: "The device the event came from.",
			Properties: []destkit.Field{
				{Key: "battery_level", Label: "Battery Level", Type: destkit.Integer,
					Description: "Battery level in percent."},
				{Key: "brand", Label: "Brand", Type: destkit.String,
					Description: "Brand of the device."},
				{Key: "carrier", Label: "Carrier", Type: destkit.String,
					Description: "Mobile carrier."},
				{Key: "cpu_cores", Label: "CPU Cores", Type: destkit.Integer,
					Description: "Number of CPU cores."},
				{Key: "external_storage_free_space", Label: "External Storage Free Space", Type: destkit.Integer,
					Description: "Free external storage in bytes."},
				{Key: "external_storage_size", Label: "External Storage Size", Type: destkit.Integer,
					Description: "Size of the external storage in bytes."},
				{Key: "form_factor", Label: "Form Factor", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "desktop", Label: "desktop"}, {Value: "laptop", Label: "laptop"}, {Value: "cellphone", Label: "cellphone"}, {Value: "tablet", Label: "tablet"}, {Value: "smartwatch", Label: "smartwatch"}, {Value: "tv", Label: "tv"}, {Value: "vr", Label: "vr"}, {Value: "console", Label: "console"}, {Value: "other", Label: "other"}},
					Default:     `"other"`,
					Description: "Form factor of the device."},
				{Key: "kernel_version", Label: "Kernel Version", Type: destkit.String,
					Description: "Kernel version of the operating system."},
				{Key: "languages", Label: "Languages", Type: destkit.String, Multiple: true,
					Description: "Languages of the device as two-letter ISO 639-1 codes."},
				{Key: "locale", Label: "Locale", Type: destkit.String,
					Description: "Locale of the device."},
				{Key: "model", Label: "Model", Type: destkit.String,
					Description: "Model of the device."},
				{Key: "network_type", Label: "Network Type", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "wifi", Label: "wifi"}, {Value: "cellular_2g", Label: "cellular_2g"}, {Value: "cellular_3g", Label: "cellular_3g"}, {Value: "cellular_4g", Label: "cellular_4g"}, {Value: "cellular_5g", Label: "cellular_5g"}, {Value: "cellular_6g", Label: "cellular_6g"}, {Value: "ethernet", Label: "ethernet"}, {Value: "unknown", Label: "unknown"}},
					Description: "Network the device is on."},
				{Key: "os_family", Label: "OS Family", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "ios", Label: "ios"}, {Value: "android", Label: "android"}, {Value: "macos", Label: "macos"}, {Value: "windows", Label: "windows"}, {Value: "linux", Label: "linux"}, {Value: "bsd", Label: "bsd"}, {Value: "other", Label: "other"}},
					Default:     `"other"`,
					Description: "Operating system family."},
				{Key: "os_name", Label: "OS Name", Type: destkit.String, Max: 100,
					Description: "Name of the operating system."},
				{Key: "os_release_name", Label: "OS Release Name", Type: destkit.String,
					Description: "Release name of the operating system."},
				{Key: "os_version", Label: "OS Version", Type: destkit.String, Max: 100,
					Description: "Operating system version of the device."},
				{Key: "screen_density", Label: "Screen Density", Type: destkit.Integer,
					Description: "Screen density in dots per inch."},
				{Key: "screen_height", Label: "Screen Height", Type: destkit.Integer,
					Description: "Screen height in pixels."},
				{Key: "screen_width", Label: "Screen Width", Type: destkit.Integer,
					Description: "Screen width in pixels."},
				{Key: "storage_free_space", Label: "Storage Free Space", Type: destkit.Integer,
					Description: "Free internal storage in bytes."},
				{Key: "storage_size", Label: "Storage Size", Type: destkit.Integer,
					Description: "Size of the internal storage in bytes."},
				{Key: "timezone", Label: "Timezone", Type: destkit.String,
					Description: "Time zone of the device."},
				{Key: "timezone_abbr", Label: "Timezone Abbreviation", Type: destkit.String,
					Description: "Abbreviated time zone of the device."},
				{Key: "type", Label: "Type", Type: destkit.String,
					Description: "Type of the device."},
			}},
		{Key: "wifi", Label: "Wifi", Type: destkit.Boolean,
			Default:     `{"@path":"$.context.network.wifi"}`,
			Description: "Whether the device was on Wi-Fi."},
		{Key: "language", Label: "Language", Type: destkit.String,
			Description: "Two-letter ISO 639-1 language code of the user."},
	},
	Perform: reportConversionEvent,
}

// get returns the value at path, treating null as absent.
func get(p *fastjson.Value, path ...string) *fastjson.Value {
	v := p.Get(path...)
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil
	}
	return v
}

func text(v *fastjson.Value) string {
	if v == nil || v.Type() != fastjson.TypeString {
		return ""
	}
	return string(v.GetStringBytes())
}

func gender(s string) string {
	switch g := destkit.LowerNoSpace(s); g {
	case "male":
		return "m"
	case "female":
		return "f"
	case "non-binary":
		return "n"
	default:
		return g
	}
}

// userFields are the hashed user_data lists: payload key, Pinterest key
// and normalisation, in the order Pinterest's body lists them.
var userFields = []struct {
	field, key string
	clean      func(string) string
}{
	{"email", "em", destkit.LowerNoSpace}, {"phone", "ph", destkit.Digits}, {"gender", "ge", gender}, {"date_of_birth", "db", destkit.LowerNoSpace},
	{"last_name", "ln", destkit.LowerNoSpace}, {"first_name", "fn", destkit.LowerNoSpace}, {"city", "ct", destkit.LowerNoSpace}, {"state", "st", destkit.LowerNoSpace},
	{"zip", "zp", destkit.LowerNoSpace}, {"country", "country", destkit.LowerNoSpace}, {"external_id", "external_id", destkit.LowerNoSpace},
}

func reportConversionEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	for _, k := range []string{"event_name", "action_source", "event_id"} {
		if text(get(p, k)) == "" {
			return nil, destkit.ValidationErrorf(k, "The root value is missing the required field '%s'.", k)
		}
	}
	ud := func(k string) *fastjson.Value { return get(p, "user_data", k) }
	if len(ud("email").GetArray()) == 0 && len(ud("hashed_maids").GetArray()) == 0 &&
		(!destkit.Truthy(ud("client_ip_address")) || !destkit.Truthy(ud("client_user_agent"))) {
		return nil, destkit.ValidationErrorf("user_data", "User data must contain values for Email or Phone Number or Mobile Ad Identifier or both IP Address and User Agent fields")
	}
	t, ok := destkit.ParseJSDate(get(p, "event_time"))
	if !ok {
		return nil, destkit.ValidationErrorf("event_time", "Event Timestamp must be a date and time.")
	}
	latest := text(get(p, "data_format")) == "latest"

	w := destkit.NewJSONWriter(make([]byte, 0, 2048))
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	w.ObjectStart()
	w.Field("event_name", get(p, "event_name"))
	w.Field("action_source", get(p, "action_source"))
	w.Key("event_time")
	w.Int(t.Unix())
	w.Field("event_id", get(p, "event_id"))
	w.Field("event_source_url", get(p, "event_source_url"))
	w.Key("partner_name")
	w.String(partnerName)
	w.Field("opt_out", get(p, "opt_out"))
	w.Field("advertiser_tracking_enabled", get(p, "advertiser_tracking_enabled"))
	if err := writeUserData(w, p); err != nil {
		return nil, err
	}
	w.Key("custom_data")
	if latest {
		writeCustomData(w, get(p, "custom_data_2"), get(p, "contents"))
	} else {
		writeCustomData(w, get(p, "custom_data"), get(p, "custom_data", "contents"))
	}
	if !latest {
		for _, k := range []string{"app_id", "app_name", "app_version"} {
			w.Field(k, get(p, k))
		}
	} else {
		writeAppInfo(w, get(p, "app_info"))
	}
	if !latest {
		for _, k := range []string{"device_brand", "device_carrier", "device_model", "device_type", "os_version"} {
			w.Field(k, get(p, k))
		}
	} else if err := writeDeviceInfo(w, get(p, "device_info")); err != nil {
		return nil, err
	}
	w.Field("wifi", get(p, "wifi"))
	w.Field("language", get(p, "language"))
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", eventsURL(in.Settings), w.Bytes())}, nil
}

func writeUserData(w *destkit.JSONWriter, p *fastjson.Value) error {
	w.Key("user_data")
	w.ObjectStart()
	list := func(key, field string, clean func(string) string) error {
		v := get(p, "user_data", field)
		if v == nil {
			return nil
		}
		w.Key(key)
		w.ArrayStart()
		for _, e := range v.GetArray() {
			d, ok := destkit.HashSHA256(text(e), clean)
			if !ok {
				return destkit.ValidationErrorf("user_data."+field, "A value of %s is empty once normalised and cannot be hashed.", field)
			}
			w.String(d)
		}
		w.ArrayEnd()
		return nil
	}
	for _, f := range userFields {
		if err := list(f.key, f.field, f.clean); err != nil {
			return err
		}
	}
	w.Field("client_ip_address", get(p, "user_data", "client_ip_address"))
	w.Field("client_user_agent", get(p, "user_data", "client_user_agent"))
	if err := list("hashed_maids", "hashed_maids", destkit.LowerNoSpace); err != nil {
		return err
	}
	// Click and partner IDs may be null on purpose.
	w.Field("click_id", p.Get("user_data", "click_id"))
	w.Field("partner_id", p.Get("user_data", "partner_id"))
	w.ObjectEnd()
	return nil
}

// customKeys are the custom data fields after value, in Pinterest's order;
// contents is written from its own source.
var customKeys = []string{"content_ids", "contents", "num_items", "order_id", "search_string", "opt_out_type",
	"content_brand", "content_category", "content_name"}

// writeCustomData writes custom data with value, item prices and the
// predicted LTV as text, and the partner name.
func writeCustomData(w *destkit.JSONWriter, cd, contents *fastjson.Value) {
	w.ObjectStart()
	w.Field("currency", get(cd, "currency"))
	writeNumberText(w, "value", get(cd, "value"))
	for _, k := range customKeys {
		if k != "contents" {
			w.Field(k, get(cd, k))
			continue
		}
		if contents == nil {
			continue
		}
		w.Key("contents")
		w.ArrayStart()
		for _, item := range contents.GetArray() {
			w.ObjectStart()
			if o, err := item.Object(); err == nil {
				o.Visit(func(k []byte, v *fastjson.Value) {
					if string(k) == "item_price" {
						writeNumberText(w, "item_price", v)
						return
					}
					w.Key(string(k))
					w.Value(v)
				})
			}
			w.ObjectEnd()
		}
		w.ArrayEnd()
	}
	writeNumberText(w, "predicted_ltv", get(cd, "predicted_ltv"))
	w.Key("np")
	w.String(partnerName)
	w.ObjectEnd()
}

// writeNumberText writes a number as JavaScript's String(n) renders it,
// and nothing for anything else.
func writeNumberText(w *destkit.JSONWriter, key string, v *fastjson.Value) {
	if v != nil && v.Type() == fastjson.TypeNumber {
		w.Key(key)
		w.String(string(destkit.AppendJSNumber(nil, v.GetFloat64())))
	}
}

// installTime reads an install time as unix seconds: numbers and digit
// strings as they are, dates converted; nil when it does not parse.
func installTime(v *fastjson.Value) *fastjson.Value {
	if v == nil {
		return nil
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		return v
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		if s == "" {
			return nil
		}
		if allDigits(s) {
			f, _ := strconv.ParseFloat(s, 64)
			return fastjson.MustParse(string(destkit.AppendJSNumber(nil, f)))
		}
		if t, ok := destkit.ParseJSDateString(s); ok {
			return fastjson.MustParse(strconv.FormatInt(t.Unix(), 10))
		}
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// writeAppInfo writes the app info with the install time in unix seconds,
// or nothing when no value is set.
func writeAppInfo(w *destkit.JSONWriter, ai *fastjson.Value) {
	if ai == nil || ai.Type() != fastjson.TypeObject {
		return
	}
	o := ai.GetObject()
	var body destkit.JSONWriter
	body.ObjectStart()
	n := 0
	o.Visit(func(k []byte, v *fastjson.Value) {
		if string(k) == "install_time" {
			v = installTime(v)
		}
		if v == nil || v.Type() == fastjson.TypeNull {
			return
		}
		body.Key(string(k))
		body.Value(v)
		n++
	})
	body.ObjectEnd()
	if n > 0 {
		w.Key("app_info")
		w.Raw(body.Bytes())
	}
}

// writeDeviceInfo writes the device info as it is when any value is set,
// after checking its languages are two-letter codes.
func writeDeviceInfo(w *destkit.JSONWriter, di *fastjson.Value) error {
	if di == nil || di.Type() != fastjson.TypeObject {
		return nil
	}
	o := di.GetObject()
	content := false
	o.Visit(func(_ []byte, v *fastjson.Value) { content = content || v.Type() != fastjson.TypeNull })
	if !content {
		return nil
	}
	for _, l := range o.Get("languages").GetArray() {
		if l.Type() != fastjson.TypeString || jsvalue.UTF16Len(string(l.GetStringBytes())) != 2 {
			return destkit.ValidationErrorf("device_info.languages", "Device Info languages must each be a 2-character ISO 639-1 code. Received invalid value: %q.", destkit.JSString(l))
		}
	}
	w.Key("device_info")
	w.Value(di)
	return nil
}

// productFields are the fields of one product in "contents"; the legacy custom data's copy
// labels the id differently, as the reference does.
func productFields(idLabel string) []destkit.Field {
	return []destkit.Field{
		{Key: "id", Label: idLabel, Type: destkit.String,
			Description: "Product ID."},
		{Key: "item_price", Label: "Price", Type: destkit.Number,
			Description: "Price of one item; sent as text."},
		{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
			Description: "Number of items."},
		{Key: "item_brand", Label: "Item Brand", Type: destkit.String,
			Description: "Brand of the product."},
		{Key: "item_brand_id", Label: "Item Brand ID", Type: destkit.String, Max: 64,
			Description: "Brand ID of the product (at most 64 characters)."},
		{Key: "item_category", Label: "Item Category", Type: destkit.String,
			Description: "Category of the product."},
		{Key: "item_name", Label: "Item Name", Type: destkit.String,
			Description: "Name of the product."},
	}
}
