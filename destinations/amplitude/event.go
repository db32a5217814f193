package amplitude

import (
	"math"
	"regexp"
	"strconv"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Keys copied from the payload into an Amplitude event as they are, in the
// order Amplitude documents them.
var (
	eventKeysHead = []string{"user_id", "device_id", "event_type"}
	eventKeysTail = []string{"groups", "app_version"}
	eventKeysRest = []string{"os_name", "os_version", "device_brand", "device_manufacturer", "device_model",
		"carrier", "country", "region", "city", "dma", "language"}
	eventKeysGeo = []string{"location_lat", "location_lng", "ip", "idfa", "idfv", "adid", "android_id", "event_id", "insert_id"}
	revenueKeys  = []string{"price", "quantity", "revenue", "productId", "revenueType"}
)

// eventStyle says how the variants of the event actions differ.
type eventStyle struct {
	// revenue copies the revenue keys onto the event.
	revenue bool
	// v2 builds user properties from setOnce/setAlways/add instead of the
	// older utm_properties and referrer fields.
	v2 bool
	// eventType and props override event_type and event_properties
	// (per-product revenue events).
	eventType string
	props     *fastjson.Value
	// revenueFrom supplies the revenue keys instead of the payload.
	revenueFrom *fastjson.Value
	// insertSuffix is appended to insert_id to keep derived events unique.
	insertSuffix string
	// products copies the payload's products onto the event, as Segment's
	// Log Event actions do.
	products bool
}

// writeEvent writes one Amplitude event for payload p.
func writeEvent(w *destkit.JSONWriter, p *fastjson.Value, st eventStyle) {
	w.ObjectStart()
	if st.eventType == "" { // derived per-product events carry no parsed fields, as in Segment
		writeParsedUserAgent(w, p)
	}
	if p.GetBool("includeRawUserAgent") {
		w.Field("user_agent", p.Get("userAgent"))
	}
	for _, k := range eventKeysHead {
		if k == "event_type" && st.eventType != "" {
			w.Key(k)
			w.String(st.eventType)
			continue
		}
		w.Field(k, p.Get(k))
	}
	if v := p.Get("session_id"); v != nil {
		if ms, ok := epochMillis(v, true); ok {
			w.Key("session_id")
			w.Int(ms)
		}
	}
	if v := p.Get("time"); v != nil {
		if ms, ok := epochMillis(v, false); ok {
			w.Key("time")
			w.Int(ms)
		}
	}
	if st.props != nil {
		w.Field("event_properties", st.props)
	} else {
		w.Field("event_properties", p.Get("event_properties"))
	}
	writeUserProperties(w, p, st.v2)
	for _, k := range eventKeysTail {
		w.Field(k, p.Get(k))
	}
	writePlatform(w, p)
	for _, k := range eventKeysRest {
		w.Field(k, p.Get(k))
	}
	if st.revenue {
		src := p
		if st.revenueFrom != nil {
			src = st.revenueFrom
		}
		writeRevenue(w, src)
	}
	for _, k := range eventKeysGeo {
		if k == "insert_id" && st.insertSuffix != "" {
			if id := p.GetStringBytes(k); len(id) > 0 {
				w.Key(k)
				w.String(string(id) + st.insertSuffix)
			}
			continue
		}
		w.Field(k, p.Get(k))
	}
	if st.products {
		w.Field("products", p.Get("products"))
	}
	w.Field("use_batch_endpoint", p.Get("use_batch_endpoint"))
	writeLibrary(w, p)
	w.ObjectEnd()
}

// writeRevenue writes the revenue keys of src the way Segment does: revenue
// is quantity × price when both are numbers, and nothing is written when
// there is no revenue; revenueType defaults to Purchase and quantity is
// rounded.
func writeRevenue(w *destkit.JSONWriter, src *fastjson.Value) {
	revenue := src.Get("revenue")
	qty, price := src.Get("quantity"), src.Get("price")
	var product float64
	computed := false
	if qty != nil && price != nil && qty.Type() == fastjson.TypeNumber && price.Type() == fastjson.TypeNumber {
		q, _ := qty.Float64()
		pr, _ := price.Float64()
		product, computed = q*pr, true
	}
	if computed {
		if product == 0 {
			return
		}
		w.Key("revenue")
		w.Float(product)
	} else {
		if !destkit.Truthy(revenue) {
			return
		}
		w.Field("revenue", revenue)
	}
	w.Key("revenueType")
	if rt := src.Get("revenueType"); rt != nil && rt.Type() != fastjson.TypeNull {
		w.Value(rt)
	} else {
		w.String("Purchase")
	}
	if qty != nil && qty.Type() == fastjson.TypeNumber {
		q, _ := qty.Float64()
		w.Key("quantity")
		w.Float(math.Floor(q + 0.5))
	}
	w.Field("price", price)
	w.Field("productId", src.Get("productId"))
}

var (
	iosRE     = regexp.MustCompile(`(?i)ios`)
	androidRE = regexp.MustCompile(`(?i)android`)
)

// writePlatform normalises the platform's spelling the way Amplitude's
// charts expect it, and marks analytics.js traffic as Web.
func writePlatform(w *destkit.JSONWriter, p *fastjson.Value) {
	pl := string(p.GetStringBytes("platform"))
	if pl != "" {
		if loc := iosRE.FindStringIndex(pl); loc != nil {
			pl = pl[:loc[0]] + "iOS" + pl[loc[1]:]
		}
		if loc := androidRE.FindStringIndex(pl); loc != nil {
			pl = pl[:loc[0]] + "Android" + pl[loc[1]:]
		}
	} else if string(p.GetStringBytes("library")) == "analytics.js" {
		pl = "Web"
	}
	if pl != "" {
		w.Key("platform")
		w.String(pl)
	}
}

// writeLibrary names the sending library: the mapped one when the user
// asked for it, "segment" otherwise (Amplitude attributes traffic by it).
func writeLibrary(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Key("library")
	if l := p.Get("library2"); l != nil && string(l.GetStringBytes("behavior")) == "use_mapping" {
		if m := l.Get("mapping"); m != nil {
			w.Value(m)
			return
		}
	}
	w.String("segment")
}

// writeUserProperties writes user_properties with Amplitude's $set,
// $setOnce and $add operations folded in.
func writeUserProperties(w *destkit.JSONWriter, p *fastjson.Value, v2 bool) {
	up := p.GetObject("user_properties")
	if v2 {
		setOnce, set, add := nonEmpty(p.Get("setOnce")), nonEmpty(p.Get("setAlways")), nonEmpty(p.Get("add"))
		if up == nil && setOnce == nil && set == nil && add == nil {
			return
		}
		w.Key("user_properties")
		w.ObjectStart()
		copyObject(w, up, nil)
		w.Field("$setOnce", setOnce)
		w.Field("$set", set)
		w.Field("$add", add)
		w.ObjectEnd()
		return
	}
	utm := nonEmpty(p.Get("utm_properties"))
	ref := p.Get("referrer")
	if utm == nil && ref == nil {
		w.Field("user_properties", p.Get("user_properties"))
		return
	}
	// First-touch values go to $setOnce with an initial_ prefix, latest
	// values to $set, as Amplitude's attribution model expects.
	w.Key("user_properties")
	w.ObjectStart()
	w.Key("$set")
	w.ObjectStart()
	copyObject(w, utm.GetObject(), nil)
	w.Field("referrer", ref)
	w.ObjectEnd()
	w.Key("$setOnce")
	w.ObjectStart()
	if o := utm.GetObject(); o != nil {
		o.Visit(func(k []byte, v *fastjson.Value) {
			w.Key("initial_" + string(k))
			w.Value(v)
		})
	}
	w.Field("initial_referrer", ref)
	w.ObjectEnd()
	copyObject(w, up, map[string]bool{"utm_properties": true, "referrer": true, "$set": true, "$setOnce": true})
	w.ObjectEnd()
}

func nonEmpty(v *fastjson.Value) *fastjson.Value {
	if v == nil {
		return nil
	}
	if o, err := v.Object(); err == nil && o.Len() == 0 {
		return nil
	}
	return v
}

func copyObject(w *destkit.JSONWriter, o *fastjson.Object, skip map[string]bool) {
	if o == nil {
		return
	}
	o.Visit(func(k []byte, v *fastjson.Value) {
		if skip[string(k)] {
			return
		}
		w.Key(string(k))
		w.Value(v)
	})
}

// epochMillis converts a datetime field to epoch milliseconds. Numbers are
// taken as milliseconds already; session IDs may also be digit strings.
func epochMillis(v *fastjson.Value, session bool) (int64, bool) {
	switch v.Type() {
	case fastjson.TypeNumber:
		n, err := v.Int64()
		if err != nil {
			f, _ := v.Float64()
			return int64(f), true
		}
		return n, true
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && session {
			return n, true
		}
		for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
			if t, err := time.Parse(l, s); err == nil {
				return t.UnixMilli(), true
			}
		}
	}
	return 0, false
}

// eventsRequest builds the httpapi (or batch) request around events.
func eventsRequest(in *destkit.Input, events func(w *destkit.JSONWriter)) []destkit.Request {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	w.Key("api_key")
	w.String(in.Settings.Str("apiKey"))
	w.Key("events")
	w.ArrayStart()
	events(w)
	w.ArrayEnd()
	writeOptions(w, p)
	w.ObjectEnd()
	api := "httpapi"
	if useBatch(p) {
		api = "batch"
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(api, in.Settings), w.Bytes())}
}

// useBatch reads use_batch_endpoint, which logEventV2 declares as a list.
func useBatch(p *fastjson.Value) bool {
	v := p.Get("use_batch_endpoint")
	if v == nil {
		return false
	}
	if a, err := v.Array(); err == nil {
		return len(a) > 0 && a[0].Type() == fastjson.TypeTrue
	}
	return v.Type() == fastjson.TypeTrue
}

func writeOptions(w *destkit.JSONWriter, p *fastjson.Value) {
	if o := options(p); o != nil {
		w.Key("options")
		w.Raw(o)
	}
}

// options returns the options object, or nil when min_id_length is unset:
// Amplitude's default minimum ID length then applies.
func options(p *fastjson.Value) []byte {
	n := p.GetInt("min_id_length")
	if n <= 0 {
		return nil
	}
	return []byte(`{"min_id_length":` + strconv.Itoa(n) + `}`)
}
