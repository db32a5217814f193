package tiktokconversions

import (
	"net/url"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// ReportWebEvent sends one event.
var ReportWebEvent = &destkit.Action{
	Key:         "reportWebEvent",
	Title:       "Report Web Event",
	Description: "Report a web or CRM event to TikTok; customer information is hashed before sending.",
	Fields: []destkit.Field{
		{Key: "event_source", Label: "Event Source", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "web", Label: "web"}, {Value: "crm", Label: "crm"}},
			Default:     `"web"`,
			Description: "Where the event comes from: web (the default), app, offline or crm."},
		{Key: "event_spec_type", Label: "Additional Fields", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "travel_fields", Label: "Show travel fields"}, {Value: "vehicle_fields", Label: "Show vehicle fields"}},
			Description: "Extra vertical fields to send with web events: travel or vehicle."},
		{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Description: "TikTok event name (CompletePayment, ViewContent, ...) or a custom event name."},
		{Key: "event_id", Label: "Event ID", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "ID of the event, which TikTok uses to drop duplicates sent by both the pixel and this API."},
		{Key: "timestamp", Label: "Event Timestamp", Type: destkit.String,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; sent as unix seconds, or the time of sending when empty."},
		{Key: "phone_number", Label: "Phone Number", Type: destkit.String, Multiple: true,
			Default:     `{"@if":{"exists":{"@path":"$.properties.phone"},"then":{"@path":"$.properties.phone"},"else":{"@path":"$.context.traits.phone"}}}`,
			Description: "Phone numbers with country code; reduced to + and digits (E.164), then hashed."},
		{Key: "email", Label: "Email", Type: destkit.String, Multiple: true,
			Default:     `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}`,
			Description: "Email addresses; lower-cased and hashed."},
		{Key: "first_name", Label: "First Name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.properties.first_name"},"then":{"@path":"$.properties.first_name"},"else":{"@path":"$.context.traits.first_name"}}}`,
			Description: "First name; lower-cased without spaces, then hashed."},
		{Key: "last_name", Label: "Last Name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.properties.last_name"},"then":{"@path":"$.properties.last_name"},"else":{"@path":"$.context.traits.last_name"}}}`,
			Description: "Last name; lower-cased without spaces, then hashed."},
		{Key: "address", Label: "Address", Type: destkit.Object,
			Default:     `{"city":{"@if":{"exists":{"@path":"$.properties.address.city"},"then":{"@path":"$.properties.address.city"},"else":{"@path":"$.context.traits.address.city"}}},"country":{"@if":{"exists":{"@path":"$.properties.address.country"},"then":{"@path":"$.properties.address.country"},"else":{"@path":"$.context.traits.address.country"}}},"zip_code":{"@if":{"exists":{"@path":"$.properties.address.postal_code"},"then":{"@path":"$.properties.address.postal_code"},"else":{"@path":"$.context.traits.address.postal_code"}}},"state":{"@if":{"exists":{"@path":"$.properties.address.state"},"then":{"@path":"$.properties.address.state"},"else":{"@path":"$.context.traits.address.state"}}}}`,
			Description: "Address of the user; city, state and country are sent lower-cased with only letters and digits, the zip code hashed.",
			Properties: []destkit.Field{
				{Key: "city", Label: "City", Type: destkit.String,
					Description: "City."},
				{Key: "country", Label: "Country", Type: destkit.String,
					Description: "Country."},
				{Key: "zip_code", Label: "Zip Code", Type: destkit.String,
					Description: "Postal code; hashed."},
				{Key: "state", Label: "State", Type: destkit.String,
					Description: "State or region."},
			}},
		{Key: "order_id", Label: "Order ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.order_id"}`,
			Description: "Order ID."},
		{Key: "shop_id", Label: "Shop ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.shop_id"}`,
			Description: "Shop ID."},
		{Key: "external_id", Label: "External ID", Type: destkit.String, Multiple: true,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "Your identifiers of the user; lower-cased and hashed."},
		{Key: "ttclid", Label: "TikTok Click ID", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.properties.ttclid"},"then":{"@path":"$.properties.ttclid"},"else":{"@path":"$.integrations.TikTok Conversions.ttclid"}}}`,
			Description: "TikTok click ID (ttclid); a ttclid parameter of the page URL takes precedence."},
		{Key: "ttp", Label: "TikTok Cookie ID", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.properties.ttp"},"then":{"@path":"$.properties.ttp"},"else":{"@path":"$.integrations.TikTok Conversions.ttp"}}}`,
			Description: "TikTok cookie ID (the _ttp cookie)."},
		{Key: "locale", Label: "Locale", Type: destkit.String,
			Default:     `{"@path":"$.context.locale"}`,
			Description: "Locale of the user (BCP 47, e.g. en-US)."},
		{Key: "url", Label: "Page URL", Type: destkit.String,
			Default:     `{"@path":"$.context.page.url"}`,
			Description: "URL of the page the event happened on."},
		{Key: "referrer", Label: "Page Referrer", Type: destkit.String,
			Default:     `{"@path":"$.context.page.referrer"}`,
			Description: "Referrer of the page."},
		{Key: "ip", Label: "IP Address", Type: destkit.String,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the device."},
		{Key: "user_agent", Label: "User Agent", Type: destkit.String,
			Default:     `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the browser."},
		{Key: "contents", Label: "Contents", Type: destkit.Object, Multiple: true,
			Description: "Products the event is about.",
			Properties: []destkit.Field{
				{Key: "price", Label: "Price", Type: destkit.Number,
					Description: "Price of the item."},
				{Key: "quantity", Label: "Quantity", Type: destkit.Number,
					Description: "Number of items."},
				{Key: "content_category", Label: "Content Category", Type: destkit.String,
					Description: "Category of the item."},
				{Key: "content_id", Label: "Content ID", Type: destkit.String,
					Description: "ID of the item."},
				{Key: "content_name", Label: "Content Name", Type: destkit.String,
					Description: "Name of the item."},
				{Key: "brand", Label: "Brand", Type: destkit.String,
					Description: "Brand of the item."},
			}},
		{Key: "content_ids", Label: "Content IDs", Type: destkit.String, Multiple: true,
			Default:     `{"@path":"$.properties.content_ids"}`,
			Description: "IDs of the products the event is about."},
		{Key: "num_items", Label: "Number of Items", Type: destkit.Number,
			Default:     `{"@path":"$.properties.num_items"}`,
			Description: "Number of items."},
		{Key: "content_type", Label: "Content Type", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "product", Label: "product"}, {Value: "product_group", Label: "product_group"}},
			Default:     `"product"`,
			Description: "Type of the content: product or product_group."},
		{Key: "currency", Label: "Currency", Type: destkit.String,
			Default:     `{"@path":"$.properties.currency"}`,
			Description: "ISO 4217 currency code of the value."},
		{Key: "value", Label: "Value", Type: destkit.Number,
			Default:     `{"@if":{"exists":{"@path":"$.properties.value"},"then":{"@path":"$.properties.value"},"else":{"@path":"$.properties.revenue"}}}`,
			Description: "Value of the order or items."},
		{Key: "description", Label: "Description", Type: destkit.String,
			Description: "Free text about the event, sent among its properties."},
		{Key: "query", Label: "Query", Type: destkit.String,
			Default:     `{"@path":"$.properties.query"}`,
			Description: "Search query."},
		{Key: "limited_data_use", Label: "Limited Data Use", Type: destkit.Boolean,
			Default:     `{"@path":"$.properties.limited_data_use"}`,
			Description: "Apply Limited Data Use to the event (for users who opted out of data sharing)."},
		{Key: "test_event_code", Label: "Test Event Code", Type: destkit.String,
			Description: "Routes the event to Test Events in TikTok Events Manager; leave empty in production."},
		{Key: "delivery_category", Label: "Delivery Category", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "in_store", Label: "In Store - Purchase requires customer to enter the store."}, {Value: "curbside", Label: "Curbside - Purchase requires curbside pickup."}, {Value: "home_delivery", Label: "Home Delivery - Purchase is delivered to the customer."}},
			Default:     `{"@path":"$.properties.delivery_category"}`,
			Description: "Delivery category: in_store, curbside or home_delivery."},
		{Key: "predicted_ltv", Label: "Prediected Lifetime Value", Type: destkit.Number,
			Default:     `{"@path":"$.properties.predicted_ltv"}`,
			Description: "Predicted lifetime value of the customer."},
		{Key: "search_string", Label: "Search String", Type: destkit.String,
			Default:     `{"@path":"$.properties.search_string"}`,
			Description: "Search query of a search event."},
		{Key: "lead_fields", Label: "CRM Fields", Type: destkit.Object,
			RequiredIf:  &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "event_source", Operator: "is", Value: "crm"}}},
			Default:     `{"lead_id":{"@path":"$.properties.lead_id"},"lead_event_source":{"@path":"$.properties.lead_event_source"}}`,
			Description: "Lead details of CRM events; required when the event source is crm.",
			Properties: []destkit.Field{
				{Key: "lead_id", Label: "TikTok Lead ID", Type: destkit.String,
					Description: "ID of the lead from TikTok lead ads."},
				{Key: "lead_event_source", Label: "TikTok Lead Event Source", Type: destkit.String,
					Description: "CRM system the lead event comes from."},
			}},
		{Key: "vehicle_fields", Label: "Vehicle Fields", Type: destkit.Object,
			Default:     `{"postal_code":{"@path":"$.properties.postal_code"},"make":{"@path":"$.properties.make"},"model":{"@path":"$.properties.model"},"year":{"@path":"$.properties.year"},"state_of_vehicle":{"@path":"$.properties.state_of_vehicle"},"mileage_value":{"@path":"$.properties.mileage_value"},"mileage_unit":{"@path":"$.properties.mileage_unit"},"exterior_color":{"@path":"$.properties.exterior_color"},"transmission":{"@path":"$.properties.transmission"},"body_style":{"@path":"$.properties.body_style"},"fuel_type":{"@path":"$.properties.fuel_type"},"drivetrain":{"@path":"$.properties.drive_train"},"preferred_price_range_min":{"@path":"$.properties.preferred_price_range_min"},"preferred_price_range_max":{"@path":"$.properties.preferred_price_range_max"},"trim":{"@path":"$.properties.trim"},"vin":{"@path":"$.properties.vin"},"interior_color":{"@path":"$.properties.interior_color"},"condition_of_vehicle":{"@path":"$.properties.condition_of_vehicle"},"viewcontent_type":{"@path":"$.properties.viewcontent_type"},"search_type":{"@path":"$.properties.search_type"},"registration_type":{"@path":"$.properties.registration_type"}}`,
			Description: "Vehicle details, sent with web events when Additional Fields is vehicle.",
			Properties: []destkit.Field{
				{Key: "postal_code", Label: "Postal Code", Type: destkit.String,
					Description: "Postal code of the dealership."},
				{Key: "make", Label: "Make of the Vehicle", Type: destkit.String,
					Description: "Make of the vehicle."},
				{Key: "model", Label: "Model of the Vehicle", Type: destkit.String,
					Description: "Model of the vehicle."},
				{Key: "year", Label: "Year of the Vehicle", Type: destkit.Number,
					Description: "Year of the vehicle."},
				{Key: "state_of_vehicle", Label: "State of the Vehicle", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "New", Label: "New"}, {Value: "Used", Label: "Used"}, {Value: "CPO", Label: "CPO"}},
					Description: "State of the vehicle: new, used or certified pre-owned."},
				{Key: "mileage_value", Label: "Mileage Value", Type: destkit.Number,
					Description: "Mileage of the vehicle; sent with the unit."},
				{Key: "mileage_unit", Label: "Mileage Unit", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "MI", Label: "Miles"}, {Value: "KM", Label: "Kilometers"}},
					Description: "Unit of the mileage: miles or kilometres."},
				{Key: "exterior_color", Label: "Exterior Color of the Vehicle", Type: destkit.String,
					Description: "Exterior colour."},
				{Key: "transmission", Label: "Transmission Type of the Vehicle", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "Automatic", Label: "Automatic"}, {Value: "Manual", Label: "Manual"}, {Value: "Other", Label: "Other"}},
					Description: "Transmission type."},
				{Key: "body_style", Label: "Body Type of the Vehicle", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "Convertible", Label: "Convertible"}, {Value: "Coupe", Label: "Coupe"}, {Value: "Hatchback", Label: "Hatchback"}, {Value: "Minivan", Label: "Minivan"}, {Value: "Truck", Label: "Truck"}, {Value: "SUV", Label: "SUV"}, {Value: "Sedan", Label: "Sedan"}, {Value: "Van", Label: "Van"}, {Value: "Wagon", Label: "Wagon"}, {Value: "Crossover", Label: "Crossover"}, {Value: "Other", Label: "Other"}},
					Description: "Body style."},
				{Key: "fuel_type", Label: "Fuel Type of the Vehicle", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "Diesel", Label: "Diesel"}, {Value: "Electric", Label: "Electric"}, {Value: "Flex", Label: "Flex"}, {Value: "Gasoline", Label: "Gasoline"}, {Value: "Hybrid", Label: "Hybrid"}, {Value: "Other", Label: "Other"}},
					Description: "Fuel type."},
				{Key: "drivetrain", Label: "Drivetrain of the Vehicle", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "AWD", Label: "AWD"}, {Value: "FOUR_WD", Label: "Four WD"}, {Value: "FWD", Label: "FWD"}, {Value: "RWD", Label: "RWD"}, {Value: "TWO_WD", Label: "Two WD"}, {Value: "Other", Label: "Other"}},
					Description: "Drivetrain."},
				{Key: "preferred_price_range_min", Label: "Minimum Preferred Price", Type: destkit.Number,
					Description: "Lowest price the user is looking for; sent with the highest."},
				{Key: "preferred_price_range_max", Label: "Maximum Preferred Price", Type: destkit.Number,
					Description: "Highest price the user is looking for; sent with the lowest."},
				{Key: "trim", Label: "Trim of the Vehicle", Type: destkit.String,
					Description: "Trim of the vehicle."},
				{Key: "vin", Label: "VIN of the Vehicle", Type: destkit.String,
					Description: "Vehicle identification number."},
				{Key: "interior_color", Label: "Interior Color of the Vehicle", Type: destkit.String,
					Description: "Interior colour."},
				{Key: "condition_of_vehicle", Label: "Condition of the Vehicle", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "Excellent", Label: "Excellent"}, {Value: "Good", Label: "Good"}, {Value: "Fair", Label: "Fair"}, {Value: "Poor", Label: "Poor"}, {Value: "Other", Label: "Other"}},
					Description: "Condition of the vehicle."},
				{Key: "viewcontent_type", Label: "Soft Lead Landing Page", Type: destkit.String,
					Description: "Kind of soft-lead landing page viewed."},
				{Key: "search_type", Label: "Other Search Page", Type: destkit.String,
					Description: "Kind of other search page viewed."},
				{Key: "registration_type", Label: "Other Registration Page", Type: destkit.String,
					Description: "Kind of other registration page."},
			}},
		{Key: "travel_fields", Label: "Travel Fields", Type: destkit.Object,
			Default:     `{"city":{"@path":"$.properties.city"},"region":{"@path":"$.properties.region"},"country":{"@path":"$.properties.country"},"checkin_date":{"@path":"$.properties.checkin_date"},"checkout_date":{"@path":"$.properties.checkout_date"},"num_adults":{"@path":"$.properties.num_adults"},"num_children":{"@path":"$.properties.num_children"},"num_infants":{"@path":"$.properties.num_infants"},"suggested_hotels":{"@path":"$.properties.suggested_hotels"},"departing_departure_date":{"@path":"$.properties.departing_departure_date"},"returning_departure_date":{"@path":"$.properties.returning_departure_date"},"origin_airport":{"@path":"$.properties.origin_airport"},"destination_airport":{"@path":"$.properties.destination_airport"},"destination_ids":{"@path":"$.properties.destination_ids"},"departing_arrival_date":{"@path":"$.properties.departing_arrival_date"},"returning_arrival_date":{"@path":"$.properties.returning_arrival_date"},"travel_class":{"@path":"$.properties.travel_class"},"user_score":{"@path":"$.properties.user_score"},"preferred_num_stops":{"@path":"$.properties.preferred_num_stops"},"travel_start":{"@path":"$.properties.travel_start"},"travel_end":{"@path":"$.properties.travel_end"},"suggested_destinations":{"@path":"$.properties.suggested_destinations"}}`,
			Description: "Hotel and flight details, sent with web events when Additional Fields is travel.",
			Properties: []destkit.Field{
				{Key: "city", Label: "Hotel City Location", Type: destkit.String,
					Description: "City of the hotel."},
				{Key: "region", Label: "Hotel Region", Type: destkit.String,
					Description: "Region of the hotel."},
				{Key: "country", Label: "Hotel Country", Type: destkit.String,
					Description: "Country of the hotel."},
				{Key: "checkin_date", Label: "Hotel Check-in Date", Type: destkit.String,
					Description: "Hotel check-in date (YYYYMMDD)."},
				{Key: "checkout_date", Label: "Hotel Check-out Date", Type: destkit.String,
					Description: "Hotel check-out date (YYYYMMDD)."},
				{Key: "num_adults", Label: "Number of Adults", Type: destkit.Number,
					Description: "Number of adults."},
				{Key: "num_children", Label: "Number of Children", Type: destkit.Number,
					Description: "Number of children."},
				{Key: "num_infants", Label: "Number of Infants", Type: destkit.Number,
					Description: "Number of infants."},
				{Key: "suggested_hotels", Label: "Suggested Hotels", Type: destkit.String, Multiple: true,
					Description: "IDs of hotels suggested to the user."},
				{Key: "departing_departure_date", Label: "Departure Date", Type: destkit.String,
					Description: "Departure date of the outbound flight (YYYYMMDD)."},
				{Key: "returning_departure_date", Label: "Arrival Date", Type: destkit.String,
					Description: "Departure date of the return flight (YYYYMMDD)."},
				{Key: "origin_airport", Label: "Origin Airport", Type: destkit.String,
					Description: "IATA code of the origin airport."},
				{Key: "destination_airport", Label: "Destination Airport", Type: destkit.String,
					Description: "IATA code of the destination airport."},
				{Key: "destination_ids", Label: "Destination IDs", Type: destkit.String, Multiple: true,
					Description: "IDs of the destinations."},
				{Key: "departing_arrival_date", Label: "Departing Arrival Date", Type: destkit.String,
					Description: "Arrival date of the outbound flight (YYYYMMDD)."},
				{Key: "returning_arrival_date", Label: "Returning Arrival Date", Type: destkit.String,
					Description: "Arrival date of the return flight (YYYYMMDD)."},
				{Key: "travel_class", Label: "Flight Ticket Class", Type: destkit.String,
					Choices:     []destkit.Choice{{Value: "eco", Label: "Economy"}, {Value: "prem", Label: "Premium"}, {Value: "bus", Label: "Bus"}, {Value: "first", Label: "First"}},
					Description: "Class of the flight ticket."},
				{Key: "user_score", Label: "User Score", Type: destkit.Number,
					Description: "Score of the user for the destination."},
				{Key: "preferred_num_stops", Label: "Preferred Number of Stops", Type: destkit.Integer,
					Description: "Preferred number of stops."},
				{Key: "travel_start", Label: "Start Date of the Trip", Type: destkit.String,
					Description: "Start date of the trip (YYYYMMDD)."},
				{Key: "travel_end", Label: "End Date of the Trip", Type: destkit.String,
					Description: "End date of the trip (YYYYMMDD)."},
				{Key: "suggested_destinations", Label: "Suggested Destination IDs", Type: destkit.String, Multiple: true,
					Description: "IDs of destinations suggested to the user."},
			}},
	},
	Perform: reportWebEvent,
}

// now stamps events without a timestamp; tests replace it.
var now = time.Now

const trackURL = "https://business-api.tiktok.com/open_api/" + apiVersion + "/event/track/"

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

// e164 keeps the digits after a plus sign, at most 15 characters in all.
func e164(phone string) string {
	s := "+" + destkit.Digits(phone)
	if len(s) > 15 {
		s = s[:15]
	}
	return s
}

// address keeps ASCII letters and digits, lower-cased.
func address(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, s)
}

func reportWebEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if text(get(p, "event")) == "" {
		return nil, destkit.ValidationErrorf("event", "The root value is missing the required field 'event'.")
	}
	source := "web"
	if v := get(p, "event_source"); v != nil {
		source = text(v)
	}
	eventTime := now().Unix()
	if ts := get(p, "timestamp"); destkit.Truthy(ts) {
		t, ok := destkit.ParseJSDate(ts)
		if !ok {
			return nil, destkit.ValidationErrorf("timestamp", "Event Timestamp must be a date and time.")
		}
		eventTime = t.Unix() // floored, like Math.floor(ms / 1000)
	}
	leadID := get(p, "lead_fields", "lead_id")

	w := destkit.NewJSONWriter(make([]byte, 0, 2048))
	w.ObjectStart()
	w.Key("event_source")
	if source == "" {
		w.String("web")
	} else {
		w.String(source)
	}
	w.Key("event_source_id")
	w.String(in.Settings.Str("pixelCode"))
	w.Key("partner_name")
	w.String("Segment")
	if code := get(p, "test_event_code"); destkit.Truthy(code) {
		w.Key("test_event_code")
		w.Value(code)
	}
	w.Key("data")
	w.ArrayStart()
	w.ObjectStart()
	w.Field("event", get(p, "event"))
	w.Key("event_time")
	w.Int(eventTime)
	if id := get(p, "event_id"); destkit.Truthy(id) {
		w.Key("event_id")
		w.String(destkit.JSString(id))
	}
	if err := writeUser(w, p); err != nil {
		return nil, err
	}
	w.Key("properties")
	w.ObjectStart()
	writeProperties(w, p)
	if source == "web" {
		switch text(get(p, "event_spec_type")) {
		case "travel_fields":
			writeTravel(w, p)
		case "vehicle_fields":
			writeVehicle(w, p)
		}
	}
	w.ObjectEnd()
	pageURL, referrer := get(p, "url"), get(p, "referrer")
	if destkit.Truthy(pageURL) || destkit.Truthy(referrer) {
		w.Key("page")
		w.ObjectStart()
		if destkit.Truthy(pageURL) {
			w.Field("url", pageURL)
		}
		if destkit.Truthy(referrer) {
			w.Field("referrer", referrer)
		}
		w.ObjectEnd()
	}
	if source == "crm" && leadID != nil && leadID.Type() == fastjson.TypeString {
		w.Key("lead")
		w.ObjectStart()
		w.Field("lead_id", leadID)
		if les := get(p, "lead_fields", "lead_event_source"); destkit.Truthy(les) {
			w.Field("lead_event_source", les)
		}
		w.ObjectEnd()
	}
	w.Key("limited_data_use")
	w.Bool(get(p, "limited_data_use") != nil && get(p, "limited_data_use").Type() == fastjson.TypeTrue)
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", trackURL, w.Bytes())}, nil
}

func writeUser(w *destkit.JSONWriter, p *fastjson.Value) error {
	var h destkit.Hasher
	list := func(key, field string, clean func(string) string, lower bool) {
		w.Key(key)
		w.ArrayStart()
		for _, v := range get(p, field).GetArray() {
			s := text(v)
			if lower {
				s = strings.ToLower(s)
			}
			w.String(h.Hash(field, s, clean))
		}
		w.ArrayEnd()
	}
	// hashed writes '' for an empty value, as Segment's formatString does.
	hashed := func(key, field string, v *fastjson.Value) {
		w.Key(key)
		if s := text(v); s != "" {
			w.String(h.Hash(field, destkit.LowerNoSpace(s), nil))
		} else {
			w.String("")
		}
	}
	w.Key("user")
	w.ObjectStart()
	list("external_id", "external_id", nil, true)
	list("phone", "phone_number", e164, false)
	list("email", "email", nil, true)
	hashed("first_name", "first_name", get(p, "first_name"))
	hashed("last_name", "last_name", get(p, "last_name"))
	for _, k := range []string{"city", "state", "country"} {
		w.Key(k)
		w.String(address(text(get(p, "address", k))))
	}
	hashed("zip_code", "address.zip_code", get(p, "address", "zip_code"))
	// A ttclid parameter of the page URL wins over the mapped click ID.
	ttclid := get(p, "ttclid")
	fromURL := urlParam(text(get(p, "url")), "ttclid")
	if destkit.Truthy(ttclid) || (fromURL != nil && *fromURL != "") {
		w.Key("ttclid")
		if fromURL != nil {
			w.String(*fromURL)
		} else {
			w.Value(ttclid)
		}
	}
	for _, k := range []string{"ttp", "ip", "user_agent", "locale"} {
		if v := get(p, k); destkit.Truthy(v) {
			w.Field(k, v)
		}
	}
	w.ObjectEnd()
	return h.Err
}

// urlParam returns the first value of the query parameter name in an
// absolute URL, as URLSearchParams.get does, or nil.
func urlParam(raw, name string) *string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	for _, pair := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if formUnescape(k) == name {
			v = formUnescape(v)
			return &v
		}
	}
	return nil
}

// formUnescape decodes '+' and percent escapes, keeping malformed escapes
// as they are.
func formUnescape(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// propertyKeys follow contents in the properties, each when present.
var propertyKeys = []string{"content_type", "currency", "value", "query", "description", "order_id", "shop_id",
	"content_ids", "delivery_category", "num_items", "predicted_ltv", "search_string"}

func writeProperties(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Key("contents")
	w.ArrayStart()
	for _, c := range get(p, "contents").GetArray() {
		w.ObjectStart()
		for _, k := range []string{"price", "quantity", "content_category", "content_id", "content_name", "brand"} {
			w.Field(k, get(c, k))
		}
		w.ObjectEnd()
	}
	w.ArrayEnd()
	for _, k := range propertyKeys {
		w.Field(k, p.Get(k))
	}
}

var travelKeys = []string{"city", "region", "country", "checkin_date", "checkout_date", "num_adults", "num_children",
	"num_infants", "suggested_hotels", "departing_departure_date", "returning_departure_date", "origin_airport",
	"destination_airport", "destination_ids", "departing_arrival_date", "returning_arrival_date", "travel_class",
	"user_score", "preferred_num_stops", "travel_start", "travel_end", "suggested_destinations"}

func writeTravel(w *destkit.JSONWriter, p *fastjson.Value) {
	for _, k := range travelKeys {
		w.Field(k, p.Get("travel_fields", k))
	}
}

var vehicleKeys = []string{"postal_code", "make", "model", "year", "state_of_vehicle", "exterior_color", "transmission",
	"body_style", "fuel_type", "drivetrain", "trim", "vin", "interior_color", "condition_of_vehicle", "viewcontent_type",
	"search_type", "registration_type"}

func writeVehicle(w *destkit.JSONWriter, p *fastjson.Value) {
	for _, k := range vehicleKeys {
		w.Field(k, p.Get("vehicle_fields", k))
	}
	isNum := func(v *fastjson.Value) bool { return v != nil && v.Type() == fastjson.TypeNumber }
	unit, mileage := p.Get("vehicle_fields", "mileage_unit"), p.Get("vehicle_fields", "mileage_value")
	if unit != nil && isNum(mileage) {
		w.Key("mileage")
		w.ObjectStart()
		w.Field("unit", unit)
		w.Field("value", mileage)
		w.ObjectEnd()
	}
	lo, hi := p.Get("vehicle_fields", "preferred_price_range_min"), p.Get("vehicle_fields", "preferred_price_range_max")
	if isNum(lo) && isNum(hi) {
		w.Key("preferred_price_range")
		w.ArrayStart()
		w.Value(lo)
		w.Value(hi)
		w.ArrayEnd()
	}
}
