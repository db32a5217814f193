package airship

import (
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SetAttributes sets (or removes) attributes of a named user or channel.
var SetAttributes = &destkit.Action{
	Key:                 "setAttributes",
	Title:               "Set Attributes",
	Description:         "Set Airship attributes from a user's traits; an empty value removes the attribute.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		namedUserField, channelIDField, channelTypeField, occurredField,
		{Key: "attributes", Label: "Attributes", Type: destkit.Object, AdditionalProperties: true,
			Default:     `{"title":{"@path":"$.traits.title"},"first_name":{"@path":"$.traits.first_name"},"last_name":{"@path":"$.traits.last_name"},"full_name":{"@path":"$.traits.full_name"},"gender":{"@path":"$.traits.gender"},"zipcode":{"@path":"$.traits.address.postalCode"},"city":{"@path":"$.traits.address.city"},"region":{"@path":"$.traits.address.region"},"country":{"@path":"$.traits.address.country"},"birthdate":{"@path":"$.traits.birthday"},"age":{"@path":"$.traits.age"},"mobile_phone":{"@path":"$.traits.phone"},"home_phone":{"@path":"$.traits.home_phone"},"work_phone":{"@path":"$.traits.work_phone"},"loyalty_tier":{"@path":"$.traits.loyalty_tier"},"company":{"@path":"$.traits.company_name"},"username":{"@path":"$.traits.username"},"account_creation":{"@path":"$.traits.account_creation"},"email":{"@path":"$.traits.email"},"altitude":{"@path":"$.traits.altitude"},"latitude":{"@path":"$.traits.latitude"},"longitude":{"@path":"$.traits.longitude"},"advertising_id":{"@path":"$.context.device.advertisingId"}}`,
			Description: "Attributes by Airship key: the predefined ones below, and custom ones by their key (an object or array value is a JSON attribute, sent as key#default unless the key names an instance).",
			Properties: []destkit.Field{
				{Key: "title", Label: "Title", Type: destkit.String, Description: "Job title or honorific."},
				{Key: "first_name", Label: "First Name", Type: destkit.String, Description: "Given name."},
				{Key: "last_name", Label: "Last Name", Type: destkit.String, Description: "Family name."},
				{Key: "full_name", Label: "Full Name", Type: destkit.String, Description: "Whole name."},
				{Key: "gender", Label: "Gender", Type: destkit.String, Description: "Gender."},
				{Key: "zipcode", Label: "Zipcode", Type: destkit.Integer, Description: "Postal code, as a number."},
				{Key: "city", Label: "City", Type: destkit.String, Description: "City."},
				{Key: "region", Label: "Region", Type: destkit.String, Description: "State or region."},
				{Key: "country", Label: "Country", Type: destkit.String, Description: "Country."},
				{Key: "birthdate", Label: "Birthdate", Type: destkit.Datetime, Description: "Date of birth."},
				{Key: "age", Label: "Age", Type: destkit.Integer, Description: "Age in years."},
				{Key: "mobile_phone", Label: "Mobile Phone Number", Type: destkit.String, Description: "Mobile number; only its digits are sent, as a number."},
				{Key: "home_phone", Label: "Home Phone Number", Type: destkit.String, Description: "Home number; only its digits are sent, as a number."},
				{Key: "work_phone", Label: "Work Phone Number", Type: destkit.String, Description: "Work number; only its digits are sent, as a number."},
				{Key: "loyalty_tier", Label: "Loyalty Tier", Type: destkit.String, Description: "Loyalty programme tier."},
				{Key: "company", Label: "Company Name", Type: destkit.String, Description: "Employer or organisation."},
				{Key: "username", Label: "Username", Type: destkit.String, Description: "User name."},
				{Key: "account_creation", Label: "Account Creation Date", Type: destkit.Datetime, Description: "When the account was created."},
				{Key: "email", Label: "Email Address", Type: destkit.String, Description: "Email address (an attribute; it registers no email channel)."},
				{Key: "altitude", Label: "Altitude", Type: destkit.Integer, Description: "Altitude."},
				{Key: "latitude", Label: "Latitude", Type: destkit.Number, Description: "Latitude."},
				{Key: "longitude", Label: "Longitude", Type: destkit.Number, Description: "Longitude."},
				{Key: "advertising_id", Label: "Advertising ID (IDFA/AAID)", Type: destkit.String, Description: "The device advertising id (IDFA or AAID)."},
			}},
	},
	Perform: setAttributes,
}

// phoneKeys are the attributes Airship takes as numbers.
var phoneKeys = map[string]bool{"home_phone": true, "work_phone": true, "mobile_phone": true}

func setAttributes(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	var audience destkit.JSONWriter
	if err := writeAudience(&audience, p); err != nil {
		return nil, err
	}
	ts, recent := recentTime(p.Get("occurred"))
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	w.Key("attributes")
	w.ArrayStart()
	if o := p.GetObject("attributes"); o != nil {
		o.Visit(func(k []byte, v *fastjson.Value) {
			writeAttribute(w, string(k), v, ts, recent)
		})
	}
	w.ArrayEnd()
	w.Key("audience")
	w.Raw(audience.Bytes())
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", baseURL(in.Settings)+"/api/channels/attributes", w.Bytes())}, nil
}

// writeAttribute writes {action, key, timestamp, value}: remove for a null
// or empty value, set otherwise, with dates in Airship's form and phone
// numbers as their digits.
func writeAttribute(w *destkit.JSONWriter, key string, v *fastjson.Value, ts string, recent bool) {
	typ := v.Type()
	if (typ == fastjson.TypeObject || typ == fastjson.TypeArray) && !strings.Contains(key, "#") {
		key += "#default"
	}
	remove := typ == fastjson.TypeNull
	var value []byte
	if typ == fastjson.TypeString {
		s := string(v.GetStringBytes())
		switch {
		case s == "":
			remove = true
		case phoneKeys[key]:
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, s)
			if n, err := strconv.ParseFloat(digits, 64); err == nil {
				value = destkit.AppendJSNumber(nil, n)
			} else {
				remove = true
			}
		default:
			value = destkit.AppendJSONString(nil, dateFormatted(s))
		}
	} else if !remove {
		value = destkit.AppendValue(nil, v)
	}
	w.ObjectStart()
	if remove {
		w.StringField("action", "remove")
	} else {
		w.StringField("action", "set")
	}
	w.StringField("key", key)
	if recent {
		w.StringField("timestamp", ts)
	}
	if !remove {
		w.Key("value")
		w.Raw(value)
	}
	w.ObjectEnd()
}
