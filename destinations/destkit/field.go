package destkit

import "encoding/json"

// FieldType is the declared type of a payload field or a setting. The names
// are Segment's, so catalog output and reference data line up.
type FieldType string

// Field types. Text and Password validate as strings; Datetime accepts an
// ISO-8601-like string, a string of unix seconds, or a number.
const (
	String   FieldType = "string"
	Text     FieldType = "text"
	Password FieldType = "password"
	Number   FieldType = "number"
	Integer  FieldType = "integer"
	Boolean  FieldType = "boolean"
	Object   FieldType = "object"
	Datetime FieldType = "datetime"
)

// JSON is a JSON document kept as text. Default mappings are stored this way
// so they can be written as Go raw-string literals and compared byte for byte
// with the reference data.
type JSON string

// Choice is one allowed value of a field. Value is a string, a float64 or an
// int; comparisons are made against the JSON value in the payload.
type Choice struct {
	Value any    `json:"value"`
	Label string `json:"label"`
}

// Condition is one clause of a conditional requirement. With Value nil, "is"
// means the referenced field is missing (or null) and "is_not" means it is
// present; otherwise the field must be present and equal (or differ from)
// Value. FieldKey may be "parent.child" to look one level into an object.
type Condition struct {
	FieldKey string `json:"fieldKey"`
	Operator string `json:"operator"` // "is" or "is_not"
	Value    any    `json:"value,omitempty"`
}

// RequiredIf makes a field required when its conditions hold. Any selects
// "any condition" instead of the default "all conditions".
type RequiredIf struct {
	Any        bool        `json:"any,omitempty"`
	Conditions []Condition `json:"conditions"`
}

// Field declares one payload field of an action, one nested property of an
// object field, or one destination setting. The same value drives payload
// validation, the catalog, redaction and the registry lint.
type Field struct {
	Key         string    `json:"key"`
	Label       string    `json:"label"`
	Description string    `json:"description,omitempty"`
	Type        FieldType `json:"type"`

	// Required fields must be present after empty values are removed.
	// RequiredIf adds a requirement that depends on other fields.
	Required   bool        `json:"required,omitempty"`
	RequiredIf *RequiredIf `json:"required_if,omitempty"`

	// Multiple makes the field a list of Type. A scalar is wrapped into a
	// one-element list during validation.
	Multiple bool `json:"multiple,omitempty"`
	// AllowNull keeps an explicit null instead of dropping it. Like Segment,
	// it is ignored on Multiple fields.
	AllowNull bool `json:"allow_null,omitempty"`

	Choices []Choice `json:"choices,omitempty"`

	// Min and Max bound numbers, or the length of strings. Zero means unset:
	// Segment ignores a zero bound, and so do we. Neither applies to Integer.
	Min float64 `json:"min,omitempty"`
	Max float64 `json:"max,omitempty"`

	// Format names a string format ("email", "uri", "date-time", "uuid", …)
	// that String fields must satisfy, as in Segment (see ValidFormat). It
	// is ignored on Text, Password and Datetime fields, whose formats
	// Segment replaces.
	Format string `json:"format,omitempty"`

	// Properties declares the keys of an Object field. Undeclared keys are
	// dropped unless AdditionalProperties is set; an Object without
	// Properties accepts anything.
	Properties           []Field `json:"properties,omitempty"`
	AdditionalProperties bool    `json:"additional_properties,omitempty"`

	// Default is the mapping (mapping-kit JSON) pre-filled for this field; for
	// settings it is the literal JSON value used when the setting is unset.
	Default JSON `json:"default,omitempty"`

	// Secret marks settings that must never be printed: Redact and the
	// Settings formatting methods replace their values. On an action field it
	// marks a secret a mapping holds as a literal (MappingSecrets): sealed on
	// the config topic, redacted in API answers and history, masked wherever
	// the instance's secrets are.
	Secret bool `json:"secret,omitempty"`

	// Dynamic lists the field's choices from the vendor (Segment's dynamic
	// fields), run by the control API's choices endpoint; see hook.go.
	Dynamic DynamicChoices `json:"-"`
}

// MarshalJSON writes the field as declared, with "dynamic": true when its
// choices come from the vendor, so the catalog tells the console to ask the
// control API's choices endpoint for them.
func (f Field) MarshalJSON() ([]byte, error) {
	type declared Field // without this method
	return json.Marshal(struct {
		declared
		Dynamic bool `json:"dynamic,omitempty"`
	}{declared(f), f.Dynamic != nil})
}

// Property returns the nested property named key, or nil.
func (f *Field) Property(key string) *Field {
	for i := range f.Properties {
		if f.Properties[i].Key == key {
			return &f.Properties[i]
		}
	}
	return nil
}

// ChoiceValues is a shorthand for choices whose label is the value itself.
func ChoiceValues(values ...string) []Choice {
	cs := make([]Choice, len(values))
	for i, v := range values {
		cs[i] = Choice{Value: v, Label: v}
	}
	return cs
}
