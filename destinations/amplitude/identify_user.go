package amplitude

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

// IdentifyUser sets user properties without logging an event.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Set user properties in Amplitude, without logging an event.",
	DefaultSubscription: `type = "identify"`,
	Fields:              []destkit.Field{userID, deviceID, userProperties, groups, appVersion, platform, osName, osVersion, deviceBrand, deviceManufacturer, deviceModel, carrier, country, region, city, dma, language, paying, startVersion, insertID, userAgent, userAgentParsing, includeRawUserAgent, utmProperties, referrer, minIDLength, libraryAlt, userAgentData},
	Perform:             identifyUser,
}

var identifyKeys = []string{"user_id", "device_id"}
var identifyKeysAfter = []string{"groups", "app_version"}
var identifyKeysRest = []string{"os_name", "os_version", "device_brand", "device_manufacturer", "device_model",
	"carrier", "country", "region", "city", "dma", "language", "paying", "start_version", "insert_id"}

// identifyUser posts to the Identify API, which takes form fields holding
// JSON documents; the identification is one object, not a list, as
// Segment sends it.
func identifyUser(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	writeParsedUserAgent(w, p)
	if p.GetBool("includeRawUserAgent") {
		w.Field("user_agent", p.Get("userAgent"))
	}
	for _, k := range identifyKeys {
		w.Field(k, p.Get(k))
	}
	writeUserProperties(w, p, false)
	for _, k := range identifyKeysAfter {
		w.Field(k, p.Get(k))
	}
	writePlatform(w, p)
	for _, k := range identifyKeysRest {
		w.Field(k, p.Get(k))
	}
	writeLibrary(w, p)
	w.ObjectEnd()
	form := url.Values{}
	form.Set("api_key", in.Settings.Str("apiKey"))
	form.Set("identification", string(w.Bytes()))
	setOptions(form, in)
	return []destkit.Request{destkit.NewFormRequest("POST", endpoint("identify", in.Settings), []byte(form.Encode()))}, nil
}

func setOptions(form url.Values, in *destkit.Input) {
	if o := options(in.Payload); o != nil {
		form.Set("options", string(o))
	}
}
