package fql

import (
	"math"
	"strconv"
	"strings"

	"github.com/actuate/actuate/processor/jsvalue"
)

// stringToNumber converts s the way JavaScript's Number(s) does. Segment
// compares a number field with a string literal by converting the literal
// (properties.price > "10" is a numeric test), and number() follows the same
// rules so that both agree. The result is NaN when s is not numeric.
func stringToNumber(s string) float64 {
	s = strings.TrimFunc(s, jsvalue.IsSpace)
	if s == "" {
		return 0
	}
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			return parseRadixInteger(s[2:], base)
		}
	}
	if !isDecimalLiteral(s) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Only range errors remain possible here; ParseFloat already returns
		// ±Inf or 0 for them, which is what JavaScript yields too.
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return math.NaN()
		}
	}
	return f
}

func parseRadixInteger(digits string, base int) float64 {
	if digits == "" {
		return math.NaN()
	}
	var f float64
	for i := 0; i < len(digits); i++ {
		d := digitValue(digits[i])
		if d >= base {
			return math.NaN()
		}
		f = f*float64(base) + float64(d)
	}
	return f
}

func digitValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// isDecimalLiteral accepts JavaScript's StrDecimalLiteral: an optional sign,
// digits with an optional fraction (either side of the point may be empty but
// not both), and an optional exponent. It rejects what strconv.ParseFloat
// would accept beyond that (hex floats, "inf", underscores).
func isDecimalLiteral(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	intDigits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		intDigits++
	}
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			fracDigits++
		}
	}
	if intDigits == 0 && fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
