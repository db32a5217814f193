package destkit

import (
	"net/netip"
	"unicode"
	"unicode/utf8"
)

// String formats are checked the way Segment's runtime checks them: AJV
// with ajv-formats 2.1 in its default "full" mode. Each checker below
// accepts the same language as the ajv-formats rule of the same name; they
// are written by hand (no regexp) so a valid value costs no allocation on
// the processor's hot path. Formats we do not know are accepted, as AJV
// accepts formats that always validate ("text", "password").

// formatLabels are the nouns Segment's error messages use for each format
// (ajv-human-errors); a format without one is named as it is.
var formatLabels = map[string]string{
	"date-time":     "date and time",
	"time":          "time",
	"date":          "date",
	"email":         "email address",
	"hostname":      "hostname",
	"ipv4":          "IPv4 address",
	"ipv6":          "IPv6 address",
	"uri":           "URI",
	"uri-reference": "URI Reference",
}

func formatLabel(format string) string {
	if l, ok := formatLabels[format]; ok {
		return l
	}
	return format
}

// ValidFormat reports whether s satisfies the named string format. Unknown
// formats always validate.
func ValidFormat(format string, s []byte) bool {
	switch format {
	case "email":
		return validEmail(s)
	case "uri":
		return validURI(s, false)
	case "uri-reference":
		return validURI(s, true)
	case "date-time":
		return validDateTime(s)
	case "date":
		return validDate(s)
	case "time":
		return validTime(s, false)
	case "hostname":
		return validHostname(s)
	case "ipv4":
		return validIPv4(s)
	case "ipv6":
		return validIPv6(s)
	case "uuid":
		return validUUID(s)
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// hasPrefixFold is bytes.HasPrefix ignoring ASCII case.
func hasPrefixFold(s []byte, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// validEmail: a local part of dot-separated atoms of RFC 5322 atext, "@",
// and at least two dot-separated DNS labels (letters, digits, inner
// hyphens). No quoted local parts, no IP literals, ASCII only.
func validEmail(s []byte) bool {
	at := -1
	for i, c := range s {
		if c == '@' {
			if at >= 0 {
				return false
			}
			at = i
		}
	}
	if at <= 0 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	prevDot := true // no leading dot
	for _, c := range local {
		if c == '.' {
			if prevDot {
				return false
			}
			prevDot = true
			continue
		}
		if !isAlnum(c) && !isAtextSymbol(c) {
			return false
		}
		prevDot = false
	}
	if prevDot {
		return false
	}
	labels := 0
	for len(domain) > 0 {
		i := 0
		for i < len(domain) && domain[i] != '.' {
			i++
		}
		if !validLabel(domain[:i], 0) {
			return false
		}
		labels++
		if i == len(domain) {
			break
		}
		domain = domain[i+1:]
		if len(domain) == 0 {
			return false // trailing dot
		}
	}
	return labels >= 2
}

func isAtextSymbol(c byte) bool {
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '/', '=', '?', '^', '_', '`', '{', '|', '}', '~', '-':
		return true
	}
	return false
}

// validLabel checks one DNS label: letters and digits, hyphens inside
// only, and at most max characters when max > 0.
func validLabel(l []byte, max int) bool {
	if len(l) == 0 || max > 0 && len(l) > max {
		return false
	}
	if !isAlnum(l[0]) || !isAlnum(l[len(l)-1]) {
		return false
	}
	for _, c := range l {
		if !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// validHostname: dot-separated labels of at most 63 characters with an
// optional final dot, 253 characters in all (254 with that dot).
func validHostname(s []byte) bool {
	if len(s) == 0 || len(s) > 254 || len(s) == 254 && s[253] != '.' {
		return false
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	for {
		i := 0
		for i < len(s) && s[i] != '.' {
			i++
		}
		if !validLabel(s[:i], 63) {
			return false
		}
		if i == len(s) {
			return true
		}
		s = s[i+1:]
	}
}

// validIPv4: four dot-separated decimal octets. Like ajv-formats, an octet
// may carry leading zeros ("010") as long as it has at most three digits
// and stays within 0-255.
func validIPv4(s []byte) bool {
	parts := 0
	for {
		i := 0
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == 0 || i > 3 {
			return false
		}
		if i == 3 {
			switch {
			case s[0] == '0' || s[0] == '1':
			case s[0] == '2' && (s[1] < '5' || s[1] == '5' && s[2] <= '5'):
			default:
				return false
			}
		}
		parts++
		if parts == 4 {
			return i == len(s)
		}
		if i == len(s) || s[i] != '.' {
			return false
		}
		s = s[i+1:]
	}
}

// validIPv6 accepts the textual IPv6 forms of RFC 4291 (including an
// embedded IPv4 tail) without a zone.
func validIPv6(s []byte) bool {
	for _, c := range s {
		if c != ':' && c != '.' && !isHex(c) {
			return false // also rules out zones and brackets
		}
	}
	a, err := netip.ParseAddr(string(s))
	return err == nil && a.Is6()
}

// validUUID: 8-4-4-4-12 hexadecimal digits, optionally after "urn:uuid:".
func validUUID(s []byte) bool {
	if hasPrefixFold(s, "urn:uuid:") {
		s = s[len("urn:uuid:"):]
	}
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

var daysIn = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func digits(s []byte) (int, bool) {
	n := 0
	for _, c := range s {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// validDate: YYYY-MM-DD naming a real calendar day.
func validDate(s []byte) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return false
	}
	max := daysIn[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		max = 29
	}
	return d <= max
}

// validTime: hh:mm:ss, optional fraction, optional zone (Z, ±hh, ±hhmm or
// ±hh:mm); 23:59:60 is a leap second. ajv-formats 2.1 means to require the
// zone inside date-time but its check never fails, so a missing zone is
// accepted there too; tzRequired stays false to keep that behaviour.
func validTime(s []byte, tzRequired bool) bool {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return false
	}
	h, ok1 := digits(s[:2])
	m, ok2 := digits(s[3:5])
	sec, ok3 := digits(s[6:8])
	if !ok1 || !ok2 || !ok3 {
		return false
	}
	if !(h <= 23 && m <= 59 && sec <= 59 || h == 23 && m == 59 && sec == 60) {
		return false
	}
	rest := s[8:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	switch {
	case len(rest) == 0:
		return !tzRequired
	case len(rest) == 1 && (rest[0] == 'z' || rest[0] == 'Z'):
		return true
	case rest[0] == '+' || rest[0] == '-':
		z := rest[1:]
		switch len(z) {
		case 2:
			_, ok := digits(z)
			return ok
		case 4:
			_, ok := digits(z)
			return ok
		case 5:
			_, okh := digits(z[:2])
			_, okm := digits(z[3:])
			return okh && okm && z[2] == ':'
		}
	}
	return false
}

// validDateTime: a date and a time split by exactly one "T", "t" or
// whitespace character (JavaScript's \s, which includes Unicode spaces).
func validDateTime(s []byte) bool {
	sep, width := -1, 0
	for i := 0; i < len(s); {
		c := s[i]
		w := 1
		isSep := c == 't' || c == 'T' || c == ' ' || c >= '\t' && c <= '\r'
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(s[i:])
			w = n
			isSep = unicode.IsSpace(r) || r == '\ufeff'
		}
		if isSep {
			if sep >= 0 {
				return false
			}
			sep, width = i, w
		}
		i += w
	}
	return sep >= 0 && validDate(s[:sep]) && validTime(s[sep+width:], false)
}

// URI grammar (RFC 3986) as ajv-formats reads it. Two deliberate quirks of
// that rule are kept: the authority may follow a single slash
// ("scheme:/host"), and for uri-reference a double quote is allowed in
// host names and paths.

// uriClass holds, per byte, the bits of the character sets below: one table lookup per
// character where a chain of predicate calls ran before (every rendered URL is checked).
var uriClass = func() (t [256]uint8) {
	for c := range 256 {
		b := byte(c)
		if isAlnum(b) || b == '-' || b == '.' || b == '_' || b == '~' {
			t[c] |= uriUnreserved
		}
		if isAlnum(b) || b == '+' || b == '-' || b == '.' {
			t[c] |= uriScheme
		}
	}
	for _, c := range "!$&'()*+,;=" {
		t[c] |= uriSubDelim
	}
	t[':'] |= uriColon
	t['@'] |= uriAt
	t['/'] |= uriSlash
	t['?'] |= uriQuestion
	t['"'] |= uriQuote
	return t
}()

const (
	uriUnreserved uint8 = 1 << iota
	uriSubDelim
	uriColon
	uriAt
	uriSlash
	uriQuestion
	uriQuote
	uriScheme
)

// The character sets of RFC 3986, with the quote ajv-formats admits in references.
const (
	pchar          = uriUnreserved | uriSubDelim | uriColon | uriAt
	pathChars      = pchar | uriSlash
	pathCharsQuote = pathChars | uriQuote
	queryChars     = pchar | uriSlash | uriQuestion
	userinfoChars  = uriUnreserved | uriSubDelim | uriColon
	regNameChars   = uriUnreserved | uriSubDelim
	regNameQuote   = regNameChars | uriQuote
	schemeChars    = uriScheme
)

// scan checks that s consists of characters of the set and well-formed percent escapes.
func scan(s []byte, set uint8) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
			continue
		}
		if uriClass[s[i]]&set == 0 {
			return false
		}
	}
	return true
}

func indexByte(s []byte, c byte) int {
	for i := range s {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// validURI checks an absolute URI, or with ref a URI reference.
func validURI(s []byte, ref bool) bool {
	// The scheme ends at the first ':' before any '/', '?' or '#'.
	rest := s
	hasScheme := false
	for i, c := range s {
		if c == ':' {
			if i > 0 && isAlpha(s[0]) && scan(s[1:i], schemeChars) && indexByte(s[:i], '%') < 0 {
				hasScheme = true
				rest = s[i+1:]
			}
			break
		}
		if c == '/' || c == '?' || c == '#' {
			break
		}
	}
	if !hasScheme && !ref {
		return false
	}
	if hasScheme && ref && !uriRest(rest, ref) {
		// In a reference the part before ':' may also be a first path
		// segment.
		return uriRest(s, ref)
	}
	return uriRest(rest, ref)
}

// uriRest checks hier-part, query and fragment. The hier-part may only be
// empty in a reference.
func uriRest(s []byte, ref bool) bool {
	if i := indexByte(s, '#'); i >= 0 {
		if !scan(s[i+1:], queryChars) {
			return false
		}
		s = s[:i]
	}
	if i := indexByte(s, '?'); i >= 0 {
		if !scan(s[i+1:], queryChars) {
			return false
		}
		s = s[:i]
	}
	if len(s) == 0 {
		return ref
	}
	pathChar := pathChars
	if ref {
		pathChar = pathCharsQuote
	}
	// Authority form, after "//" or a single "/".
	if s[0] == '/' {
		if len(s) > 1 && s[1] == '/' && authorityPath(s[2:], ref) {
			return true
		}
		if authorityPath(s[1:], ref) {
			return true
		}
		// path-absolute: "/" alone or a non-empty first segment.
		return (len(s) == 1 || s[1] != '/') && scan(s, pathChar)
	}
	// path-rootless.
	return scan(s, pathChar)
}

func authorityPath(s []byte, ref bool) bool {
	auth, path := s, s[:0]
	if i := indexByte(s, '/'); i >= 0 {
		auth, path = s[:i], s[i:]
	}
	pathChar, regName := pathChars, regNameChars
	if ref {
		pathChar, regName = pathCharsQuote, regNameQuote
	}
	if !scan(path, pathChar) {
		return false
	}
	if i := indexByte(auth, '@'); i >= 0 {
		if !scan(auth[:i], userinfoChars) {
			return false
		}
		auth = auth[i+1:]
	}
	host, port := auth, auth[:0]
	if len(auth) > 0 && auth[0] == '[' {
		end := indexByte(auth, ']')
		if end < 0 || !validIPLiteral(auth[1:end]) {
			return false
		}
		host, port = nil, auth[end+1:]
	} else if i := indexByte(auth, ':'); i >= 0 {
		host, port = auth[:i], auth[i:]
	}
	if host != nil && !scan(host, regName) {
		return false
	}
	if len(port) > 0 {
		if port[0] != ':' {
			return false
		}
		if _, ok := digits(port[1:]); !ok {
			return false
		}
	}
	return true
}

// validIPLiteral: an IPv6 address or an IPvFuture ("v", hex digits, ".",
// then unreserved, sub-delims or ':').
func validIPLiteral(s []byte) bool {
	if len(s) > 0 && (s[0] == 'v' || s[0] == 'V') {
		i := 1
		for i < len(s) && isHex(s[i]) {
			i++
		}
		if i == 1 || i >= len(s)-1 || s[i] != '.' {
			return false
		}
		for _, c := range s[i+1:] {
			if uriClass[c]&userinfoChars == 0 {
				return false
			}
		}
		return true
	}
	return validIPv6(s)
}
