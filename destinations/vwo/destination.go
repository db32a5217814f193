// Package vwo sends track, identify and page events and audience changes
// to VWO (Visual Website Optimizer) through VWO's events endpoint,
// https://dev.visualwebsiteoptimizer.com[/eu01|/as01]/events/t?en=<event>&a=<account>.
//
// Each event is one POST of {"d": {msgId, visId, event: {props, name,
// time}, sessionId[, visitor]}}, built as Segment's implementation builds
// it: the visitor is the VWO UUID the VWO snippet put in the event; track
// events are named "segment.<event>" and carry their properties (less
// vwo_uuid) in props, with the original name in props.vwoMeta.ogName; page
// visits are "segment.pageView" with the URL; identify calls are
// "vwo_syncVisitorProp" and set the traits (less vwo_uuid), each named
// "segment.<trait>", as visitor properties; props.page is the page with
// its referrer copied to referrerUrl. The visitor's user agent and IP go in
// the User-Agent and X-Forwarded-For headers. With an SDK key (VWO Feature
// Experimentation), the visitor ID is VWO's UUID v5 of the VWO UUID in a
// namespace derived from the account ID (upper case, no dashes) and the
// environment key is sent as the visitor property vwo_fs_environment.
// Audience changes post a "vwo_integration" event with the action
// (audience_entered or audience_exited), the audience and the user.
//
// Differences from Segment's implementation, on purpose:
//   - an event's time (d.event.time, and d.sessionId and the msgId's
//     suffix, in seconds) is the event's timestamp (the Timestamp field,
//     which Segment's code maps but never reads) rather than the time the
//     request is made, so retried, replayed and backfilled events keep
//     their time; without a valid timestamp it is the time of sending, as
//     Segment does (and as Sync Audience, which has no timestamp, always
//     does);
//   - Sync Audience posts to /collect/events/t, the endpoint VWO moved its
//     integration events to after the npm version the parity test pins
//     (3.497.0, which posts to /events/t).
package vwo

import (
	"crypto/sha1"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

var hosts = map[string]string{
	"US": "https://dev.visualwebsiteoptimizer.com",
	"EU": "https://dev.visualwebsiteoptimizer.com/eu01",
	"AS": "https://dev.visualwebsiteoptimizer.com/as01",
}

// now is replaced in tests.
var now = time.Now

// Definition is the VWO destination.
var Definition = &destkit.Definition{
	Slug:        "vwo",
	SegmentSlug: "actions-vwo-cloud",
	Name:        "VWO Cloud Mode (Actions)",
	Description: "Send events, page visits, visitor attributes and audience changes to VWO.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "vwoAccountId", Label: "Your VWO account ID", Type: destkit.Number, Required: true,
			Description: "Your VWO account ID (a number of up to 7 digits)."},
		{Key: "apikey", Label: "VWO SDK Key", Type: destkit.Password, Secret: true,
			Description: "SDK key of a VWO Feature Experimentation (Fullstack) environment; when set, visitor IDs are derived from the VWO UUID and the environment is sent with each event."},
		{Key: "region", Label: "Region", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "US", Label: "US"}, {Value: "EU", Label: "Europe"}, {Value: "AS", Label: "Asia"}},
			Default:     `"US"`,
			Description: "VWO data region to send to."},
	},
	Actions: []*destkit.Action{TrackEvent, IdentifyUser, PageVisit, SyncAudience},
	Presets: []destkit.Preset{
		{Name: "Track Event", Action: "trackEvent", Trigger: `type = "track"`, Mapping: destkit.JSON(TrackEvent.DefaultMapping())},
		{Name: "Identify User", Action: "identifyUser", Trigger: `type = "identify"`, Mapping: destkit.JSON(IdentifyUser.DefaultMapping())},
		{Name: "Page Visit", Action: "pageVisit", Trigger: `type = "page"`, Mapping: destkit.JSON(PageVisit.DefaultMapping())},
		{Name: "Sync Audience", Action: "syncAudience", Trigger: `event = "Audience Entered" or event = "Audience Exited"`,
			Mapping: destkit.JSON(SyncAudience.DefaultMapping())},
	},
}

// eventsURL is the events endpoint of the instance's region for event en.
func eventsURL(s *destkit.Settings, path, en string) string {
	host, ok := hosts[s.Str("region")]
	if !ok {
		host = hosts["US"]
	}
	return host + path + "?en=" + url.QueryEscape(en) + "&a=" + accountID(s)
}

// accountID is the account number as JavaScript prints it.
func accountID(s *destkit.Settings) string {
	return string(destkit.AppendJSNumber(nil, s.Num("vwoAccountId")))
}

// The fields the event actions share.
var (
	pageField = destkit.Field{Key: "page", Label: "Page", Type: destkit.Object, Default: `{"@path":"$.context.page"}`,
		Description: "Page the event happened on (url, path, title, referrer, …)."}
	ipField = destkit.Field{Key: "ip", Label: "IP Address", Type: destkit.String, Default: `{"@path":"$.context.ip"}`,
		Description: "IP address of the visitor; sent as X-Forwarded-For."}
	userAgentField = destkit.Field{Key: "userAgent", Label: "User Agent", Type: destkit.String, Default: `{"@path":"$.context.userAgent"}`,
		Description: "User agent of the visitor; sent as User-Agent."}
	timestampField = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Default: `{"@path":"$.timestamp"}`,
		Description: "When the event happened; VWO receives it as the event time."}
)

// vwoUUIDField is the visitor's VWO UUID, read from path.
func vwoUUIDField(path string) destkit.Field {
	return destkit.Field{Key: "vwoUuid", Label: "VWO UUID", Type: destkit.String, Required: true, Default: destkit.JSON(`{"@path":"` + path + `"}`),
		Description: "VWO UUID of the visitor (the _vwo_uuid cookie), which the VWO snippet adds to events."}
}

// event is one event of the track, page and identify actions.
type event struct {
	name   string
	custom bool
	// props are the event's own properties, before page, isCustomEvent
	// and vwoMeta are added.
	props destkit.JSObject
	// ogName, when set, is the event's name in Segment.
	ogName string
	// visitor, when set, adds the visitor properties to set, after the SDK
	// environment's.
	visitor func(vp *destkit.JSObject)
	// after adds members to props after vwoMeta and $visitor.
	after func(props *destkit.JSObject)
}

// request builds the POST of ev for payload p.
func (ev *event) request(p *fastjson.Value, s *destkit.Settings) (destkit.Request, error) {
	uuid := string(p.GetStringBytes("vwoUuid"))
	if uuid == "" {
		return destkit.Request{}, destkit.ValidationErrorf("vwoUuid", "The field \"vwoUuid\" is required.")
	}
	sdkKey := s.Str("apikey")
	visID := uuid
	if strings.TrimSpace(sdkKey) != "" {
		visID = visitorUUID(uuid, accountID(s))
	}
	t := now()
	if ts, ok := destkit.ParseJSDateString(string(p.GetStringBytes("timestamp"))); ok {
		t = ts
	}
	ms := t.UnixMilli()
	session := floorDiv(ms, 1000)

	props := &ev.props
	props.Set("page", pageValue(p.Get("page")))
	props.Set("isCustomEvent", boolJSON(ev.custom))
	var meta destkit.JSObject
	meta.SetString("source", "segment.cloud")
	meta.Set("metric", []byte("{}"))
	if ev.ogName != "" {
		meta.SetString("ogName", ev.ogName)
	}
	props.Set("vwoMeta", meta.AppendJSON(nil))
	var visitor []byte
	if strings.TrimSpace(sdkKey) != "" || ev.visitor != nil {
		var vp destkit.JSObject
		if strings.TrimSpace(sdkKey) != "" {
			vp.SetString("vwo_fs_environment", sdkKey)
		}
		if ev.visitor != nil {
			ev.visitor(&vp)
		}
		var vo destkit.JSObject
		vo.Set("props", vp.AppendJSON(nil))
		visitor = vo.AppendJSON(nil)
		props.Set("$visitor", visitor)
	}
	if ev.after != nil {
		ev.after(props)
	}

	var w destkit.JSONWriter
	w.ObjectStart()
	w.Key("d")
	w.ObjectStart()
	w.StringField("msgId", visID+"-"+strconv.FormatInt(session, 10))
	w.Key("visId")
	w.String(visID)
	w.Key("event")
	w.ObjectStart()
	w.Key("props")
	props.Write(&w)
	w.Key("name")
	w.String(ev.name)
	w.Key("time")
	w.Int(ms)
	w.ObjectEnd()
	w.Key("sessionId")
	w.Int(session)
	if visitor != nil {
		w.Key("visitor")
		w.Raw(visitor)
	}
	w.ObjectEnd()
	w.ObjectEnd()

	r := destkit.NewJSONRequest("POST", eventsURL(s, "/events/t", ev.name), w.Bytes())
	if ua := p.GetStringBytes("userAgent"); len(ua) > 0 {
		r.SetHeader("User-Agent", string(ua))
	}
	if ip := p.GetStringBytes("ip"); len(ip) > 0 {
		r.SetHeader("X-Forwarded-For", string(ip))
	}
	return r, nil
}

// pageValue is the page with its referrer copied to referrerUrl, or {}
// without a page.
func pageValue(page *fastjson.Value) []byte {
	if page == nil || page.Type() != fastjson.TypeObject {
		return []byte("{}")
	}
	var o destkit.JSObject
	o.Assign(page, nil)
	o.SetValue("referrerUrl", page.Get("referrer"))
	return o.AppendJSON(nil)
}

func boolJSON(b bool) []byte {
	if b {
		return []byte("true")
	}
	return []byte("false")
}

// floorDiv is Math.floor(a / b) for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// vwoNamespace is VWO's UUID namespace for visitor IDs.
const vwoNamespace = "11e13cd7-6c48-53ec-8679-7e9c752273c5"

// visitorUUID is the visitor ID VWO's SDKs derive from a user ID: the
// UUID v5 of the user ID in the namespace that is the UUID v5 of the
// account ID in VWO's namespace, in upper case without dashes.
func visitorUUID(userID, account string) string {
	ns := uuidV5(account, vwoNamespace)
	return strings.ToUpper(strings.ReplaceAll(uuidV5(userID, ns), "-", ""))
}

// uuidV5 is RFC 4122's name-based UUID (SHA-1) of name in namespace.
func uuidV5(name, namespace string) string {
	ns, _ := hex.DecodeString(strings.ReplaceAll(namespace, "-", ""))
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	sum := h.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	x := hex.EncodeToString(sum[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
