package profile

import (
	"bytes"
	"errors"
	"slices"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/jsvalue"
)

// MaxKeyLength bounds a profile key (a userId or an anonymousId), in bytes.
const MaxKeyLength = 1024

// MaxAnonymousIDs bounds the anonymous ids a profile remembers; the oldest go first.
const MaxAnonymousIDs = 32

// Profile is one user's state. A stored profile is never changed: an update makes a new
// one, so routers and readers share profiles without copying or locking.
type Profile struct {
	// UserID is the latest userId of the user's events, empty until one has one.
	UserID string
	// AnonymousIDs are the anonymous ids merged into the profile (alias, identify with
	// both ids), oldest first.
	AnonymousIDs []string
	// Traits are the latest value of each trait, as JSON text, in the order first seen.
	Traits []Trait

	json  []byte
	value *fastjson.Value
}

// Trait is one trait and its latest value (JSON text).
type Trait struct {
	Name  string
	Value []byte
}

// Trait returns the value of the trait name as JSON text, nil when the profile has none.
func (p *Profile) Trait(name string) []byte {
	if p == nil {
		return nil
	}
	for _, t := range p.Traits {
		if t.Name == name {
			return t.Value
		}
	}
	return nil
}

// JSON returns the profile as the changelog stores it and mappings read it:
// {"user_id":"u1","anonymous_ids":["a1"],"traits":{"email":"..."}}; user_id and
// anonymous_ids are left out when empty. Do not change the returned bytes.
func (p *Profile) JSON() []byte { return p.json }

// Value returns the profile as a parsed JSON value, for the event tree ($.profile). Every
// string and key in it is unescaped already, so it may be read from several goroutines;
// it must not be changed.
func (p *Profile) Value() *fastjson.Value { return p.value }

// build encodes p and parses the encoding into its value.
func (p *Profile) build() *Profile {
	b := append([]byte(nil), '{')
	if p.UserID != "" {
		b = append(b, `"user_id":`...)
		b = jsvalue.AppendQuoted(b, p.UserID)
		b = append(b, ',')
	}
	if len(p.AnonymousIDs) > 0 {
		b = append(b, `"anonymous_ids":[`...)
		for i, id := range p.AnonymousIDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsvalue.AppendQuoted(b, id)
		}
		b = append(b, "],"...)
	}
	b = append(b, `"traits":{`...)
	for i, t := range p.Traits {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsvalue.AppendQuoted(b, t.Name)
		b = append(b, ':')
		b = append(b, t.Value...)
	}
	b = append(b, "}}"...)
	p.json = b
	var parser fastjson.Parser // one per profile: the value lives in its parser
	v, err := parser.ParseBytes(b)
	if err != nil {
		// Trait values are JSON text written by jsvalue.AppendParsed and names are quoted
		// here: this cannot happen, and an empty value is better than a panic on a data path.
		v = fastjson.MustParse(`{"traits":{}}`)
	}
	settle(v)
	p.value = v
	return p
}

// settle reads every string and key once: fastjson unescapes them lazily, on first read,
// and a value read by several goroutines must not be written by any.
func settle(v *fastjson.Value) {
	switch v.Type() {
	case fastjson.TypeObject:
		o, _ := v.Object()
		o.Visit(func(_ []byte, c *fastjson.Value) { settle(c) })
	case fastjson.TypeArray:
		a, _ := v.Array()
		for _, c := range a {
			settle(c)
		}
	}
}

// Empty is the profile of a user nothing is known of yet: {"traits":{}}.
var Empty = New("", nil, nil)

// Decode reads a changelog value (Profile.JSON's format).
func Decode(data []byte) (*Profile, error) {
	var parser fastjson.Parser
	v, err := parser.ParseBytes(data)
	if err != nil {
		// Not fastjson's message: it quotes the text, and a profile's traits stay out of
		// logs and dead letters.
		return nil, errors.New("profile: not JSON")
	}
	if v.Type() != fastjson.TypeObject {
		return nil, errors.New("profile: not a JSON object")
	}
	p := &Profile{}
	if u := v.Get("user_id"); u != nil {
		s, err := u.StringBytes()
		if err != nil {
			return nil, errors.New("profile: user_id is not a string")
		}
		p.UserID = string(s)
	}
	for _, id := range v.GetArray("anonymous_ids") {
		s, err := id.StringBytes()
		if err != nil {
			return nil, errors.New("profile: an anonymous id is not a string")
		}
		p.AnonymousIDs = append(p.AnonymousIDs, string(s))
	}
	traits := v.Get("traits")
	if traits == nil || traits.Type() != fastjson.TypeObject {
		return nil, errors.New("profile: traits is not an object")
	}
	o, _ := traits.Object()
	o.Visit(func(k []byte, c *fastjson.Value) {
		// Written as Apply writes a trait, so that an event repeating it compares equal.
		p.Traits = append(p.Traits, Trait{Name: string(k), Value: jsvalue.AppendParsed(nil, c)})
	})
	return p.build(), nil
}

// New returns a profile with the given parts, encoded.
func New(userID string, anonymousIDs []string, traits []Trait) *Profile {
	return (&Profile{UserID: userID, AnonymousIDs: anonymousIDs, Traits: traits}).build()
}

// Update is what one event says of its user.
type Update struct {
	// UserID is the event's userId; empty when it has none.
	UserID []byte
	// Traits are the trait objects the event carries, applied in order (later ones win):
	// its context.traits, then, for an identify, its traits.
	Traits []*fastjson.Value
	// json holds a trait's JSON while Apply compares it, kept for the next event's.
	json []byte
}

// UpdateOf reads what ev says of its user: its userId (a string or a number's JSON
// text), its context.traits and, for an identify, its traits. Non-object traits are
// ignored.
func UpdateOf(ev *fastjson.Value, dst *Update) {
	dst.UserID = dst.UserID[:0]
	dst.Traits = dst.Traits[:0]
	if u := ev.Get("userId"); u != nil {
		switch u.Type() {
		case fastjson.TypeString:
			dst.UserID = append(dst.UserID, u.GetStringBytes()...)
		case fastjson.TypeNumber:
			dst.UserID = u.MarshalTo(dst.UserID)
		}
	}
	if t := ev.Get("context", "traits"); t != nil && t.Type() == fastjson.TypeObject {
		dst.Traits = append(dst.Traits, t)
	}
	if bytes.Equal(ev.GetStringBytes("type"), []byte("identify")) {
		if t := ev.Get("traits"); t != nil && t.Type() == fastjson.TypeObject {
			dst.Traits = append(dst.Traits, t)
		}
	}
}

// Apply returns old with u applied: the userId set, each trait given its latest value.
// It returns old itself (changed false) when u changes nothing, which is most events':
// only a change is written to the changelog. old may be nil (a new profile); the result
// is nil when both old and u are empty.
func Apply(old *Profile, u *Update) (p *Profile, changed bool) {
	userID := len(u.UserID) > 0 && (old == nil || old.UserID != string(u.UserID))
	var traits []Trait
	cloned := false
	for _, obj := range u.Traits {
		o, _ := obj.Object()
		o.Visit(func(k []byte, v *fastjson.Value) {
			if !cloned && old != nil && sameScalar(old.value.Get("traits", string(k)), v) {
				return // most events repeat what the profile holds: compared without copying
			}
			cur := traits
			if !cloned && old != nil {
				cur = old.Traits
			}
			u.json = jsvalue.AppendParsed(u.json[:0], v)
			i := slices.IndexFunc(cur, func(t Trait) bool { return t.Name == string(k) })
			if i >= 0 && bytes.Equal(cur[i].Value, u.json) {
				return
			}
			if !cloned {
				if old != nil {
					traits = slices.Clone(old.Traits)
				}
				cloned = true
			}
			if i >= 0 {
				traits[i].Value = bytes.Clone(u.json)
			} else {
				traits = append(traits, Trait{Name: string(k), Value: bytes.Clone(u.json)})
			}
		})
	}
	if !userID && !cloned {
		return old, false
	}
	n := &Profile{}
	if old != nil {
		n.UserID, n.AnonymousIDs, n.Traits = old.UserID, old.AnonymousIDs, old.Traits
	}
	if userID {
		n.UserID = string(u.UserID)
	}
	if cloned {
		n.Traits = traits
	}
	return n.build(), true
}

// sameScalar reports whether v is a string or literal equal to a, a trait the profile
// holds (nil: none): strings by their text, true, false and null by their type. Numbers,
// objects and arrays are compared by their JSON with the profile's text of the trait.
func sameScalar(a, v *fastjson.Value) bool {
	if a == nil || a.Type() != v.Type() {
		return false
	}
	switch v.Type() {
	case fastjson.TypeString:
		return bytes.Equal(a.GetStringBytes(), v.GetStringBytes())
	case fastjson.TypeTrue, fastjson.TypeFalse, fastjson.TypeNull:
		return true
	}
	return false
}

// Merge returns into with from merged in: from's traits where into has none (into's
// values are the user's latest), from's key and anonymous ids added to into's. Either may
// be nil.
func Merge(into, from *Profile, fromKey string) *Profile {
	n := &Profile{}
	if into != nil {
		n.UserID, n.AnonymousIDs, n.Traits = into.UserID, slices.Clone(into.AnonymousIDs), slices.Clone(into.Traits)
	}
	add := func(id string) {
		if id != "" && id != n.UserID && !slices.Contains(n.AnonymousIDs, id) {
			n.AnonymousIDs = append(n.AnonymousIDs, id)
		}
	}
	if from != nil {
		if n.UserID == "" {
			n.UserID = from.UserID
		}
		for _, id := range from.AnonymousIDs {
			add(id)
		}
		for _, t := range from.Traits {
			if !slices.ContainsFunc(n.Traits, func(x Trait) bool { return x.Name == t.Name }) {
				n.Traits = append(n.Traits, t)
			}
		}
	}
	add(fromKey)
	if len(n.AnonymousIDs) > MaxAnonymousIDs {
		n.AnonymousIDs = n.AnonymousIDs[len(n.AnonymousIDs)-MaxAnonymousIDs:]
	}
	return n.build()
}
