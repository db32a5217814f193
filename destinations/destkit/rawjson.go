package destkit

// rawMembers walks the members of a JSON object that has already been parsed successfully,
// yielding each value's encoded bytes. It trusts the input's validity, so it only has to
// find where values end: strings (with their escapes) and nesting.
type rawMembers struct {
	b []byte
	i int
}

func newRawMembers(object []byte) rawMembers {
	r := rawMembers{b: object}
	r.skipSpace()
	if r.i < len(r.b) && r.b[r.i] == '{' {
		r.i++
	} else {
		r.i = len(r.b)
	}
	return r
}

// next returns the next member's value, or nil when there is none.
func (r *rawMembers) next() []byte {
	r.skipSpace()
	if r.i < len(r.b) && r.b[r.i] == ',' {
		r.i++
		r.skipSpace()
	}
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return nil
	}
	r.i = skipString(r.b, r.i)
	r.skipSpace()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.i = len(r.b)
		return nil
	}
	r.i++
	r.skipSpace()
	start := r.i
	r.i = skipValue(r.b, r.i)
	return r.b[start:r.i:r.i]
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

// skipString returns the index just past the string literal starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index just past the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	default: // number, true, false, null
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return len(b)
	}
}
