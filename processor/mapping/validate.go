package mapping

import (
	"strconv"
	"strings"

	"github.com/actuate/actuate/processor/jsvalue"
)

// FieldError is one static validation failure.
type FieldError struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value, "" for
	// the root.
	Pointer string
	// Message is Segment's message text, without location or full stop.
	Message string
	// bare marks errors Segment raises outside the validator (root
	// directive rewrite, unparsable JSON), whose text carries no location.
	bare bool
}

// Error renders the error exactly as Segment's validator does:
// "/a/b message." (a lone "/" at the root). Segment joins the raw keys, so
// the pointer's ~1 and ~0 escapes are undone.
func (e FieldError) Error() string {
	if e.bare {
		return e.Message
	}
	loc := e.Pointer
	if loc == "" {
		loc = "/"
	}
	loc = strings.ReplaceAll(strings.ReplaceAll(loc, "~1", "/"), "~0", "~")
	return loc + " " + e.Message + "."
}

// ValidationError reports every problem static validation found, in
// Segment's order.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(fe.Error())
	}
	return b.String()
}

// Messages returns each error's text as Segment prints it.
func (e *ValidationError) Messages() []string {
	out := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		out[i] = fe.Error()
	}
	return out
}

func pointerOf(stack []string) string {
	var b strings.Builder
	for _, s := range stack {
		b.WriteByte('/')
		s = strings.ReplaceAll(s, "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return b.String()
}

// verr builds a single-error result. The validator below mirrors Segment's
// throw/aggregate structure: a non-empty slice is "thrown", and only
// validateObject and the per-field loop aggregate.
func verr(stack []string, msg string) []FieldError {
	return []FieldError{{Pointer: pointerOf(stack), Message: msg}}
}

func push(stack []string, s string) []string {
	out := make([]string, len(stack)+1)
	copy(out, stack)
	out[len(stack)] = s
	return out
}

func article(t string) string {
	switch t[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an"
	}
	return "a"
}

// hasAtKey reports whether an object has any key starting with '@', the
// validator's notion of "directive".
func hasAtKey(o *Object) bool {
	for _, k := range o.keys {
		if strings.HasPrefix(k, "@") {
			return true
		}
	}
	return false
}

func typeOrDirective(v Value) string {
	if v.kind == KindObject && hasAtKey(v.obj) {
		return "directive"
	}
	return v.typeName()
}

type fieldRule struct {
	name     string
	required bool
	check    func(v Value, stack []string) []FieldError
}

var directiveValidators map[string]func(v Value, stack []string) []FieldError

func init() {
	dirOrRaw := validateDirectiveOrRaw
	dirOrString := validateDirectiveOrString
	dirOrObject := validateDirectiveOrObject
	withFields := func(fields ...fieldRule) func(Value, []string) []FieldError {
		return func(v Value, stack []string) []FieldError {
			return validateObjectWithFields(v, fields, stack)
		}
	}
	chain := func(fns ...func(Value, []string) []FieldError) func(Value, []string) []FieldError {
		return func(v Value, stack []string) []FieldError {
			for _, f := range fns {
				if errs := f(v, stack); errs != nil {
					return errs
				}
			}
			return nil
		}
	}
	directiveValidators = map[string]func(Value, []string) []FieldError{
		"@if": withFields(
			fieldRule{name: "exists", check: dirOrRaw},
			fieldRule{name: "then", check: dirOrRaw},
			fieldRule{name: "else", check: dirOrRaw},
		),
		"@case": withFields(
			fieldRule{name: "operator", check: validateString},
			fieldRule{name: "value", check: dirOrString},
		),
		"@replace": withFields(
			fieldRule{name: "pattern", required: true, check: chain(validateString, validateStringLength(1, maxPatternLength))},
			fieldRule{name: "replacement", check: chain(validateString, validateStringLength(0, maxReplacementLength))},
			fieldRule{name: "value", required: true, check: dirOrString},
			fieldRule{name: "ignorecase", check: validateBoolean},
			fieldRule{name: "global", check: validateBoolean},
		),
		"@arrayPath": func(v Value, stack []string) []FieldError {
			if errs := validateArray(v, stack); errs != nil {
				return errs
			}
			var first, second Value
			if v.Len() > 0 {
				first = v.Index(0)
			}
			if v.Len() > 1 {
				second = v.Index(1)
			}
			if errs := dirOrString(first, stack); errs != nil {
				return errs
			}
			return validateValue(second, stack)
		},
		"@path":     dirOrString,
		"@template": dirOrString,
		"@json": withFields(
			fieldRule{name: "value", required: true, check: dirOrRaw},
			fieldRule{name: "mode", required: true, check: validateAllowedStrings("encode", "decode")},
		),
		"@flatten": withFields(
			fieldRule{name: "separator", check: validateString},
			fieldRule{name: "value", required: true, check: dirOrRaw},
		),
		"@merge": func(v Value, stack []string) []FieldError {
			errs := validateObjectWithFields(v, []fieldRule{
				{name: "direction", check: validateAllowedStrings("left", "right")},
				{name: "objects", required: true, check: validateArray},
			}, stack)
			if errs != nil {
				return errs
			}
			// Segment checks the elements with an empty path and stops at
			// the first bad one.
			objs := v.Get("objects")
			for i := 0; i < objs.Len(); i++ {
				if errs := dirOrObject(objs.Index(i), nil); errs != nil {
					return errs
				}
			}
			return nil
		},
		"@literal": dirOrRaw,
		"@transform": withFields(
			fieldRule{name: "apply", required: true, check: dirOrObject},
			fieldRule{name: "mapping", required: true, check: dirOrObject},
		),
		"@excludeWhenNull": dirOrRaw,
		"@liquid":          validateString,
	}
}

// validateValue is the validator's entry point for any mapping value.
func validateValue(v Value, stack []string) []FieldError {
	switch typeOrDirective(v) {
	case "directive":
		return validateDirective(v, stack)
	case "object":
		return validateObject(v, stack)
	}
	// Arrays are accepted without looking inside.
	return nil
}

func validateDirective(v Value, stack []string) []FieldError {
	if v.kind != KindObject {
		t := v.typeName()
		return verr(stack, "should be a directive object but it is "+article(t)+" "+t)
	}
	o := v.obj
	var name string
	nAt, nOther := 0, 0
	for _, k := range o.keys {
		if strings.HasPrefix(k, "@") {
			if nAt == 0 {
				name = k
			}
			nAt++
		} else if k != "_metadata" {
			nOther++
		}
	}
	if nAt > 1 {
		return verr(stack, "should only have one @-prefixed key but it has "+strconv.Itoa(nAt)+" keys")
	}
	if nOther > 0 {
		return verr(stack, "should only have one @-prefixed key but it has "+strconv.Itoa(len(o.keys))+" keys")
	}
	fn := directiveValidators[name]
	if fn == nil {
		return verr(stack, "has an invalid directive: "+name)
	}
	arg, _ := o.get(name)
	return fn(arg, push(stack, name))
}

func validateDirectiveOrRaw(v Value, stack []string) []FieldError {
	switch t := typeOrDirective(v); t {
	case "directive":
		return validateDirective(v, stack)
	case "object", "array", "boolean", "string", "number", "null":
		return nil
	default:
		return verr(stack, "should be a mapping directive or a JSON value but it is "+article(t)+" "+t)
	}
}

func validateDirectiveOrString(v Value, stack []string) []FieldError {
	switch t := typeOrDirective(v); t {
	case "directive":
		return validateDirective(v, stack)
	case "string":
		return nil
	default:
		return verr(stack, "should be a string or a mapping directive but it is "+article(t)+" "+t)
	}
}

func validateDirectiveOrObject(v Value, stack []string) []FieldError {
	switch t := typeOrDirective(v); t {
	case "directive":
		return validateDirective(v, stack)
	case "object":
		return validateObject(v, stack)
	default:
		// Segment's text says "a object".
		return verr(stack, "should be a object or a mapping directive but it is "+article(t)+" "+t)
	}
}

func validateString(v Value, stack []string) []FieldError {
	if t := typeOrDirective(v); t != "string" {
		return verr(stack, "should be a string but it is "+article(t)+" "+t)
	}
	return nil
}

func validateBoolean(v Value, stack []string) []FieldError {
	if t := typeOrDirective(v); t != "boolean" {
		return verr(stack, "should be a boolean but it is "+article(t)+" "+t)
	}
	return nil
}

func validateArray(v Value, stack []string) []FieldError {
	if t := v.typeName(); t != "array" {
		return verr(stack, "should be an array but it is "+article(t)+" "+t)
	}
	return nil
}

func validateStringLength(min, max int) func(Value, []string) []FieldError {
	return func(v Value, stack []string) []FieldError {
		if v.kind != KindString {
			return nil
		}
		n := jsvalue.UTF16Len(v.str)
		if n < min {
			return verr(stack, "should be a string of length "+strconv.Itoa(min)+" or greater")
		}
		if n > max {
			return verr(stack, "should be a string of length "+strconv.Itoa(max)+" or less")
		}
		return nil
	}
}

func validateAllowedStrings(allowed ...string) func(Value, []string) []FieldError {
	return func(v Value, stack []string) []FieldError {
		if errs := validateString(v, stack); errs != nil {
			return errs
		}
		lower := jsToLower(v.str)
		for _, a := range allowed {
			if lower == a {
				return nil
			}
		}
		return verr(stack, "should be one of "+strings.Join(allowed, ", ")+" but it is "+jsonString(v.str))
	}
}

func validateObject(v Value, stack []string) []FieldError {
	if t := typeOrDirective(v); t != "object" {
		return verr(stack, "should be an object but it is "+article(t)+" "+t)
	}
	var errs []FieldError
	for i, k := range v.obj.keys {
		errs = append(errs, validateValue(v.obj.vals[i], push(stack, k))...)
	}
	return errs
}

func validateObjectWithFields(v Value, fields []fieldRule, stack []string) []FieldError {
	if errs := validateObject(v, stack); errs != nil {
		return errs
	}
	var errs []FieldError
	for _, f := range fields {
		fv, present := v.obj.get(f.name)
		if !present {
			if f.required {
				errs = append(errs, verr(stack, "should have field "+jsonString(f.name)+" but it doesn't")...)
			}
			continue
		}
		errs = append(errs, f.check(fv, push(stack, f.name))...)
	}
	return errs
}
