package facebookconversionsapi

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Meta matches customers on SHA-256 hashes of normalised values: the same
// person must produce the same hash whatever the spelling, so each value is
// normalised first (lower case, no whitespace, digits-only phone numbers,
// two-letter states and countries).

// hashed lists user_data fields that are hashed, with the key Meta expects.
var hashed = []struct {
	field, key string
	norm       func(string) string
}{
	{"email", "em", squash},
	{"phone", "ph", destkit.Digits},
	{"gender", "ge", gender},
	{"dateOfBirth", "db", strings.TrimSpace},
	{"lastName", "ln", squash},
	{"firstName", "fn", squash},
	{"city", "ct", squash},
	{"state", "st", state},
	{"zip", "zp", squash},
	{"country", "country", country},
}

// passed lists user_data fields sent as they are: identifiers Meta needs
// in the clear (cookies, IP, user agent) or that are already opaque.
var passed = []struct{ field, key string }{
	{"client_ip_address", "client_ip_address"}, {"client_user_agent", "client_user_agent"},
	{"fbc", "fbc"}, {"fbp", "fbp"}, {"subscriptionID", "subscription_id"}, {"leadID", "lead_id"},
	{"fbLoginID", "fb_login_id"}, {"anonId", "anon_id"}, {"madId", "madid"},
	{"partner_id", "partner_id"}, {"partner_name", "partner_name"}, {"ctwa_clid", "ctwa_clid"},
}

func writeUserData(w *destkit.JSONWriter, ud *fastjson.Value) {
	w.ObjectStart()
	for _, h := range hashed {
		if s := ud.GetStringBytes(h.field); len(s) > 0 {
			w.Key(h.key)
			w.String(Hash(h.norm(string(s))))
		}
	}
	if ids := ud.GetArray("externalId"); len(ids) > 0 {
		w.Key("external_id")
		w.ArrayStart()
		for _, id := range ids {
			w.String(Hash(squash(string(id.GetStringBytes()))))
		}
		w.ArrayEnd()
	}
	for _, p := range passed {
		w.Field(p.key, ud.Get(p.field))
	}
	w.ObjectEnd()
}

func hasIdentifier(ud *fastjson.Object) bool {
	found := false
	ud.Visit(func(k []byte, v *fastjson.Value) {
		if v.Type() != fastjson.TypeNull {
			found = true
		}
	})
	return found
}

// Hash returns the hex SHA-256 of an already normalised value. A value
// that is already a SHA-256 hex digest is returned unchanged, so callers
// may hash upstream.
func Hash(v string) string {
	if isSHA256Hex(v) {
		return v
	}
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

func isSHA256Hex(v string) bool {
	if len(v) != 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// squash lower-cases and removes all whitespace.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func gender(s string) string {
	switch g := squash(s); g {
	case "male":
		return "m"
	case "female":
		return "f"
	default:
		return g
	}
}

func state(s string) string {
	st := squash(s)
	if code, ok := usStates[st]; ok {
		return code
	}
	return st
}

func country(s string) string {
	c := squash(s)
	if code, ok := countries[c]; ok {
		return code
	}
	return c
}

// usStates maps squashed US state names to their postal codes.
var usStates = map[string]string{
	"alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca", "colorado": "co",
	"connecticut": "ct", "delaware": "de", "districtofcolumbia": "dc", "florida": "fl", "georgia": "ga",
	"hawaii": "hi", "idaho": "id", "illinois": "il", "indiana": "in", "iowa": "ia", "kansas": "ks",
	"kentucky": "ky", "louisiana": "la", "maine": "me", "maryland": "md", "massachusetts": "ma",
	"michigan": "mi", "minnesota": "mn", "mississippi": "ms", "missouri": "mo", "montana": "mt",
	"nebraska": "ne", "nevada": "nv", "newhampshire": "nh", "newjersey": "nj", "newmexico": "nm",
	"newyork": "ny", "northcarolina": "nc", "northdakota": "nd", "ohio": "oh", "oklahoma": "ok",
	"oregon": "or", "pennsylvania": "pa", "rhodeisland": "ri", "southcarolina": "sc", "southdakota": "sd",
	"tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt", "virginia": "va", "washington": "wa",
	"westvirginia": "wv", "wisconsin": "wi", "wyoming": "wy", "puertorico": "pr",
}

// countries maps squashed English country names to ISO 3166-1 alpha-2
// codes. It covers the markets most events come from; other names are sent
// normalised but unmapped.
var countries = map[string]string{
	"unitedstates": "us", "unitedstatesofamerica": "us", "usa": "us", "canada": "ca", "mexico": "mx",
	"brazil": "br", "argentina": "ar", "chile": "cl", "colombia": "co", "peru": "pe",
	"unitedkingdom": "gb", "greatbritain": "gb", "uk": "gb", "ireland": "ie", "france": "fr", "germany": "de",
	"spain": "es", "portugal": "pt", "italy": "it", "netherlands": "nl", "belgium": "be", "luxembourg": "lu",
	"switzerland": "ch", "austria": "at", "denmark": "dk", "sweden": "se", "norway": "no", "finland": "fi",
	"iceland": "is", "poland": "pl", "czechia": "cz", "czechrepublic": "cz", "hungary": "hu", "romania": "ro",
	"greece": "gr", "turkey": "tr", "türkiye": "tr", "ukraine": "ua", "israel": "il", "unitedarabemirates": "ae",
	"saudiarabia": "sa", "egypt": "eg", "southafrica": "za", "nigeria": "ng", "kenya": "ke", "morocco": "ma",
	"india": "in", "pakistan": "pk", "bangladesh": "bd", "china": "cn", "japan": "jp", "southkorea": "kr",
	"korea": "kr", "taiwan": "tw", "hongkong": "hk", "singapore": "sg", "malaysia": "my", "indonesia": "id",
	"thailand": "th", "vietnam": "vn", "philippines": "ph", "australia": "au", "newzealand": "nz",
}
