package destkit

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"

	"github.com/valyala/fastjson"
)

// minSecretLen is the shortest value a Masker replaces: shorter values would redact
// ordinary words and protect nothing.
const minSecretLen = 4

// Masker replaces secret values with Redacted wherever they appear in text: as they are,
// base64-encoded (basic auth), and escaped inside a JSON string (with and without HTML
// escaping). It is the one masker of sender errors, the Event Tester and the control API.
// The zero value masks nothing.
type Masker struct {
	forms []string // longest first, so a whole secret is masked before a part of it
}

// NewMasker returns a masker of the given secret values.
func NewMasker(secrets ...string) *Masker {
	m := &Masker{}
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		m.forms = append(m.forms, s, base64.StdEncoding.EncodeToString([]byte(s)), jsonEscaped(s, true), jsonEscaped(s, false))
	}
	slices.SortFunc(m.forms, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	m.forms = slices.Compact(m.forms)
	return m
}

// InstanceSecrets lists the secret values of an instance: its secret settings and its
// OAuth credentials.
func InstanceSecrets(inst *Instance) []string {
	if inst == nil {
		return nil
	}
	var out []string
	if inst.Settings != nil && inst.Def != nil {
		for _, f := range inst.Def.Settings {
			if f.Secret {
				out = append(out, inst.Settings.Str(f.Key))
			}
		}
	}
	c := inst.oauth
	return append(out, c.ClientSecret, c.AccessToken, c.RefreshToken)
}

// Mask returns s with every secret replaced.
func (m *Masker) Mask(s string) string {
	if m == nil {
		return s
	}
	for _, f := range m.forms {
		s = strings.ReplaceAll(s, f, Redacted)
	}
	return s
}

// MaskBytes returns b with every secret replaced; b itself is not changed.
func (m *Masker) MaskBytes(b []byte) []byte {
	if m == nil {
		return b
	}
	for _, f := range m.forms {
		b = bytes.ReplaceAll(b, []byte(f), []byte(Redacted))
	}
	return b
}

// MaskCut is Mask for text cut to a length: it also masks the first part of a secret
// left at the end of the text by the cut.
func (m *Masker) MaskCut(s string) string {
	s = m.Mask(s)
	if m == nil {
		return s
	}
	for _, f := range m.forms {
		for n := len(f) - 1; n >= min(minSecretLen, len(f)); n-- {
			if strings.HasSuffix(s, f[:n]) {
				return s[:len(s)-n] + Redacted
			}
		}
	}
	return s
}

// jsonEscaped is s as it appears inside a JSON string.
func jsonEscaped(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	enc.Encode(s)
	q := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return string(q[1 : len(q)-1])
}

// MappingSecrets lists the secret values a mapping of action a holds as literals: the
// string it gives each top-level field marked Secret (LiveRamp's SFTP password and AWS
// secret key are action fields, not settings). Values the mapping reads from events are
// not known here and are not listed.
func MappingSecrets(a *Action, mapping []byte) []string {
	if a == nil || !a.hasSecretFields() {
		return nil
	}
	v, err := fastjson.ParseBytes(mapping)
	if err != nil || v.Type() != fastjson.TypeObject {
		return nil
	}
	var out []string
	for i := range a.Fields {
		if f := &a.Fields[i]; f.Secret {
			if s := v.Get(f.Key); s != nil && s.Type() == fastjson.TypeString {
				out = append(out, string(s.GetStringBytes()))
			}
		}
	}
	return out
}

// SecretFieldKeys are the keys of the action's top-level fields marked Secret.
func (a *Action) SecretFieldKeys() []string {
	var out []string
	for i := range a.Fields {
		if a.Fields[i].Secret {
			out = append(out, a.Fields[i].Key)
		}
	}
	return out
}

func (a *Action) hasSecretFields() bool {
	for i := range a.Fields {
		if a.Fields[i].Secret {
			return true
		}
	}
	return false
}

// TransformSecretLiterals returns mapping (a mapping of action a) with f applied to the
// string literal of each secret field (sealing, opening or redacting it), keys and
// everything else as they were. It returns mapping itself when there is nothing to change.
func TransformSecretLiterals(a *Action, mapping []byte, f func(field, value string) (string, error)) ([]byte, error) {
	if a == nil || !a.hasSecretFields() || len(mapping) == 0 {
		return mapping, nil
	}
	v, err := fastjson.ParseBytes(mapping)
	if err != nil || v.Type() != fastjson.TypeObject {
		return mapping, nil // not a mapping; its validation says why
	}
	var arena fastjson.Arena
	changed := false
	for _, key := range a.SecretFieldKeys() {
		s := v.Get(key)
		if s == nil || s.Type() != fastjson.TypeString || len(s.GetStringBytes()) == 0 {
			continue
		}
		old := string(s.GetStringBytes())
		out, err := f(key, old)
		if err != nil {
			return nil, err
		}
		if out != old {
			v.Set(key, arena.NewString(out))
			changed = true
		}
	}
	if !changed {
		return mapping, nil
	}
	return v.MarshalTo(nil), nil
}
