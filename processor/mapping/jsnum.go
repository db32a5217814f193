package mapping

import (
	"math"
	"strconv"
)

// appendJSNumber appends Number.prototype.toString(f): the shortest
// round-tripping digits, laid out by ECMA-262 Number::toString (plain
// notation for exponents -7 < e < 21, "1e+21" style otherwise, -0 as "0").
func appendJSNumber(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		return append(dst, '0')
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		dst = append(dst, '-')
	}
	// e is d[.ddd]e±XX
	var digits [24]byte
	k := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[k] = e[i]
			k++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	n := exp + 1 // position of the decimal point relative to the digits
	d := digits[:k]
	switch {
	case k <= n && n <= 21:
		dst = append(dst, d...)
		for j := 0; j < n-k; j++ {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, d[:n]...)
		dst = append(dst, '.')
		dst = append(dst, d[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for j := 0; j < -n; j++ {
			dst = append(dst, '0')
		}
		dst = append(dst, d...)
	default:
		dst = append(dst, d[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}

// appendJSONNumber is JSON.stringify for a number: non-finite become null.
func appendJSONNumber(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	return appendJSNumber(dst, f)
}

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
