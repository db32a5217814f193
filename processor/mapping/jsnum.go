package mapping

import (
	"strconv"
)

// parseJSFloat parses a JSON number the way JSON.parse does; values beyond
// float64 range become ±Infinity rather than an error.
func parseJSFloat(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// canonicalNumber reports whether raw JSON number text is already what
// JSON.stringify would print for it, so event numbers can be copied byte
// for byte. That holds for plain decimals with at most 15 significant
// digits (DBL_DIG: such a decimal is the shortest string that round-trips
// its double), no exponent, no trailing fractional zero, fewer than six
// zeros after "0." (JS switches to 1e-7 notation there), and not "-0".
func canonicalNumber(raw []byte) bool {
	s := raw
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if len(s) == 0 {
		return false
	}
	i := 0
	sig := 0
	intZero := s[0] == '0'
	if intZero {
		i = 1
	} else {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			return false
		}
		sig = i
	}
	if i == len(s) {
		// An integer: "0" is canonical, "-0" is not.
		return sig <= 15 && !(intZero && len(raw) != 1)
	}
	if s[i] != '.' || i+1 == len(s) || s[len(s)-1] == '0' {
		return false
	}
	i++
	lead := 0
	if intZero {
		for i < len(s) && s[i] == '0' {
			i++
			lead++
		}
		if lead > 5 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sig++
	}
	return sig <= 15
}
