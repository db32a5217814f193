package destkit

import "bytes"

// rawMembers walks the members of an encoded JSON object, yielding each key (without its
// quotes, still escaped) and the value's encoded bytes. It only finds where things end —
// strings with their escapes, and nesting — so it is only used on JSON known to be valid;
// anything unexpected ends the walk with bad set.
type rawMembers struct {
	b   []byte
	i   int
	bad bool
}

func newRawMembers(object []byte) rawMembers {
	r := rawMembers{b: object}
	r.skipSpace()
	if r.i < len(r.b) && r.b[r.i] == '{' {
		r.i++
	} else {
		r.bad = true
	}
	return r
}

// next returns the next member; ok is false at the end of the object or when the
// input is not what it should be (then bad is set).
func (r *rawMembers) next() (key, value []byte, ok bool) {
	if r.bad {
		return nil, nil, false
	}
	r.skipSpace()
	if r.i < len(r.b) && r.b[r.i] == ',' {
		r.i++
		r.skipSpace()
	}
	if r.i < len(r.b) && r.b[r.i] == '}' {
		return nil, nil, false
	}
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		r.bad = true
		return nil, nil, false
	}
	end := skipString(r.b, r.i)
	key = r.b[r.i+1 : end-1]
	r.i = end
	r.skipSpace()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.bad = true
		return nil, nil, false
	}
	r.i++
	r.skipSpace()
	start := r.i
	r.i = skipValue(r.b, r.i)
	if r.i == start || r.i > len(r.b) {
		r.bad = true
		return nil, nil, false
	}
	return key, r.b[start:r.i:r.i], true
}

func (r *rawMembers) skipSpace() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// skipString returns the index just past the string literal starting at b[i] == '"',
// or len(b)+1 when it is not terminated.
func skipString(b []byte, i int) int {
	i++
	for {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return len(b) + 1
		}
		i += q
		// The quote ends the string unless an odd run of backslashes escapes it.
		n := 0
		for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
}

// skipValue returns the index just past the value starting at b[i], or len(b)+1 when
// it is cut short.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b) + 1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b) + 1
	default: // number, true, false, null
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return i
	}
}
