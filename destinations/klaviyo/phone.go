package klaviyo

import (
	"regexp"
	"strconv"
	"sync"
)

// phoneRegion is what converting a national number to E.164 needs.
type phoneRegion struct {
	callingCode    int
	nationalPrefix string
	pattern        string // national significant number, whole-match
	lengths        []int
}

var phonePatterns sync.Map // region -> *regexp.Regexp

func (r *phoneRegion) valid(region, nsn string) bool {
	ok := false
	for _, l := range r.lengths {
		if len(nsn) == l {
			ok = true
			break
		}
	}
	if !ok {
		return false
	}
	re, found := phonePatterns.Load(region)
	if !found {
		re, _ = phonePatterns.LoadOrStore(region, regexp.MustCompile(`^(?:`+r.pattern+`)$`))
	}
	return re.(*regexp.Regexp).MatchString(nsn)
}

// toE164 returns phone in E.164 form. A number already in that form is
// kept as it is; anything else needs the ISO country the number belongs
// to, and must be a plausible number of that country (right length and
// number plan, from libphonenumber's metadata). Segment calls
// libphonenumber itself, which also knows each country's number types; the
// general pattern used here accepts the same numbers in practice.
func toE164(phone, country string) (string, bool) {
	if isE164(phone) {
		return phone, true
	}
	r, ok := phoneRegions[country]
	if !ok {
		return "", false
	}
	cc := strconv.Itoa(r.callingCode)
	digits := make([]byte, 0, len(phone))
	plus := false
	for i := 0; i < len(phone); i++ {
		c := phone[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '+' && len(digits) == 0 && !plus:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t':
		default:
			return "", false
		}
	}
	nsn := string(digits)
	if plus || len(nsn) > 2 && nsn[:2] == "00" && len(nsn) > 2+len(cc) && nsn[2:2+len(cc)] == cc {
		// International form: the calling code must be the country's.
		if !plus {
			nsn = nsn[2:]
		}
		if len(nsn) <= len(cc) || nsn[:len(cc)] != cc {
			return "", false
		}
		nsn = nsn[len(cc):]
		if !r.valid(country, nsn) && r.nationalPrefix != "" && len(nsn) > len(r.nationalPrefix) &&
			nsn[:len(r.nationalPrefix)] == r.nationalPrefix && r.valid(country, nsn[len(r.nationalPrefix):]) {
			// "+44 (0)20 …": a trunk prefix kept after the calling code.
			nsn = nsn[len(r.nationalPrefix):]
		}
	} else if !r.valid(country, nsn) {
		switch {
		case r.nationalPrefix != "" && len(nsn) > len(r.nationalPrefix) && nsn[:len(r.nationalPrefix)] == r.nationalPrefix &&
			r.valid(country, nsn[len(r.nationalPrefix):]):
			nsn = nsn[len(r.nationalPrefix):]
		case len(nsn) > len(cc) && nsn[:len(cc)] == cc && r.valid(country, nsn[len(cc):]):
			// The calling code written without "+".
			nsn = nsn[len(cc):]
		}
	}
	if !r.valid(country, nsn) {
		return "", false
	}
	return "+" + cc + nsn, true
}

// isE164 matches ^\+[1-9]\d{1,14}$.
func isE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
