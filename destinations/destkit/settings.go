package destkit

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Redacted replaces the value of every secret setting in printed output.
const Redacted = "[redacted]"

// Settings are the validated global settings of one destination instance.
// Printing them in any way (fmt verbs, JSON, zap) shows secrets as
// Redacted; only the typed accessors return real values.
type Settings struct {
	fields []Field
	vals   map[string]any
}

// ParseSettings checks raw settings against fields: required settings must
// be present and non-empty, values are coerced to the declared type (so
// "true" from an environment variable becomes a boolean), choices are
// enforced and defaults fill unset settings. Unknown keys are dropped, as
// Segment does; the OAuth blob is read separately by NewInstance.
func ParseSettings(fields []Field, raw map[string]any) (*Settings, error) {
	s := &Settings{fields: fields, vals: make(map[string]any, len(fields))}
	var problems []string
	first := ""
	fail := func(key, msg string) {
		if first == "" {
			first = key
		}
		problems = append(problems, msg)
	}
	for i := range fields {
		f := &fields[i]
		v, ok := raw[f.Key]
		if !ok || v == nil || v == "" {
			if f.Default != "" {
				var d any
				if err := json.Unmarshal([]byte(f.Default), &d); err == nil {
					s.vals[f.Key] = d
				}
				continue
			}
			if f.Required {
				fail(f.Key, fmt.Sprintf("The setting %q is required.", f.Key))
			}
			continue
		}
		cv, err := coerceSetting(f, v)
		if err != nil {
			fail(f.Key, err.Error())
			continue
		}
		if len(f.Choices) > 0 && !choiceAllowed(f.Choices, cv) {
			fail(f.Key, fmt.Sprintf("The setting %q must be one of: %s.", f.Key, choiceList(f.Choices)))
			continue
		}
		s.vals[f.Key] = cv
	}
	if problems != nil {
		return nil, &PayloadValidationError{Field: first, Message: strings.Join(problems, " ")}
	}
	return s, nil
}

func coerceSetting(f *Field, v any) (any, error) {
	switch f.Type {
	case Boolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("The setting %q must be a boolean.", f.Key)
	case Number, Integer:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case string:
			if n, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("The setting %q must be a number.", f.Key)
	case Object:
		return v, nil
	default:
		switch x := v.(type) {
		case string:
			return x, nil
		case bool:
			return strconv.FormatBool(x), nil
		case float64:
			return string(AppendJSNumber(nil, x)), nil
		case int:
			return strconv.Itoa(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		}
		return nil, fmt.Errorf("The setting %q must be a string.", f.Key)
	}
}

func choiceAllowed(cs []Choice, v any) bool {
	for _, c := range cs {
		if equalScalar(c.Value, v) {
			return true
		}
	}
	return false
}

func equalScalar(a, b any) bool {
	af, aNum := toFloat(a)
	bf, bNum := toFloat(b)
	if aNum || bNum {
		return aNum && bNum && af == bf
	}
	return a == b
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func choiceList(cs []Choice) string {
	var b strings.Builder
	for i, c := range cs {
		switch {
		case i == 0:
		case i == len(cs)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		if s, ok := c.Value.(string); ok {
			b.WriteString(strconv.Quote(s))
		} else {
			fmt.Fprint(&b, c.Value)
		}
	}
	return b.String()
}

// Str returns a string setting, or "" when unset.
func (s *Settings) Str(key string) string {
	if s == nil {
		return ""
	}
	v, _ := s.vals[key].(string)
	return v
}

// Bool returns a boolean setting, or false when unset.
func (s *Settings) Bool(key string) bool {
	if s == nil {
		return false
	}
	v, _ := s.vals[key].(bool)
	return v
}

// Num returns a numeric setting, or 0 when unset.
func (s *Settings) Num(key string) float64 {
	if s == nil {
		return 0
	}
	v, _ := s.vals[key].(float64)
	return v
}

// Redacted returns a copy of the settings safe to print.
func (s *Settings) Redacted() map[string]any {
	if s == nil {
		return nil
	}
	return Redact(s.fields, s.vals)
}

// String prints the settings with secrets redacted.
func (s *Settings) String() string {
	m := s.Redacted()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%v", k, m[k])
	}
	b.WriteByte('}')
	return b.String()
}

// GoString keeps %#v from printing the unexported map.
func (s *Settings) GoString() string { return "destkit.Settings" + s.String() }

// MarshalJSON writes the redacted settings, so loggers that encode values
// as JSON cannot leak secrets.
func (s *Settings) MarshalJSON() ([]byte, error) { return json.Marshal(s.Redacted()) }

// Redact returns a copy of settings in which the values of fields marked
// Secret (and of any "oauth" blob) are replaced by Redacted. Everything that
// prints settings — logs, the control API, dead letters, the catalog — must
// go through it.
func Redact(fields []Field, settings map[string]any) map[string]any {
	out := make(map[string]any, len(settings))
	for k, v := range settings {
		out[k] = v
	}
	for i := range fields {
		if !fields[i].Secret {
			continue
		}
		if v, ok := out[fields[i].Key]; ok && v != nil && v != "" {
			out[fields[i].Key] = Redacted
		}
	}
	if _, ok := out["oauth"]; ok {
		out["oauth"] = Redacted
	}
	return out
}
