package protocols

import (
	"encoding/json"
	"math"
	"strconv"
	"unsafe"

	"github.com/valyala/fastjson"
)

// maxConvertDepth bounds recursion on trees built by hand; decoded events are already
// bounded far below it by the event decoder.
const maxConvertDepth = 256

// converter turns a fastjson tree into the map[string]any / []any / json.Number form the
// validator reads.
//
// Strings and keys are not copied: they alias the event's own memory, which stays valid
// and unchanged for the whole Apply, and nothing converted outlives Apply (violations are
// formatted into fresh strings). Number texts are gathered in one scratch buffer for the
// same reason. This keeps a property's cost to the one allocation of boxing it.
type converter struct {
	nums []byte
}

func aliasString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// convert returns false when the tree is too deep to validate.
func (c *converter) convert(v *fastjson.Value, depth int) (any, bool) {
	switch v.Type() {
	case fastjson.TypeObject:
		if depth >= maxConvertDepth {
			return nil, false
		}
		o, _ := v.Object()
		m := make(map[string]any, o.Len())
		ok := true
		o.Visit(func(k []byte, child *fastjson.Value) {
			if !ok {
				return
			}
			var cv any
			// Later duplicates win, as with JSON.parse.
			cv, ok = c.convert(child, depth+1)
			m[aliasString(k)] = cv
		})
		return m, ok
	case fastjson.TypeArray:
		if depth >= maxConvertDepth {
			return nil, false
		}
		a, _ := v.Array()
		s := make([]any, len(a))
		for i, child := range a {
			cv, ok := c.convert(child, depth+1)
			if !ok {
				return nil, false
			}
			s[i] = cv
		}
		return s, true
	case fastjson.TypeString:
		b, _ := v.StringBytes()
		return aliasString(b), true
	case fastjson.TypeNumber:
		return c.number(v), true
	case fastjson.TypeTrue:
		return true, true
	case fastjson.TypeFalse:
		return false, true
	default:
		return nil, true
	}
}

// number keeps the number's exact text as json.Number, as the validator's own decoder
// does, so that integers beyond 2^53 compare exactly against minimum, maximum, enum and
// multipleOf. The validator parses that text with big.Rat and crashes on text it cannot
// parse, and big.Rat's work grows with the exponent, so only well-formed JSON numbers with
// a sane exponent are passed as text. fastjson also accepts NaN, Inf and sloppy numbers:
// finite ones go as float64; the rest, which no JSON document can carry, are validated as
// strings so that a `type: number` schema rejects them.
func (c *converter) number(v *fastjson.Value) any {
	start := len(c.nums)
	c.nums = v.MarshalTo(c.nums)
	raw := c.nums[start:]
	if plainJSONNumber(raw) {
		return json.Number(aliasString(raw))
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		c.nums = c.nums[:start]
		return f
	}
	s := string(raw)
	c.nums = c.nums[:start]
	return s
}

// maxExponent is far beyond float64's range (the event decoder rejects anything beyond
// that anyway) and cheap for big.Rat.
const maxExponent = 400

// plainJSONNumber reports whether b is a JSON number (RFC 8259 grammar) whose exponent,
// adjusted for the digits around the point, stays within maxExponent.
func plainJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i == len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == d {
			return false
		}
	}
	if i == len(b) {
		// Without an exponent, big.Rat's cost is linear-ish in the digits, which the
		// event's size already bounds.
		return true
	}
	if b[i] != 'e' && b[i] != 'E' {
		return false
	}
	i++
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	d := i
	exp := 0
	for i < len(b) && isDigit(b[i]) {
		if exp <= maxExponent {
			exp = exp*10 + int(b[i]-'0')
		}
		i++
	}
	return i > d && i == len(b) && exp <= maxExponent
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
