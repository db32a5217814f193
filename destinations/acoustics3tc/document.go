package acoustics3tc

import (
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// flat is the file's document while it is built: members in the order JavaScript keeps
// them (a key set again keeps its place; a deleted key set again goes last).
type flat struct {
	keys []string
	vals map[string]*fastjson.Value
}

func (f *flat) set(k string, v *fastjson.Value) {
	if _, ok := f.vals[k]; !ok {
		f.keys = append(f.keys, k)
	}
	f.vals[k] = v
}

func (f *flat) delete(k string) {
	if _, ok := f.vals[k]; !ok {
		return
	}
	delete(f.vals, k)
	for i, x := range f.keys {
		if x == k {
			f.keys = append(f.keys[:i], f.keys[i+1:]...)
			return
		}
	}
}

// find returns the first member whose key contains part, in the order Object.entries
// lists them: keys that are array indexes first, ascending, then the others as set.
func (f *flat) find(part string) (string, *fastjson.Value, bool) {
	best, found := "", false
	var bestIndex uint64
	for _, k := range f.keys {
		if i, err := strconv.ParseUint(k, 10, 32); err == nil && strconv.FormatUint(i, 10) == k && strings.Contains(k, part) {
			if !found || i < bestIndex {
				best, bestIndex, found = k, i, true
			}
		}
	}
	if found {
		return best, f.vals[best], true
	}
	for _, k := range f.keys {
		if strings.Contains(k, part) {
			return k, f.vals[k], true
		}
	}
	return "", nil, false
}

var emptyString = fastjson.MustParse(`""`)

// maxNesting is how many nested objects a section may hold (Segment's limit).
const maxNesting = 10

// flatten sets the members of section, nested objects and arrays as dotted keys under
// prefix; depth counts the nested objects met so far, as Segment counts them.
func (f *flat) flatten(prefix string, section *fastjson.Value, depth int) error {
	if depth > maxNesting {
		return &destkit.IntegrationError{Code: "NESTING_DEPTH_EXCEEDED",
			Message: "event data nests more than ten objects: map it flatter (three levels at most)"}
	}
	visit := func(k string, v *fastjson.Value) error {
		switch v.Type() {
		case fastjson.TypeObject, fastjson.TypeArray, fastjson.TypeNull:
			depth++
			return f.flatten(prefix+k+".", v, depth)
		}
		f.set(prefix+k, v)
		return nil
	}
	switch section.Type() {
	case fastjson.TypeNull:
		f.set(prefix+"null", emptyString)
	case fastjson.TypeArray:
		for i, v := range section.GetArray() {
			if err := visit(itoa(i), v); err != nil {
				return err
			}
		}
	case fastjson.TypeObject:
		var err error
		section.GetObject().Visit(func(k []byte, v *fastjson.Value) {
			if err == nil {
				err = visit(string(k), v)
			}
		})
		return err
	}
	return nil
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + itoa(i%10)
}

// document builds the file of one event (see the package doc).
func document(p *fastjson.Value, recipient string) (*destkit.JSObject, error) {
	f := &flat{vals: map[string]*fastjson.Value{}}
	var a fastjson.Arena
	f.set("uniqueRecipient", a.NewString(recipient))
	f.set("eventSource", a.NewString(string(p.GetStringBytes("type"))+" Event"))
	f.set("timestamp", p.Get("timestamp"))
	for _, section := range []string{"key_value_pairs", "array_data", "traits", "properties", "context"} {
		if v := p.Get(section); v != nil {
			if err := f.flatten("", v, 0); err != nil {
				return nil, err
			}
		}
	}
	audience, member := "", (*fastjson.Value)(nil)
	if _, class, ok := f.find("computation_class"); ok && class.Type() == fastjson.TypeString &&
		strings.ToLower(string(class.GetStringBytes())) == "audience" {
		keyKey, key, _ := f.find("computation_key")
		audience = stringOf(key)
		_, member, _ = f.find(audience)
		classKey, _, _ := f.find("computation_class")
		f.delete(classKey)
		f.delete(keyKey)
		f.delete(audience)
	}
	if k, v, ok := f.find("audience_key"); ok && destkit.Truthy(v) {
		audience = stringOf(v)
		_, member, _ = f.find(audience)
		f.delete(k)
		f.delete(audience)
	}
	if audience != "" {
		state := "Audience Exited"
		if member != nil && destkit.Truthy(member) {
			state = "Audience Entered"
		}
		f.set(audience, a.NewString(state))
	}
	var out destkit.JSObject
	for _, k := range f.keys {
		out.SetValue(k, f.vals[k])
	}
	return &out, nil
}

// stringOf is a value as JavaScript's template literal writes it.
func stringOf(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	if v.Type() == fastjson.TypeString {
		return string(v.GetStringBytes())
	}
	return string(v.MarshalTo(nil))
}
