package mixpanel

import (
	"encoding/hex"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// now is replaced in tests.
var now = time.Now

// props maps payload fields to Mixpanel's reserved event properties, in
// the order they are written.
var props = [][2]string{
	{"ip", "ip"}, {"distinct_id", "id"}, {"anonymous_id", "$anon_id"}, {"distinct_id", "distinct_id"},
	{"app_build", "$app_build_number"}, {"app_version", "$app_version_string"}, {"app_namespace", "$app_namespace"},
	{"app_name", "$app_name"},
}

var propsAfterBrowser = [][2]string{
	{"bluetooth", "$bluetooth_enabled"}, {"cellular", "$cellular_enabled"}, {"carrier", "$carrier"},
	{"url", "$current_url"}, {"device_name", "$device"}, {"anonymous_id", "$device_id"}, {"device_type", "$device_type"},
	{"device_name", "$device_name"}, {"group_id", "$group_id"}, {"user_id", "$identified_id"},
}

var propsAfterInsertID = [][2]string{
	{"idfa", "$ios_ifa"}, {"library_version", "$lib_version"}, {"language", "$locale"},
	{"device_manufacturer", "$manufacturer"}, {"device_model", "$model"}, {"os_name", "$os"},
	{"os_version", "$os_version"}, {"referrer", "$referrer"}, {"screen_height", "$screen_height"},
	{"screen_width", "$screen_width"}, {"screen_density", "$screen_density"},
}

// writeEvent writes one import event: name plus properties, where mapped
// event properties override the reserved ones of the same name. With
// product set it writes the index-th Product Purchased event of an order,
// as Segment does: the order's properties less its totals, its own insert
// ID and a time one millisecond earlier per product, then the product's
// fields over all of them.
func writeEvent(w *destkit.JSONWriter, p *fastjson.Value, s *destkit.Settings, name string, product *fastjson.Value, index int) {
	w.ObjectStart()
	w.Key("event")
	w.String(name)
	w.Key("properties")
	w.ObjectStart()
	own := p.GetObject("event_properties")
	prod := product.GetObject()
	// ownHas: mapped event properties override the reserved ones of the same
	// name, except the identity and time properties, which they cannot
	// replace; a product's totals are left out.
	ownHas := func(k string) bool {
		return own != nil && own.Get(k) != nil && !reserved[k] && !(product != nil && orderTotals[k])
	}
	skip := func(k string) bool { return ownHas(k) || (prod != nil && prod.Get(k) != nil) }
	put := func(k string, v *fastjson.Value) {
		if v != nil && !skip(k) && !(product != nil && orderTotals[k]) {
			w.Key(k)
			w.Value(v)
		}
	}
	putStr := func(k, v string) {
		if v != "" && !skip(k) {
			w.Key(k)
			w.String(v)
		}
	}
	if !skip("time") {
		w.Key("time")
		ms := eventMillis(p.Get("time"))
		if product != nil {
			ms -= int64(index) + 1
		}
		w.Int(ms)
	}
	for _, kv := range props {
		put(kv[1], p.Get(kv[0]))
	}
	if ua := string(p.GetStringBytes("userAgent")); ua != "" {
		b := browser(ua)
		putStr("$browser", b)
		putStr("$browser_version", browserVersion(ua, b))
	}
	for _, kv := range propsAfterBrowser {
		put(kv[1], p.Get(kv[0]))
	}
	id := string(p.GetStringBytes("insert_id"))
	if p.Get("insert_id") == nil {
		id = derivedInsertID(p, string(p.GetStringBytes("event")))
	}
	if product != nil {
		id = strconv.Itoa(index) + id
	}
	if !(prod != nil && prod.Get("$insert_id") != nil) {
		w.Key("$insert_id")
		w.String(id)
	}
	for _, kv := range propsAfterInsertID {
		put(kv[1], p.Get(kv[0]))
	}
	putStr("$source", "segment")
	put("$user_id", p.Get("user_id"))
	put("$wifi_enabled", p.Get("wifi"))
	put("mp_country_code", p.Get("country"))
	if lib := string(p.GetStringBytes("library_name")); lib != "" {
		putStr("mp_lib", "Segment Actions: "+lib)
	}
	putStr("segment_source_name", s.Str("sourceName"))
	if utm := p.GetObject("utm_properties"); utm != nil {
		for _, k := range []string{"utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term"} {
			put(k, utm.Get(k))
		}
	}
	for _, kv := range propsAfterUTM {
		put(kv[1], p.Get(kv[0]))
	}
	if uad := p.Get("userAgentData"); uad != nil {
		for _, kv := range userAgentDataProps {
			put(kv[1], uad.Get(kv[0]))
		}
	}
	if own != nil {
		own.Visit(func(k []byte, v *fastjson.Value) {
			if ownHas(string(k)) && !(prod != nil && prod.Get(string(k)) != nil) {
				w.Key(string(k))
				w.Value(v)
			}
		})
	}
	if prod != nil {
		prod.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.ObjectEnd()
	w.ObjectEnd()
}

// orderTotals are the order properties a Product Purchased event leaves out.
var orderTotals = map[string]bool{"affiliation": true, "subtotal": true, "total": true, "revenue": true, "shipping": true,
	"tax": true, "discount": true, "coupon": true, "currency": true, "order_number": true, "products": true}

// reserved are the properties mapped event properties cannot override.
var reserved = map[string]bool{"time": true, "id": true, "$anon_id": true, "distinct_id": true, "$group_id": true, "$insert_id": true, "$user_id": true}

var propsAfterUTM = [][2]string{
	{"advertising_id", "advertising_id"}, {"ad_tracking_enabled", "ad_tracking_enabled"}, {"timezone", "timezone"},
	{"app_platform", "app_platform"}, {"name", "event_original_name"},
}

var userAgentDataProps = [][2]string{
	{"mobile", "$mobile"}, {"platform", "$platform"}, {"bitness", "$bitness"}, {"platformVersion", "$platformVersion"},
	{"uaFullVersion", "$uaFullVersion"}, {"wow64", "$wow64"},
}

// eventMillis returns the event time in epoch milliseconds; events without
// a usable time are stamped now, as Mixpanel requires a time.
func eventMillis(v *fastjson.Value) int64 {
	if v != nil {
		switch v.Type() {
		case fastjson.TypeNumber:
			f, _ := v.Float64()
			return int64(f)
		case fastjson.TypeString:
			s := string(v.GetStringBytes())
			for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
				if t, err := time.Parse(l, s); err == nil {
					return t.UnixMilli()
				}
			}
		}
	}
	return now().UnixMilli()
}

// derivedInsertID stands in for a missing insert ID. Segment uses a random
// one; a hash of the payload is as unique per event and, unlike a random
// value, makes a retried import deduplicate instead of double counting.
func derivedInsertID(p *fastjson.Value, name string) string {
	h := fnv.New128a()
	h.Write([]byte(name))
	h.Write(destkit.AppendValue(nil, p))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// versionMarkers gives, per browser, the tokens its version follows.
var versionMarkers = map[string][]string{
	"Internet Explorer Mobile": {"rv:"},
	"Microsoft Edge":           {"Edge/", "Edg/"},
	"Chrome":                   {"Chrome/"},
	"Chrome iOS":               {"CriOS/"},
	"UC Browser":               {"UCBrowser/", "UCWEB/"},
	"Safari":                   {"Version/"},
	"Mobile Safari":            {"Version/"},
	"Opera":                    {"Opera/", "OPR/"},
	"Firefox":                  {"Firefox/"},
	"Firefox iOS":              {"FxiOS/"},
	"Konqueror":                {"Konqueror:"},
	"BlackBerry":               {"BlackBerry "},
	"Android Mobile":           {"android "},
	"Samsung Internet":         {"SamsungBrowser/"},
	"Internet Explorer":        {"rv:", "MSIE "},
	"Mozilla":                  {"rv:"},
}

// browser names the browser the way Mixpanel's own SDK does, so events from
// Actuate and from the SDK group together. Order matters: many user agents
// mention several browsers.
func browser(ua string) string {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has(" OPR/"):
		if has("Mini") {
			return "Opera Mini"
		}
		return "Opera"
	case containsFold(ua, "BlackBerry"), containsFold(ua, "PlayBook"), containsFold(ua, "BB10"):
		return "BlackBerry"
	case has("IEMobile"), has("WPDesktop"):
		return "Internet Explorer Mobile"
	case has("SamsungBrowser/"):
		return "Samsung Internet"
	case has("Edge"), has("Edg/"):
		return "Microsoft Edge"
	case has("FBIOS"):
		return "Facebook Mobile"
	case has("Chrome"):
		return "Chrome"
	case has("CriOS"):
		return "Chrome iOS"
	case has("UCWEB"), has("UCBrowser"):
		return "UC Browser"
	case has("FxiOS"):
		return "Firefox iOS"
	case has("Safari"):
		if has("iPhone") {
			return "Mobile Safari"
		}
		return "Safari"
	case has("Android"):
		return "Android Mobile"
	case has("Konqueror"):
		return "Konqueror"
	case has("Firefox"):
		return "Firefox"
	case has("MSIE"), has("Trident/"):
		return "Internet Explorer"
	case has("Gecko"):
		return "Mozilla"
	}
	return ""
}

// browserVersion finds the dotted version number (at least two parts)
// after the browser's first marker that has one. A hand-written scan: this
// runs for every event, and regular expressions cost several allocations.
func browserVersion(ua, b string) string {
	for _, m := range versionMarkers[b] {
		for rest := ua; ; {
			i := strings.Index(rest, m)
			if i < 0 {
				break
			}
			rest = rest[i+len(m):]
			if v := dottedVersion(rest); v != "" {
				return v
			}
		}
	}
	return ""
}

func dottedVersion(s string) string {
	n, dots := 0, 0
	for n < len(s) {
		c := s[n]
		if c >= '0' && c <= '9' {
			n++
			continue
		}
		if c == '.' && n > 0 && s[n-1] != '.' && n+1 < len(s) && s[n+1] >= '0' && s[n+1] <= '9' {
			dots++
			n++
			continue
		}
		break
	}
	if dots == 0 {
		return ""
	}
	return s[:n]
}

// containsFold is an ASCII case-insensitive strings.Contains without the
// allocation of lowering the user agent.
func containsFold(s, sub string) bool {
	first := sub[0] | 0x20
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == first && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// importRequest posts events to the Import API.
func importRequest(s *destkit.Settings, body []byte) destkit.Request {
	strict := s.Str("strictMode")
	if strict == "" {
		strict = "1"
	}
	return destkit.NewJSONRequest("POST", apiHost(s)+"/import?strict="+strict, body)
}

// importStatus maps an Import API response onto the batch. In strict mode
// Mixpanel imports the valid events and lists the rejected ones by index in
// failed_records; owners maps those event indices back to payloads (one
// payload can produce several events).
func importStatus(resp *destkit.Response, events []int, owners []int) []error {
	errs := make([]error, len(events))
	err := destkit.StatusError(resp)
	if err == nil {
		return errs
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	failed := v.GetArray("failed_records")
	if resp.Status != 400 || perr != nil || failed == nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	for _, f := range failed {
		i := f.GetInt("index")
		if i < 0 || i >= len(owners) {
			continue
		}
		j := owners[i]
		if j < len(errs) && errs[j] == nil {
			errs[j] = &destkit.APIError{Status: 400, Code: string(f.GetStringBytes("field")), Body: f.GetStringBytes("message")}
		}
	}
	return errs
}
