package snapconversionsapi

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// ReportConversionEvent sends one conversion.
var ReportConversionEvent = &destkit.Action{
	Key:         "reportConversionEvent",
	Title:       "Report Conversion Event",
	Description: "Report a conversion to Snapchat; customer information is hashed before sending.",
	Fields: []destkit.Field{
		{Key: "event_name", Label: "Event Name", Type: destkit.String,
			Description: "Snap conversion event type (PURCHASE, PAGE_VIEW, SIGN_UP, ...) or a custom event name."},
		{Key: "event_id", Label: "Event ID", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Unique ID of the event, which Snap uses to drop duplicates sent by both the pixel and this API."},
		{Key: "event_time", Label: "Event Timestamp", Type: destkit.String,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened (ISO 8601 or unix time); sent as epoch milliseconds when it parses as a date."},
		{Key: "action_source", Label: "Action Source", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "email", Label: "EMAIL"}, {Value: "website", Label: "WEBSITE"}, {Value: "app", Label: "APP"}, {Value: "phone_call", Label: "PHONE CALL"}, {Value: "chat", Label: "CHAT"}, {Value: "physical_store", Label: "PHYSICAL STORE"}, {Value: "system_generated", Label: "SYSTEM GENERATED"}, {Value: "other", Label: "OTHER"}},
			Description: "Where the conversion happened: website, app, or offline."},
		{Key: "user_data", Label: "User Data", Type: destkit.Object,
			Default:     `{"externalId":{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}},"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.traits.email"}}},"phone":{"@if":{"exists":{"@path":"$.properties.phone"},"then":{"@path":"$.properties.phone"},"else":{"@path":"$.traits.phone"}}},"gender":{"@if":{"exists":{"@path":"$.context.traits.gender"},"then":{"@path":"$.context.traits.gender"},"else":{"@path":"$.properties.gender"}}},"dateOfBirth":{"@if":{"exists":{"@path":"$.context.traits.birthday"},"then":{"@path":"$.context.traits.birthday"},"else":{"@path":"$.properties.birthday"}}},"lastName":{"@if":{"exists":{"@path":"$.context.traits.last_name"},"then":{"@path":"$.context.traits.last_name"},"else":{"@path":"$.properties.last_name"}}},"firstName":{"@if":{"exists":{"@path":"$.context.traits.first_name"},"then":{"@path":"$.context.traits.first_name"},"else":{"@path":"$.properties.first_name"}}},"city":{"@if":{"exists":{"@path":"$.context.traits.address.city"},"then":{"@path":"$.context.traits.address.city"},"else":{"@path":"$.properties.address.city"}}},"state":{"@if":{"exists":{"@path":"$.context.traits.address.state"},"then":{"@path":"$.context.traits.address.state"},"else":{"@path":"$.properties.address.state"}}},"country":{"@if":{"exists":{"@path":"$.context.traits.address.country"},"then":{"@path":"$.context.traits.address.country"},"else":{"@path":"$.properties.address.country"}}},"zip":{"@if":{"exists":{"@path":"$.context.traits.address.postalCode"},"then":{"@path":"$.context.traits.address.postalCode"},"else":{"@path":"$.properties.address.postalCode"}}},"client_ip_address":{"@path":"$.context.ip"},"client_user_agent":{"@path":"$.context.userAgent"},"idfv":{"@path":"$.context.device.id"},"madid":{"@path":"$.context.device.advertisingId"},"sc_click_id":{"@path":"$.integrations.Snap Conversions Api.click_id"},"sc_cookie1":{"@path":"$.integrations.Snap Conversions Api.uuid_c1"}}`,
			Description: "Who the event is about; identifying values are normalised and hashed (SHA-256). It needs an email, a phone number, a mobile ad ID, or both an IP address and a user agent.",
			Properties: []destkit.Field{
				{Key: "externalId", Label: "External ID", Type: destkit.String, Multiple: true,
					Description: "Your identifiers of the user; normalised and hashed."},
				{Key: "email", Label: "Email", Type: destkit.String,
					Description: "Email address; normalised and hashed."},
				{Key: "phone", Label: "Phone", Type: destkit.String,
					Description: "Phone number with country code; digits only, then hashed."},
				{Key: "gender", Label: "Gender", Type: destkit.String,
					Description: "Gender (m or f; full words are shortened); hashed."},
				{Key: "dateOfBirth", Label: "Date of Birth", Type: destkit.String,
					Description: "Date of birth as YYYYMMDD; hashed."},
				{Key: "lastName", Label: "Last Name", Type: destkit.String,
					Description: "Last name; normalised and hashed."},
				{Key: "firstName", Label: "First Name", Type: destkit.String,
					Description: "First name; normalised and hashed."},
				{Key: "city", Label: "City", Type: destkit.String,
					Description: "City; normalised and hashed."},
				{Key: "state", Label: "State", Type: destkit.String,
					Description: "State or two-letter code; normalised, US names turned into codes, then hashed."},
				{Key: "zip", Label: "Zip Code", Type: destkit.String,
					Description: "Postal code; normalised and hashed."},
				{Key: "country", Label: "Country", Type: destkit.String,
					Description: "Country or two-letter code; normalised, names turned into codes, then hashed."},
				{Key: "client_ip_address", Label: "Client IP Address", Type: destkit.String,
					Description: "IP address of the device; sent in the clear."},
				{Key: "client_user_agent", Label: "Client User Agent", Type: destkit.String,
					Description: "User agent of the browser; sent in the clear."},
				{Key: "subscriptionID", Label: "Subscription ID", Type: destkit.String,
					Description: "Subscription ID of the user."},
				{Key: "leadID", Label: "Lead ID", Type: destkit.Integer,
					Description: "Lead ID from Snap lead ads."},
				{Key: "madid", Label: "Mobile Ad Identifier", Type: destkit.String,
					Description: "Mobile advertising ID (IDFA or GAID); sent lower-cased."},
				{Key: "sc_click_id", Label: "Click ID", Type: destkit.String,
					Description: "Snap click ID (ScCid) from the ad click."},
				{Key: "sc_cookie1", Label: "uuid_c1 Cookie", Type: destkit.String,
					Description: "The _scid cookie of the Snap pixel."},
				{Key: "idfv", Label: "Identifier for Vendor", Type: destkit.String,
					Description: "Identifier for Vendor of the iOS device."},
			}},
		{Key: "app_data", Label: "App Data", Type: destkit.Object,
			Default:     `{"application_tracking_enabled":{"@path":"$.context.device.adTrackingEnabled"},"packageName":{"@path":"$.context.app.namespace"},"longVersion":{"@path":"$.context.app.version"},"osVersion":{"@path":"$.context.os.version"},"deviceName":{"@path":"$.context.device.model"},"locale":{"@path":"$.context.locale"},"carrier":{"@path":"$.context.network.carrier"},"width":{"@path":"$.context.screen.width"},"height":{"@path":"$.context.screen.height"},"density":{"@path":"$.context.screen.density"},"deviceTimezone":{"@path":"$.context.timezone"}}`,
			Description: "App and device details, sent for app events only.",
			Properties: []destkit.Field{
				{Key: "advertiser_tracking_enabled", Label: "Advertiser Tracking Enabled", Type: destkit.Boolean,
					Description: "Whether the user allows ad tracking on the device (iOS App Tracking Transparency)."},
				{Key: "application_tracking_enabled", Label: "Application Tracking Enabled", Type: destkit.Boolean,
					Description: "Whether the app allows tracking."},
				{Key: "version", Label: "ExtInfo Version", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "i2", Label: "iOS"}, {Value: "a2", Label: "Android"}},
					Description: "ExtInfo version: i2 for iOS, a2 for Android; derived from the App ID setting when empty."},
				{Key: "packageName", Label: "Package Name", Type: destkit.String,
					Description: "Package name or bundle ID of the app."},
				{Key: "shortVersion", Label: "Short Version", Type: destkit.String,
					Description: "Short version of the app."},
				{Key: "longVersion", Label: "Long Version", Type: destkit.String,
					Description: "Long version of the app."},
				{Key: "osVersion", Label: "*Required for app events* OS Version", Type: destkit.String,
					Description: "Operating system version; required for app events."},
				{Key: "deviceName", Label: "Device Model Name", Type: destkit.String,
					Description: "Model of the device."},
				{Key: "locale", Label: "Locale", Type: destkit.String,
					Description: "Locale of the device."},
				{Key: "timezone", Label: "Timezone Abbreviation", Type: destkit.String,
					Description: "Abbreviated time zone of the device."},
				{Key: "carrier", Label: "Carrier Name", Type: destkit.String,
					Description: "Mobile carrier."},
				{Key: "width", Label: "Screen Width", Type: destkit.String,
					Description: "Screen width in pixels."},
				{Key: "height", Label: "Screen Height", Type: destkit.String,
					Description: "Screen height in pixels."},
				{Key: "density", Label: "Screen Density", Type: destkit.String,
					Description: "Screen density."},
				{Key: "cpuCores", Label: "CPU Cores", Type: destkit.String,
					Description: "Number of CPU cores."},
				{Key: "storageSize", Label: "Storage Size in GBs", Type: destkit.String,
					Description: "Storage size in GB."},
				{Key: "freeStorage", Label: "Free Storage in GBs", Type: destkit.String,
					Description: "Free storage in GB."},
				{Key: "deviceTimezone", Label: "Device Timezone", Type: destkit.String,
					Description: "Time zone of the device."},
			}},
		{Key: "custom_data", Label: "Custom Data", Type: destkit.Object,
			Default:     `{"currency":{"@path":"$.properties.currency"},"num_items":{"@path":"$.properties.quantity"},"order_id":{"@path":"$.properties.order_id"},"search_string":{"@path":"$.properties.query"},"value":{"@if":{"exists":{"@path":"$.properties.revenue"},"then":{"@path":"$.properties.revenue"},"else":{"@path":"$.properties.total"}}}}`,
			Description: "Details of the conversion: value, currency, order, travel fields.",
			Properties: []destkit.Field{
				{Key: "currency", Label: "Currency", Type: destkit.String,
					Description: "ISO 4217 currency code of the value."},
				{Key: "num_items", Label: "Number of Items", Type: destkit.Integer,
					Description: "Number of items."},
				{Key: "order_id", Label: "Order ID", Type: destkit.String,
					Description: "Order ID."},
				{Key: "search_string", Label: "Search String", Type: destkit.String,
					Description: "Search query."},
				{Key: "sign_up_method", Label: "Sign Up Method", Type: destkit.String,
					Description: "Sign-up method."},
				{Key: "value", Label: "Value", Type: destkit.Number,
					Description: "Value of the conversion."},
				{Key: "checkin_date", Label: "Check-In Date", Type: destkit.String,
					Description: "Hotel check-in date."},
				{Key: "travel_end", Label: "Travel End", Type: destkit.String,
					Description: "End date of the trip."},
				{Key: "travel_start", Label: "Travel Start", Type: destkit.String,
					Description: "Start date of the trip."},
				{Key: "suggested_destinations", Label: "Suggests Destinations", Type: destkit.String,
					Description: "Destinations suggested to the user."},
				{Key: "destination_airport", Label: "Destination Airport", Type: destkit.String,
					Description: "IATA code of the destination airport."},
				{Key: "country", Label: "Country", Type: destkit.String,
					Description: "Country of the trip or venue."},
				{Key: "city", Label: "City", Type: destkit.String,
					Description: "City of the trip or venue."},
				{Key: "region", Label: "Region", Type: destkit.String,
					Description: "Region of the trip or venue."},
				{Key: "neighborhood", Label: "Neighborhood", Type: destkit.String,
					Description: "Neighbourhood of the venue."},
				{Key: "departing_departure_date", Label: "Departing Departure Date", Type: destkit.String,
					Description: "Departure date of the outbound flight."},
				{Key: "departing_arrival_date", Label: "Departing Arrival Date", Type: destkit.String,
					Description: "Arrival date of the outbound flight."},
				{Key: "num_adults", Label: "Num Adults", Type: destkit.Integer,
					Description: "Number of adults travelling."},
				{Key: "origin_airport", Label: "Origin Airport", Type: destkit.String,
					Description: "IATA code of the origin airport."},
				{Key: "returning_departure_date", Label: "Returning Departure Date", Type: destkit.String,
					Description: "Departure date of the return flight."},
				{Key: "returning_arrival_date", Label: "Returning Arrival Date", Type: destkit.String,
					Description: "Arrival date of the return flight."},
				{Key: "num_children", Label: "Num Children", Type: destkit.Integer,
					Description: "Number of children travelling."},
				{Key: "hotel_score", Label: "Hotel Score", Type: destkit.String,
					Description: "Rating of the hotel."},
				{Key: "postal_code", Label: "Postal Code", Type: destkit.String,
					Description: "Postal code of the venue."},
				{Key: "num_infants", Label: "Num Infants", Type: destkit.Integer,
					Description: "Number of infants travelling."},
				{Key: "preferred_neighborhoods", Label: "Preferred Neighborhoods", Type: destkit.String,
					Description: "Neighbourhoods the user prefers."},
				{Key: "preferred_star_ratings", Label: "Preferred Star Ratings", Type: destkit.String,
					Description: "Star ratings the user prefers."},
				{Key: "suggested_hotels", Label: "Suggested Hotels", Type: destkit.String,
					Description: "Hotels suggested to the user."},
			}},
		{Key: "data_processing_options", Label: "Data Processing Options", Type: destkit.Boolean,
			Description: "Apply Limited Data Use (LDU) to the event."},
		{Key: "data_processing_options_country", Label: "Data Processing Country", Type: destkit.Number,
			Choices:     []destkit.Choice{{Value: 0, Label: "Use Snapchat's Geolocation Logic"}, {Value: 1, Label: "United States of America"}},
			Description: "Country for Limited Data Use: 0 lets Snap geolocate the event, 1 is the United States."},
		{Key: "data_processing_options_state", Label: "Data Processing State", Type: destkit.Number,
			Choices:     []destkit.Choice{{Value: 0, Label: "Use Snapchat's Geolocation Logic"}, {Value: 1000, Label: "California"}},
			Description: "State for Limited Data Use: 0 lets Snap geolocate the event, 1000 is California."},
		{Key: "event_source_url", Label: "Event Source URL", Type: destkit.String,
			Default:     `{"@path":"$.context.page.url"}`,
			Description: "URL of the page the event happened on."},
		{Key: "products", Label: "Products", Type: destkit.Object, Multiple: true,
			Default:     `{"@arrayPath":["$.properties.products",{"item_id":{"@path":"product_id"},"item_category":{"@path":"category"},"brand":{"@path":"brand"}}]}`,
			Description: "Products the event is about; their IDs, categories and brands fill the custom data.",
			Properties: []destkit.Field{
				{Key: "item_id", Label: "Item ID", Type: destkit.String,
					Description: "Product ID."},
				{Key: "item_category", Label: "Category", Type: destkit.String,
					Description: "Product category."},
				{Key: "brand", Label: "Brand", Type: destkit.String,
					Description: "Product brand."},
			}},
		{Key: "brands", Label: "[Deprecated] Brand", Type: destkit.String, Multiple: true,
			Description: "[Deprecated] Brands of the products."},
		{Key: "click_id", Label: "[Deprecated] Click ID", Type: destkit.String,
			Description: "[Deprecated] Snap click ID (ScCid) from the ad click."},
		{Key: "client_dedup_id", Label: "[Deprecated] Client Deduplication ID", Type: destkit.String,
			Description: "[Deprecated] Deduplication ID of the event."},
		{Key: "currency", Label: "[Deprecated] Currency", Type: destkit.String,
			Description: "[Deprecated] ISO 4217 currency code of the price."},
		{Key: "description", Label: "[Deprecated] Description", Type: destkit.String,
			Description: "[Deprecated] Free text about the event; accepted, but the v3 API has no place for it and it is not sent."},
		{Key: "device_model", Label: "[Deprecated] Device Model", Type: destkit.String,
			Description: "[Deprecated] Model of the device."},
		{Key: "email", Label: "[Deprecated] Email", Type: destkit.String,
			Description: "[Deprecated] Email address of the user; hashed."},
		{Key: "event_conversion_type", Label: "[Deprecated] Event Conversion Type", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "OFFLINE", Label: "Offline"}, {Value: "WEB", Label: "Web"}, {Value: "MOBILE_APP", Label: "Mobile App"}},
			Description: "[Deprecated] Where the conversion happened: WEB, MOBILE_APP or OFFLINE."},
		{Key: "event_tag", Label: "[Deprecated] Event Tag", Type: destkit.String,
			Description: "[Deprecated] Custom tag of the event; not sent by the v3 API."},
		{Key: "event_type", Label: "[Deprecated] Event Type", Type: destkit.String,
			Description: "[Deprecated] Snap event type."},
		{Key: "idfv", Label: "[Deprecated] Identifier for Vendor", Type: destkit.String,
			Description: "[Deprecated] Identifier for Vendor of the iOS device."},
		{Key: "ip_address", Label: "[Deprecated] IP Address", Type: destkit.String,
			Description: "[Deprecated] IP address of the device."},
		{Key: "item_category", Label: "[Deprecated] Item Category", Type: destkit.String,
			Description: "[Deprecated] Categories of the items, separated by commas or semicolons."},
		{Key: "item_ids", Label: "[Deprecated] Item ID", Type: destkit.String,
			Description: "[Deprecated] IDs of the items, separated by commas or semicolons."},
		{Key: "level", Label: "[Deprecated] Level", Type: destkit.String,
			Description: "[Deprecated] Game level reached; not sent by the v3 API."},
		{Key: "mobile_ad_id", Label: "[Deprecated] Mobile Ad Identifier", Type: destkit.String,
			Description: "[Deprecated] Mobile advertising ID of the device."},
		{Key: "number_items", Label: "[Deprecated] Number of Items", Type: destkit.String,
			Description: "[Deprecated] Number of items."},
		{Key: "os_version", Label: "[Deprecated] OS Version", Type: destkit.String,
			Description: "[Deprecated] Operating system version of the device."},
		{Key: "page_url", Label: "[Deprecated] Page URL", Type: destkit.String,
			Description: "[Deprecated] URL of the page."},
		{Key: "phone_number", Label: "[Deprecated] Phone Number", Type: destkit.String,
			Description: "[Deprecated] Phone number of the user; hashed."},
		{Key: "price", Label: "[Deprecated] Price", Type: destkit.Number,
			Description: "[Deprecated] Value of the conversion."},
		{Key: "search_string", Label: "[Deprecated] Search String", Type: destkit.String,
			Description: "[Deprecated] Search query."},
		{Key: "sign_up_method", Label: "[Deprecated] Sign Up Method", Type: destkit.String,
			Description: "[Deprecated] Sign-up method."},
		{Key: "timestamp", Label: "[Deprecated] Event Timestamp", Type: destkit.String,
			Description: "[Deprecated] When the event happened."},
		{Key: "transaction_id", Label: "[Deprecated] Transaction ID", Type: destkit.String,
			Description: "[Deprecated] Transaction or order ID."},
		{Key: "user_agent", Label: "[Deprecated] User Agent", Type: destkit.String,
			Description: "[Deprecated] User agent of the browser."},
		{Key: "uuid_c1", Label: "[Deprecated] uuid_c1 Cookie", Type: destkit.String,
			Description: "[Deprecated] The _scid cookie of the Snap pixel."},
	},
	Perform: reportConversionEvent,
}

// get returns the value at path, treating null as absent (Segment's ??).
func get(p *fastjson.Value, path ...string) *fastjson.Value {
	v := p.Get(path...)
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil
	}
	return v
}

// either is a ?? b.
func either(a, b *fastjson.Value) *fastjson.Value {
	if a != nil {
		return a
	}
	return b
}

// text is the string a payload value holds (strings only; validation has
// already turned numbers into strings for string fields).
func text(v *fastjson.Value) (string, bool) {
	if v == nil || v.Type() != fastjson.TypeString {
		return "", false
	}
	return string(v.GetStringBytes()), true
}

// trimmed is Segment's emptyStringToUndefined: the trimmed text, or absent
// when blank.
func trimmed(v *fastjson.Value) (string, bool) {
	s, ok := text(v)
	s = jsvalue.Trim(s)
	return s, ok && s != ""
}

// phoneDigits drops leading zeros of the raw value, then every non-digit.
func phoneDigits(s string) string {
	return destkit.Digits(strings.TrimLeft(s, "0"))
}

func gender(s string) string {
	switch g := destkit.LowerNoSpace(s); g {
	case "male":
		return "m"
	case "female":
		return "f"
	default:
		return g
	}
}

func state(s string) string {
	n := destkit.LowerNoSpace(s)
	if c, ok := usStates[n]; ok {
		return c
	}
	return n
}

func country(s string) string {
	n := destkit.LowerNoSpace(s)
	if c, ok := countries[n]; ok {
		return c
	}
	return n
}

// hasher hashes user fields given as payload values; a field that is not text is absent.
type hasher struct{ destkit.Hasher }

func (h *hasher) hash(field string, v *fastjson.Value, clean func(string) string) (string, bool) {
	s, ok := text(v)
	if !ok {
		return "", false
	}
	return h.Hash(field, s, clean), true
}

var digitsOnly = regexp.MustCompile(`^[0-9]+$`)

// jsParseInt is JavaScript's parseInt(s) for decimal text: leading
// whitespace, an optional sign and digits up to the first other character.
func jsParseInt(s string) (float64, bool) {
	s = strings.TrimLeftFunc(s, jsvalue.IsSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		n := 0
		for n+2 < len(s) && isHex(s[n+2]) {
			n++
		}
		if n == 0 {
			return 0, false
		}
		u, err := strconv.ParseUint(s[2:2+n], 16, 64)
		f := float64(u)
		if err != nil {
			f = math.Inf(1)
		}
		if neg {
			f = -f
		}
		return f, true
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		return 0, false
	}
	f, _ := strconv.ParseFloat(s[:n], 64)
	if neg {
		f = -f
	}
	return f, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func safeInteger(f float64) bool { return f == math.Trunc(f) && math.Abs(f) <= 1<<53-1 }

// eventTime is Segment's reading of the event time: Date.parse as epoch
// milliseconds, else the leading integer (unix time as typed).
func eventTime(v *fastjson.Value) (int64, bool) {
	if v == nil {
		return 0, false
	}
	if v.Type() == fastjson.TypeNumber {
		if f := v.GetFloat64(); safeInteger(f) {
			return int64(f), true
		}
	}
	s, ok := text(v)
	if !ok {
		return 0, false
	}
	if t, ok := destkit.ParseJSDateString(s); ok {
		return t.UnixMilli(), true
	}
	if f, ok := jsParseInt(s); ok && safeInteger(f) {
		return int64(f), true
	}
	return 0, false
}

// actionSource reads action_source, falling back to the deprecated
// event_conversion_type.
func actionSource(p *fastjson.Value) (string, bool) {
	if s, ok := trimmed(get(p, "action_source")); ok {
		if s == "website" || s == "app" {
			return s, true
		}
		return "OFFLINE", true
	}
	switch s, _ := text(get(p, "event_conversion_type")); s {
	case "WEB":
		return "website", true
	case "MOBILE_APP":
		return "app", true
	case "OFFLINE":
		return "OFFLINE", true
	}
	return "", false
}

func reportConversionEvent(in *destkit.Input) ([]destkit.Request, error) {
	p, s := in.Payload, in.Settings
	source, hasSource := actionSource(p)
	if !hasSource {
		return nil, destkit.ValidationErrorf("action_source", "The root value is missing the required field 'action_source'.")
	}
	eventName := either(get(p, "event_name"), get(p, "event_type"))
	if eventName == nil {
		return nil, destkit.ValidationErrorf("event_name", "The root value is missing the required field 'event_name'.")
	}
	when, ok := eventTime(either(get(p, "event_time"), get(p, "timestamp")))
	if !ok {
		return nil, destkit.ValidationErrorf("event_time", "The root value is missing the required field 'event_time'.")
	}
	var id string
	switch source {
	case "website", "OFFLINE":
		id = jsvalue.Trim(s.Str("pixel_id"))
		if id == "" {
			return nil, destkit.ValidationErrorf("pixel_id", "Website and offline events need the Pixel ID setting.")
		}
	case "app":
		id = jsvalue.Trim(s.Str("snap_app_id"))
		if id == "" {
			return nil, destkit.ValidationErrorf("snap_app_id", "App events need the Snap App ID setting.")
		}
	}

	w := destkit.NewJSONWriter(make([]byte, 0, 2048))
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("integration")
	w.String("segment")
	if eid, ok := trimmed(get(p, "event_id")); ok {
		w.Key("event_id")
		w.String(eid)
	} else if eid, ok := trimmed(get(p, "client_dedup_id")); ok {
		w.Key("event_id")
		w.String(eid)
	}
	w.Key("event_name")
	w.Value(eventName)
	w.Field("event_source_url", either(get(p, "event_source_url"), get(p, "page_url")))
	w.Key("event_time")
	w.Int(when)
	if err := writeUserData(w, p); err != nil {
		return nil, err
	}
	if err := writeCustomData(w, p); err != nil {
		return nil, err
	}
	w.Key("action_source")
	w.String(source)
	if source == "app" {
		writeAppData(w, p, s)
	}
	if dpo := get(p, "data_processing_options"); dpo != nil && dpo.Type() == fastjson.TypeTrue {
		w.Key("data_processing_options")
		w.ArrayStart()
		w.String("LDU")
		w.ArrayEnd()
	}
	w.Field("data_processing_options_country", get(p, "data_processing_options_country"))
	w.Field("data_processing_options_state", get(p, "data_processing_options_state"))
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", "https://tr.snapchat.com/"+apiVersion+"/"+url.PathEscape(id)+"/events", w.Bytes())}, nil
}

func writeUserData(w *destkit.JSONWriter, p *fastjson.Value) error {
	ud := func(k string) *fastjson.Value { return get(p, "user_data", k) }
	var h hasher
	email, hasEmail := h.hash("user_data.email", either(ud("email"), get(p, "email")), destkit.LowerNoSpace)
	phone, hasPhone := h.hash("user_data.phone", either(ud("phone"), get(p, "phone_number")), phoneDigits)
	countryH, hasCountry := h.hash("user_data.country", ud("country"), country)
	city, hasCity := h.hash("user_data.city", ud("city"), destkit.LowerNoSpace)
	db, hasDB := h.hash("user_data.dateOfBirth", ud("dateOfBirth"), nil)
	fn, hasFN := h.hash("user_data.firstName", ud("firstName"), destkit.LowerNoSpace)
	ge, hasGE := h.hash("user_data.gender", ud("gender"), gender)
	ln, hasLN := h.hash("user_data.lastName", ud("lastName"), destkit.LowerNoSpace)
	st, hasST := h.hash("user_data.state", ud("state"), state)
	zp, hasZP := h.hash("user_data.zip", ud("zip"), destkit.LowerNoSpace)
	var externalIDs []string
	ext := ud("externalId")
	for _, e := range ext.GetArray() {
		s, _ := text(e)
		d, ok := destkit.HashSHA256(s, destkit.LowerNoSpace)
		if !ok && h.Err == nil {
			h.Err = destkit.ValidationErrorf("user_data.externalId", "An external ID is empty once normalised and cannot be hashed.")
		}
		externalIDs = append(externalIDs, d)
	}
	if h.Err != nil {
		return h.Err
	}
	ip := either(ud("client_ip_address"), get(p, "ip_address"))
	ua := either(ud("client_user_agent"), get(p, "user_agent"))
	madid := either(ud("madid"), get(p, "mobile_ad_id"))
	// Email and phone go as one-element lists, and only when not empty.
	hasEm, hasPh := hasEmail && email != "", hasPhone && phone != ""
	if !hasEm && !hasPh && madid == nil && (ip == nil || ua == nil) {
		return destkit.ValidationErrorf("user_data", "Payload must contain values for Email or Phone Number or Mobile Ad Identifier or both IP Address and User Agent fields")
	}
	opt := func(k, v string, present bool) {
		if present {
			w.Key(k)
			w.String(v)
		}
	}
	w.Key("user_data")
	w.ObjectStart()
	w.Field("client_ip_address", ip)
	w.Field("client_user_agent", ua)
	opt("country", countryH, hasCountry)
	opt("ct", city, hasCity)
	opt("db", db, hasDB)
	if hasEm {
		w.Key("em")
		w.ArrayStart()
		w.String(email)
		w.ArrayEnd()
	}
	if ext != nil {
		w.Key("external_id")
		w.ArrayStart()
		for _, d := range externalIDs {
			w.String(d)
		}
		w.ArrayEnd()
	}
	opt("fn", fn, hasFN)
	opt("ge", ge, hasGE)
	w.Field("idfv", either(ud("idfv"), get(p, "idfv")))
	w.Field("lead_id", ud("leadID"))
	opt("ln", ln, hasLN)
	if m, ok := text(madid); ok {
		w.Key("madid")
		w.String(strings.ToLower(m))
	}
	if hasPh {
		w.Key("ph")
		w.ArrayStart()
		w.String(phone)
		w.ArrayEnd()
	}
	w.Field("sc_click_id", either(ud("sc_click_id"), get(p, "click_id")))
	w.Field("sc_cookie1", either(ud("sc_cookie1"), get(p, "uuid_c1")))
	opt("st", st, hasST)
	w.Field("subscription_id", ud("subscriptionID"))
	opt("zp", zp, hasZP)
	w.ObjectEnd()
	return nil
}

// splitList splits a comma list (semicolons when there are any) into its
// trimmed, non-empty items.
func splitList(s string) []string {
	sep := ","
	if strings.Contains(s, ";") {
		sep = ";"
	}
	var out []string
	for _, x := range strings.Split(s, sep) {
		if x = jsvalue.Trim(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// travelFields are the custom data fields copied as they are (text ones
// trimmed and dropped when blank), in Segment's order.
var travelFields = []struct {
	key  string
	text bool
}{
	{"checkin_date", true}, {"travel_end", true}, {"travel_start", true}, {"suggested_destinations", true},
	{"destination_airport", true}, {"country", true}, {"city", true}, {"region", true}, {"neighborhood", true},
	{"departing_departure_date", true}, {"departing_arrival_date", true}, {"num_adults", false},
	{"origin_airport", true}, {"returning_departure_date", true}, {"returning_arrival_date", true},
	{"num_children", false}, {"hotel_score", true}, {"postal_code", true}, {"num_infants", false},
	{"preferred_neighborhoods", true}, {"preferred_star_ratings", true}, {"suggested_hotels", true},
}

func writeCustomData(w *destkit.JSONWriter, p *fastjson.Value) error {
	cd := func(k string) *fastjson.Value { return get(p, "custom_data", k) }
	var cw destkit.JSONWriter
	cw.ObjectStart()
	n := 0
	list := func(k string, items []string) {
		cw.Key(k)
		cw.ArrayStart()
		for _, s := range items {
			cw.String(s)
		}
		cw.ArrayEnd()
		n++
	}
	products := get(p, "products")
	var kept []*fastjson.Value
	for _, pr := range products.GetArray() {
		if get(pr, "item_id") != nil {
			kept = append(kept, pr)
		}
	}
	pick := func(key string) []string {
		out := make([]string, 0, len(kept))
		for _, pr := range kept {
			s, _ := text(get(pr, key))
			out = append(out, s)
		}
		return out
	}
	if products != nil {
		list("brands", pick("brand"))
		list("content_category", pick("item_category"))
		list("content_ids", pick("item_id"))
	} else {
		if b := get(p, "brands"); b != nil {
			cw.Key("brands")
			cw.Value(b)
			n++
		}
		if s, ok := text(get(p, "item_category")); ok {
			if items := splitList(s); items != nil {
				list("content_category", items)
			}
		}
		if s, ok := text(get(p, "item_ids")); ok {
			if items := splitList(s); items != nil {
				list("content_ids", items)
			}
		}
	}
	var currency string
	if c, ok := trimmed(either(cd("currency"), get(p, "currency"))); ok {
		currency = strings.ToUpper(c)
		if !currencies[currency] {
			return destkit.ValidationErrorf("custom_data.currency", "%s is not a valid currency code.", currency)
		}
		cw.Key("currency")
		cw.String(currency)
		n++
	}
	if v := cd("num_items"); v != nil {
		cw.Key("num_items")
		cw.Value(v)
		n++
	} else if products != nil {
		cw.Key("num_items")
		cw.Int(int64(len(kept)))
		n++
	} else if s, ok := text(get(p, "number_items")); ok {
		if f, ok := jsParseInt(s); ok && safeInteger(f) {
			cw.Key("num_items")
			cw.Int(int64(f))
			n++
		}
	}
	for _, f := range []struct{ key, deprecated string }{
		{"order_id", "transaction_id"}, {"search_string", "search_string"}, {"sign_up_method", "sign_up_method"},
	} {
		if s, ok := trimmed(either(cd(f.key), get(p, f.deprecated))); ok {
			cw.Key(f.key)
			cw.String(s)
			n++
		}
	}
	if v := either(cd("value"), get(p, "price")); v != nil {
		cw.Key("value")
		cw.Value(v)
		n++
	}
	for _, f := range travelFields {
		v := cd(f.key)
		if f.text {
			if s, ok := trimmed(v); ok {
				cw.Key(f.key)
				cw.String(s)
				n++
			}
		} else if v != nil {
			cw.Key(f.key)
			cw.Value(v)
			n++
		}
	}
	cw.ObjectEnd()
	if n > 0 {
		w.Key("custom_data")
		w.Raw(cw.Bytes())
	}
	return nil
}

// extInfoKeys are the app_data fields of Snap's extinfo list after the
// version, in order; two fall back to deprecated top-level fields.
var extInfoKeys = []struct{ key, fallback string }{
	{"packageName", ""}, {"shortVersion", ""}, {"longVersion", ""}, {"osVersion", "os_version"},
	{"deviceName", "device_model"}, {"locale", ""}, {"timezone", ""}, {"carrier", ""}, {"width", ""},
	{"height", ""}, {"density", ""}, {"cpuCores", ""}, {"storageSize", ""}, {"freeStorage", ""}, {"deviceTimezone", ""},
}

func writeAppData(w *destkit.JSONWriter, p *fastjson.Value, s *destkit.Settings) {
	ad := get(p, "app_data")
	appID := jsvalue.Trim(s.Str("app_id"))
	w.Key("app_data")
	w.ObjectStart()
	if appID != "" {
		w.Key("app_id")
		w.String(appID)
	}
	w.Key("advertiser_tracking_enabled")
	w.Int(boolInt(get(p, "app_data", "advertiser_tracking_enabled")))
	if ad != nil {
		w.Key("application_tracking_enabled")
		w.Int(boolInt(get(p, "app_data", "application_tracking_enabled")))
	}
	w.Key("extinfo")
	w.ArrayStart()
	if v, ok := text(get(p, "app_data", "version")); ok {
		w.String(v)
	} else if digitsOnly.MatchString(appID) {
		w.String("i2")
	} else {
		w.String("a2")
	}
	for _, k := range extInfoKeys {
		v := get(p, "app_data", k.key)
		if v == nil && k.fallback != "" {
			v = get(p, k.fallback)
		}
		if v == nil {
			w.String("")
		} else {
			w.Value(v)
		}
	}
	w.ArrayEnd()
	w.ObjectEnd()
}

func boolInt(v *fastjson.Value) int64 {
	if v != nil && v.Type() == fastjson.TypeTrue {
		return 1
	}
	return 0
}
