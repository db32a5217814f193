package fullstory

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Property names are normalised the way Segment's FullStory code does it,
// because FullStory stores custom variables under the normalised name:
//
//  1. Each name is transformed, keeping a known type suffix ("_str",
//     "_real", …) out of the transformation: optionally camel-cased
//     (lodash's camelCase), then stripped of every character outside
//     [A-Za-z0-9_].
//  2. Optionally a type suffix is added when the name has none, inferred
//     from the value: str, bool, real (every number), strs, bools, reals,
//     objs for arrays whose elements all have that type (an empty array is
//     strs); single objects, mixed arrays and nulls get none.
//  3. Objects — and mixed arrays, which JavaScript also calls objects —
//     are normalised recursively up to five levels; deeper values are
//     kept as they are. A mixed array so becomes an object keyed "0", "1", ….
//  4. The result is a JavaScript object (destkit.JSObject): a later name
//     equal to an earlier one replaces its value in place, and integer-like
//     names come first in ascending order.

// maxDepth is how many object levels are normalised.
const maxDepth = 5

// knownSuffix reports whether s counts as a type suffix. Segment looks the
// suffix up in a plain JavaScript object, so the names every object
// inherits count too.
func knownSuffix(s string) bool {
	switch s {
	case "str", "bool", "real", "int", "date", "strs", "bools", "reals", "ints", "dates", "objs", "obj":
		return true
	case "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toString", "toLocaleString",
		"valueOf", "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__":
		return true
	}
	return false
}

// inferType names the FullStory type of v, or "" when none applies.
func inferType(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeString:
		return "str"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "bool"
	case fastjson.TypeNumber:
		return "real"
	case fastjson.TypeObject:
		return "obj"
	case fastjson.TypeArray:
		a, _ := v.Array()
		for _, c := range []struct {
			name string
			is   func(fastjson.Type) bool
		}{
			{"strs", func(t fastjson.Type) bool { return t == fastjson.TypeString }},
			{"bools", func(t fastjson.Type) bool { return t == fastjson.TypeTrue || t == fastjson.TypeFalse }},
			{"reals", func(t fastjson.Type) bool { return t == fastjson.TypeNumber }},
			{"objs", func(t fastjson.Type) bool { return t == fastjson.TypeObject || t == fastjson.TypeArray }},
		} {
			all := true
			for _, x := range a {
				if !c.is(x.Type()) {
					all = false
					break
				}
			}
			if all {
				return c.name
			}
		}
		return "obj"
	}
	return ""
}

type nameOptions struct {
	camelCase  bool
	typeSuffix bool
}

// normalizeName applies steps 1 and 2 to one name.
func normalizeName(name string, v *fastjson.Value, o nameOptions) string {
	transform := func(s string) string {
		if o.camelCase {
			s = camelCase(s)
		}
		return stripName(s)
	}
	if i := strings.LastIndexByte(name, '_'); i >= 0 && knownSuffix(name[i+1:]) {
		name = transform(name[:i]) + "_" + name[i+1:]
	} else {
		name = transform(name)
	}
	if !o.typeSuffix {
		return name
	}
	if i := strings.LastIndexByte(name, '_'); i >= 0 && knownSuffix(name[i+1:]) {
		return name
	}
	if t := inferType(v); t != "" && t != "obj" {
		return name + "_" + t
	}
	return name
}

func stripName(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' {
			b = append(b, c)
		}
	}
	return string(b)
}

// normalizeProperties applies the normalisation to an object field; a
// missing field gives an empty object.
func normalizeProperties(v *fastjson.Value, o nameOptions) *destkit.JSObject {
	if v == nil || v.Type() != fastjson.TypeObject {
		return &destkit.JSObject{}
	}
	return normalizeLevel(v, o, 1)
}

func normalizeLevel(v *fastjson.Value, o nameOptions, depth int) *destkit.JSObject {
	out := &destkit.JSObject{}
	add := func(k string, x *fastjson.Value) {
		name := normalizeName(k, x, o)
		if depth < maxDepth && inferType(x) == "obj" {
			out.Set(name, normalizeLevel(x, o, depth+1).AppendJSON(nil))
		} else {
			out.SetValue(name, x)
		}
	}
	switch v.Type() {
	case fastjson.TypeObject:
		obj, _ := v.Object()
		obj.Visit(func(k []byte, x *fastjson.Value) { add(string(k), x) })
	case fastjson.TypeArray:
		a, _ := v.Array()
		for i, x := range a {
			add(strconv.Itoa(i), x)
		}
	}
	return out
}

// camelCase is lodash's camelCase: accents folded (deburr), apostrophes
// dropped, the string split into words, the first word lower-cased and the
// others capitalised.
func camelCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if d, ok := deburred[r]; ok {
			b.WriteString(d)
		} else if !isComboMark(r) {
			b.WriteRune(r)
		}
	}
	s = strings.NewReplacer("'", "", "\u2019", "").Replace(b.String())
	var out strings.Builder
	for i, w := range words([]rune(s)) {
		w = strings.ToLower(w)
		if i > 0 {
			r, n := utf8.DecodeRuneInString(w)
			w = strings.ToUpper(string(r)) + w[n:]
		}
		out.WriteString(w)
	}
	return out.String()
}

func isComboMark(r rune) bool {
	return r >= 0x300 && r <= 0x36f || r >= 0xfe20 && r <= 0xfe2f || r >= 0x20d0 && r <= 0x20ff
}

// Character classes of lodash's word splitter.
func isUpper(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 0xc0 && r <= 0xd6 || r >= 0xd8 && r <= 0xde
}
func isLower(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 0xdf && r <= 0xf6 || r >= 0xf8 && r <= 0xff
}
func isDigit(r rune) bool { return r >= '0' && r <= '9' }
func isBreak(r rune) bool {
	switch {
	case r <= 0x2f, r >= 0x3a && r <= 0x40, r >= 0x5b && r <= 0x60, r >= 0x7b && r <= 0xbf,
		r == 0xd7, r == 0xf7, r >= 0x2000 && r <= 0x206f,
		r == 0xfeff, r == 0x1680, r == 0x180e, r == 0x3000:
		return true
	}
	return false
}
func isEmojiStart(r rune) bool { return r >= 0x2700 && r <= 0x27bf || r > 0xffff }
func isMisc(r rune) bool {
	return !isBreak(r) && !isDigit(r) && !isLower(r) && !isUpper(r) && !isEmojiStart(r) && !(r >= 0xd800 && r <= 0xdfff)
}
func isMiscUpper(r rune) bool { return isUpper(r) || isMisc(r) }
func isMiscLower(r rune) bool { return isLower(r) || isMisc(r) }

// words splits s as lodash's unicode word pattern does: at each position
// the first of these that matches wins, else the position is skipped —
// a capitalised or lower-case word followed by a break, a capital or the
// end; a run of capitals followed by a break, a capitalised word or the
// end; a capitalised or lower-case word; a run of capitals; an ordinal
// (1st, 22ND); a run of digits; an emoji sequence.
func words(s []rune) []string {
	n := len(s)
	run := func(i int, is func(rune) bool) int {
		for i < n && is(s[i]) {
			i++
		}
		return i
	}
	at := func(i int) rune {
		if i < n {
			return s[i]
		}
		return -1
	}
	var out []string
	for i := 0; i < n; {
		end := match(s, i, run, at)
		if end <= i {
			i++
			continue
		}
		out = append(out, string(s[i:end]))
		i = end
	}
	return out
}

func match(s []rune, i int, run func(int, func(rune) bool) int, at func(int) rune) int {
	n := len(s)
	// 1. [A-Z]?[a-z]+ followed by a break, a capital or the end.
	j := i
	if isUpper(s[j]) {
		j++
	}
	if k := run(j, isLower); k > j {
		if k == n || isBreak(s[k]) || isUpper(s[k]) {
			return k
		}
	}
	// 2. capitals (or other letters) followed by a break, a capitalised
	// word or the end, backing off one character at a time.
	if k := run(i, isMiscUpper); k > i {
		for end := k; end > i; end-- {
			if end == n || isBreak(s[end]) || isUpper(s[end]) && end+1 < n && isMiscLower(s[end+1]) {
				return end
			}
		}
	}
	// 3. [A-Z]?[a-z]+ anywhere.
	if isUpper(s[i]) && i+1 < n && isMiscLower(s[i+1]) {
		return run(i+1, isMiscLower)
	}
	if isMiscLower(s[i]) {
		return run(i, isMiscLower)
	}
	// 4. capitals.
	if k := run(i, isUpper); k > i {
		return k
	}
	if isDigit(s[i]) {
		// 5 and 6. ordinals, upper then lower case.
		d := run(i, isDigit)
		for _, suffixes := range [2][3]string{{"ST", "ND", "RD"}, {"st", "nd", "rd"}} {
			for p := d; p >= i; p-- {
				if e := ordinalAt(s, p, suffixes); e > 0 {
					next := at(e)
					upper := suffixes[0] == "ST"
					if upper && !(next >= 'A' && next <= 'Z' || isDigit(next)) || !upper && !(next >= 'a' && next <= 'z' || isDigit(next)) {
						return e
					}
				}
			}
		}
		// 7. digits.
		return d
	}
	// 8. an emoji with its modifiers and joined sequences.
	if isEmojiStart(s[i]) {
		e := i + 1
		mods := func() {
			if e < n && (s[e] == 0xfe0e || s[e] == 0xfe0f) {
				e++
			}
			if e < n && (isComboMark(s[e]) || s[e] >= 0x1f3fb && s[e] <= 0x1f3ff) {
				e++
			}
		}
		mods()
		for e+1 < n && s[e] == 0x200d {
			e += 2
			mods()
		}
		return e
	}
	return i
}

// ordinalAt matches 1st, 2nd, 3rd or [04-9]th (in the case of suffixes)
// at p and returns where it ends, or 0.
func ordinalAt(s []rune, p int, suffixes [3]string) int {
	if p+2 >= len(s) || !isDigit(s[p]) {
		return 0
	}
	two := string(s[p+1 : p+3])
	th := "th"
	if suffixes[0] == "ST" {
		th = "TH"
	}
	switch {
	case s[p] >= '1' && s[p] <= '3' && two == suffixes[s[p]-'1']:
		return p + 3
	case (s[p] < '1' || s[p] > '3') && two == th:
		return p + 3
	}
	return 0
}

// deburred maps Latin-1 Supplement and Latin Extended-A letters to basic
// Latin, as lodash's deburr does.
var deburred = map[rune]string{
	0xC0: "A", 0xC1: "A", 0xC2: "A", 0xC3: "A", 0xC4: "A", 0xC5: "A", 0xC6: "Ae", 0xC7: "C",
	0xC8: "E", 0xC9: "E", 0xCA: "E", 0xCB: "E", 0xCC: "I", 0xCD: "I", 0xCE: "I", 0xCF: "I",
	0xD0: "D", 0xD1: "N", 0xD2: "O", 0xD3: "O", 0xD4: "O", 0xD5: "O", 0xD6: "O", 0xD8: "O",
	0xD9: "U", 0xDA: "U", 0xDB: "U", 0xDC: "U", 0xDD: "Y", 0xDE: "Th", 0xDF: "ss", 0xE0: "a",
	0xE1: "a", 0xE2: "a", 0xE3: "a", 0xE4: "a", 0xE5: "a", 0xE6: "ae", 0xE7: "c", 0xE8: "e",
	0xE9: "e", 0xEA: "e", 0xEB: "e", 0xEC: "i", 0xED: "i", 0xEE: "i", 0xEF: "i", 0xF0: "d",
	0xF1: "n", 0xF2: "o", 0xF3: "o", 0xF4: "o", 0xF5: "o", 0xF6: "o", 0xF8: "o", 0xF9: "u",
	0xFA: "u", 0xFB: "u", 0xFC: "u", 0xFD: "y", 0xFE: "th", 0xFF: "y", 0x100: "A", 0x101: "a",
	0x102: "A", 0x103: "a", 0x104: "A", 0x105: "a", 0x106: "C", 0x107: "c", 0x108: "C", 0x109: "c",
	0x10A: "C", 0x10B: "c", 0x10C: "C", 0x10D: "c", 0x10E: "D", 0x10F: "d", 0x110: "D", 0x111: "d",
	0x112: "E", 0x113: "e", 0x114: "E", 0x115: "e", 0x116: "E", 0x117: "e", 0x118: "E", 0x119: "e",
	0x11A: "E", 0x11B: "e", 0x11C: "G", 0x11D: "g", 0x11E: "G", 0x11F: "g", 0x120: "G", 0x121: "g",
	0x122: "G", 0x123: "g", 0x124: "H", 0x125: "h", 0x126: "H", 0x127: "h", 0x128: "I", 0x129: "i",
	0x12A: "I", 0x12B: "i", 0x12C: "I", 0x12D: "i", 0x12E: "I", 0x12F: "i", 0x130: "I", 0x131: "i",
	0x132: "IJ", 0x133: "ij", 0x134: "J", 0x135: "j", 0x136: "K", 0x137: "k", 0x138: "k", 0x139: "L",
	0x13A: "l", 0x13B: "L", 0x13C: "l", 0x13D: "L", 0x13E: "l", 0x13F: "L", 0x140: "l", 0x141: "L",
	0x142: "l", 0x143: "N", 0x144: "n", 0x145: "N", 0x146: "n", 0x147: "N", 0x148: "n", 0x149: "'n",
	0x14A: "N", 0x14B: "n", 0x14C: "O", 0x14D: "o", 0x14E: "O", 0x14F: "o", 0x150: "O", 0x151: "o",
	0x152: "Oe", 0x153: "oe", 0x154: "R", 0x155: "r", 0x156: "R", 0x157: "r", 0x158: "R", 0x159: "r",
	0x15A: "S", 0x15B: "s", 0x15C: "S", 0x15D: "s", 0x15E: "S", 0x15F: "s", 0x160: "S", 0x161: "s",
	0x162: "T", 0x163: "t", 0x164: "T", 0x165: "t", 0x166: "T", 0x167: "t", 0x168: "U", 0x169: "u",
	0x16A: "U", 0x16B: "u", 0x16C: "U", 0x16D: "u", 0x16E: "U", 0x16F: "u", 0x170: "U", 0x171: "u",
	0x172: "U", 0x173: "u", 0x174: "W", 0x175: "w", 0x176: "Y", 0x177: "y", 0x178: "Y", 0x179: "Z",
	0x17A: "z", 0x17B: "Z", 0x17C: "z", 0x17D: "Z", 0x17E: "z", 0x17F: "s",
}
