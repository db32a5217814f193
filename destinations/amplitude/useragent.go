package amplitude

import (
	"regexp"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Segment's Amplitude actions fill device and OS fields from the user agent
// (userAgentParsing, on by default) with ua-parser-js 0.7 (Amplitude's fork):
//
//	os_name             the OS name, else the browser name
//	os_version          userAgentData.platformVersion, else the browser's major version
//	device_manufacturer the device vendor
//	device_model        userAgentData.model, else the device model, else the OS name
//	device_type         the device type (mobile, tablet)
//
// Mapped fields win over parsed ones. parseUserAgent follows ua-parser-js's
// rules, in its order, for the browsers, systems and devices that make up
// most traffic: the desktop and mobile browsers, Windows, macOS, iOS,
// Android, Chromium OS and Linux, Apple and Samsung devices, Google Pixels
// and Android devices of other vendors through its generic rules. Rarer
// vendors and in-app browsers it names (Huawei, Xiaomi, Facebook's app, …)
// come out as the generic rules see them.

// uaRule is one regular expression of ua-parser-js's rule lists; name is the
// fixed name it gives, or empty to take the first group; version is the
// group holding the version (0 for none); model is the group holding the
// model. notAfter rejects a match followed by the given text (ua-parser-js
// uses a lookahead, which RE2 lacks).
type uaRule struct {
	re       *regexp.Regexp
	name     string
	version  int
	notAfter string
	// device rules
	model  int
	vendor string
	kind   string
}

func rx(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

var uaBrowsers = []uaRule{
	{re: rx(`\b(?:crmo|crios)/([\w.]+)`), name: "Chrome", version: 1},
	{re: rx(`edg(?:e|ios|a)?/([\w.]+)`), name: "Edge", version: 1},
	{re: rx(`(opera mini)/([-\w.]+)`), version: 2},
	{re: rx(`(opera [mobiletab]{3,6})\b.+version/([-\w.]+)`), version: 2},
	{re: rx(`(opera)(?:.+version/|[/ ]+)([\w.]+)`), version: 2},
	{re: rx(`opios[/ ]+([\w.]+)`), name: "Opera Mini", version: 1},
	{re: rx(`\bopr/([\w.]+)`), name: "Opera", version: 1},
	{re: rx(`(?:ms|\()(ie) ([\w.]+)`), version: 2},
	{re: rx(`trident.+rv[: ]([\w.]{1,9})\b.+like gecko`), name: "IE", version: 1},
	{re: rx(`yabrowser/([\w.]+)`), name: "Yandex", version: 1},
	{re: rx(`fxios/([-\w.]+)`), name: "Firefox", version: 1},
	{re: rx(`samsungbrowser/([\w.]+)`), name: "Samsung Browser", version: 1},
	// Facebook's in-app browser: its version when the user agent names one.
	{re: rx(`;fbav/([\w.]+);`), name: "Facebook", version: 1},
	{re: rx(`(?:fban/fbios|fb_iab/fb4a)`), name: "Facebook"},
	{re: rx(`(chromium|instagram)[/ ]([-\w.]+)`), version: 2},
	{re: rx(`\bgsa/([\w.]+) .*safari/`), name: "GSA", version: 1},
	{re: rx(`headlesschrome(?:/([\w.]+)| )`), name: "Chrome Headless", version: 1},
	{re: rx(` wv\).+chrome/([\w.]+)`), name: "Chrome WebView", version: 1},
	{re: rx(`droid.+ version/([\w.]+)\b.+(?:mobile safari|safari)`), name: "Android Browser", version: 1},
	{re: rx(`(chrome|omniweb|arora|[tizenoka]{5} ?browser)/v?([\w.]+)`), version: 2},
	{re: rx(`version/([\w.,]+) .*mobile/\w+ safari`), name: "Mobile Safari", version: 1},
	{re: rx(`version/([\w(.|,)]+) .*(mobile ?safari|safari)`), version: 1, model: 2}, // name is group 2
	{re: rx(`(firefox)/([\w.]+)`), version: 2},
	{re: rx(`rv:([\w.]{1,9})\b.+(gecko)`), version: 1, model: 2},
}

var uaSystems = []uaRule{
	{re: rx(`microsoft (windows) (vista|xp)`)},
	{re: rx(`(windows) nt 6\.2; (arm)`)},
	{re: rx(`(windows (?:phone(?: os)?|mobile))[/ ]?([\d.\w ]*)`)},
	{re: rx(`(windows)[/ ]?([ntce\d. ]+\w)`), notAfter: "xbox"},
	{re: rx(`ip[honead]{2,4}\b(?:.*os ([\w]+) like mac|; opera)`), name: "iOS"},
	{re: rx(`cfnetwork/.+darwin`), name: "iOS"},
	{re: rx(`(mac os x) ?([\w. ]*)`), name: "Mac OS"},
	{re: rx(`(macintosh|mac_powerpc\b)`), name: "Mac OS", notAfter: "haiku"},
	{re: rx(`droid ([\w.]+)\b.+(android[- ]x86|harmonyos)`), model: 2}, // name is group 2
	{re: rx(`(android|webos|qnx|bada|rim tablet os|maemo|meego|sailfish)[-/ ]?([\w.]*)`)},
	{re: rx(`(cros) [\w]+ ([\w.]+\w)`), name: "Chromium OS"},
	{re: rx(`([kxln]?ubuntu|debian|suse|opensuse|gentoo|slackware|fedora|mandriva|centos|red ?hat)`)},
	{re: rx(`(hurd|linux) ?([\w.]*)`)},
}

var uaDevices = []uaRule{
	{re: rx(`\b(sch-i[89]0\d|shw-m380s|sm-[ptx]\w{2,4}|gt-[pn]\d{2,4}|sgh-t8[56]9|nexus 10)`), model: 1, vendor: "Samsung", kind: "tablet"},
	{re: rx(`\b((?:s[cgp]h|gt|sm)-\w+|galaxy nexus)`), model: 1, vendor: "Samsung", kind: "mobile"},
	{re: rx(`samsung[- ]([-\w]+)`), model: 1, vendor: "Samsung", kind: "mobile"},
	{re: rx(`((ipod|iphone)\d+,\d+)`), model: 1, vendor: "Apple", kind: "mobile"},
	{re: rx(`(ipad\d+,\d+)`), model: 1, vendor: "Apple", kind: "tablet"},
	{re: rx(`\((ip(?:hone|od)[\w ]*);`), model: 1, vendor: "Apple", kind: "mobile"},
	{re: rx(`\((ipad);[-\w),; ]+apple`), model: 1, vendor: "Apple", kind: "tablet"},
	{re: rx(`applecoremedia/[\w.]+ \((ipad)`), model: 1, vendor: "Apple", kind: "tablet"},
	{re: rx(`\b(ipad)\d\d?,\d\d?[;\]].+ios`), model: 1, vendor: "Apple", kind: "tablet"},
	{re: rx(`(macintosh);`), model: 1, vendor: "Apple"},
	{re: rx(`(pixel c)\b`), model: 1, vendor: "Google", kind: "tablet"},
	{re: rx(`droid.+; (pixel[\daxl ]{0,6})(?: bui|\))`), model: 1, vendor: "Google", kind: "mobile"},
	{re: rx(`droid .+?; ([^;]+?)(?: bui|\) applew).+? mobile safari`), model: 1, kind: "mobile"},
	{re: rx(`droid .+?; ([^;]+?)(?: bui|\) applew).+? safari`), model: 1, kind: "tablet"},
	{re: rx(`\b((tablet|tab)[;/]|focus/\d)`), kind: "tablet"},
	{re: rx(`(phone|mobile(?:[;/]| [ \w/.]*safari)|pda)`), kind: "mobile"},
	{re: rx(`(android[-\w. ]{0,9});.+buil`), model: 1, vendor: "Generic"},
}

// uaMatch returns the groups of the first rule that matches ua, and the rule.
func uaMatch(rules []uaRule, ua string) (*uaRule, []string) {
	for i := range rules {
		r := &rules[i]
		loc := r.re.FindStringSubmatchIndex(ua)
		if loc == nil {
			continue
		}
		if r.notAfter != "" && strings.Contains(strings.ToLower(ua[loc[1]:]), r.notAfter) {
			continue
		}
		groups := make([]string, len(loc)/2)
		for g := range groups {
			if loc[2*g] >= 0 {
				groups[g] = ua[loc[2*g]:loc[2*g+1]]
			}
		}
		return r, groups
	}
	return nil, nil
}

// uaInfo is what ua-parser-js reports that the Amplitude actions use.
type uaInfo struct {
	osName, browserName, browserMajor string
	vendor, model, kind               string
}

func parseUserAgent(ua string) uaInfo {
	var info uaInfo
	if r, g := uaMatch(uaBrowsers, ua); r != nil {
		switch {
		case r.name != "":
			info.browserName = r.name
		case r.model > 0:
			info.browserName = g[r.model]
		default:
			info.browserName = g[1]
		}
		if r.version > 0 {
			info.browserMajor = major(g[r.version])
		}
	}
	if r, g := uaMatch(uaSystems, ua); r != nil {
		switch {
		case r.name != "":
			info.osName = r.name
		case r.model > 0:
			info.osName = g[r.model]
		default:
			info.osName = g[1]
		}
	}
	if r, g := uaMatch(uaDevices, ua); r != nil {
		if r.model > 0 {
			info.model = g[r.model]
		}
		info.vendor, info.kind = r.vendor, r.kind
	}
	return info
}

var nonVersion = regexp.MustCompile(`[^\d.]`)

// major is ua-parser-js's major version: digits and dots only, up to the
// first dot.
func major(v string) string {
	v = nonVersion.ReplaceAllString(v, "")
	if i := strings.IndexByte(v, '.'); i >= 0 {
		return v[:i]
	}
	return v
}

// writeParsedUserAgent writes the fields parsed from the payload's user
// agent that the payload does not map itself, when parsing is on.
func writeParsedUserAgent(w *destkit.JSONWriter, p *fastjson.Value) {
	ua := string(p.GetStringBytes("userAgent"))
	if ua == "" || !p.GetBool("userAgentParsing") {
		return
	}
	info := parseUserAgent(ua)
	uad := p.Get("userAgentData")
	put := func(k, v string) {
		if v != "" && p.Get(k) == nil {
			w.Key(k)
			w.String(v)
		}
	}
	putValue := func(k string, v *fastjson.Value, fallback string) {
		if p.Get(k) != nil {
			return
		}
		if v != nil && v.Type() != fastjson.TypeNull {
			w.Key(k)
			w.Value(v)
			return
		}
		put(k, fallback)
	}
	osName := info.osName
	if osName == "" {
		osName = info.browserName
	}
	put("os_name", osName)
	putValue("os_version", uad.Get("platformVersion"), info.browserMajor)
	put("device_manufacturer", info.vendor)
	model := info.model
	if model == "" {
		model = info.osName
	}
	putValue("device_model", uad.Get("model"), model)
	put("device_type", info.kind)
}
