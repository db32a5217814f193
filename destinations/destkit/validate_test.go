package destkit

import (
	"errors"
	"testing"

	"github.com/valyala/fastjson"
)

var testAction = &Action{
	Key: "t",
	Fields: []Field{
		{Key: "s", Label: "S", Type: String},
		{Key: "n", Label: "N", Type: Number},
		{Key: "i", Label: "I", Type: Integer},
		{Key: "b", Label: "B", Type: Boolean},
		{Key: "d", Label: "D", Type: Datetime},
		{Key: "c", Label: "C", Type: String, Choices: ChoiceValues("a", "b")},
		{Key: "smin", Label: "Smin", Type: String, Min: 2},
		{Key: "nmin", Label: "Nmin", Type: Number, Min: 1, Max: 10},
		{Key: "m", Label: "M", Type: String, Multiple: true},
		{Key: "nul", Label: "Nul", Type: String, AllowNull: true},
		{Key: "free", Label: "Free", Type: Object},
		{Key: "op", Label: "Op", Type: Object, Properties: []Field{
			{Key: "k", Label: "K", Type: String, Required: true},
			{Key: "num", Label: "Num", Type: Number},
			{Key: "empty", Label: "Empty", Type: String},
		}},
		{Key: "user_id", Label: "User ID", Type: String, Required: true},
	},
}

func TestValidateNormalises(t *testing.T) {
	for i, tc := range []struct{ in, want string }{
		// Undeclared keys and root-level empty strings go; so do nulls
		// unless the field allows them.
		{`{"user_id":"u","x":1,"s":"","n":null,"nul":null}`, `{"user_id":"u","nul":null}`},
		// Coercion to the declared scalar types.
		{`{"user_id":123,"s":true,"n":"12","i":"7","b":"false"}`, `{"user_id":"123","s":"true","n":12,"i":7,"b":false}`},
		{`{"user_id":"u","b":1,"s":1.5e21,"n":true}`, `{"user_id":"u","b":true,"s":"1.5e+21","n":1}`},
		// Lists: scalars are wrapped, null items dropped; a one-element list
		// unwraps for a scalar field.
		{`{"user_id":["u"],"m":"one"}`, `{"user_id":"u","m":["one"]}`},
		{`{"user_id":"u","m":["a",null,2]}`, `{"user_id":"u","m":["a","2"]}`},
		// Free-form objects are untouched; declared ones lose undeclared
		// keys and nulls but keep "" on string properties.
		{`{"user_id":"u","free":{"a":null,"b":""},"op":{"k":"v","z":1,"num":null,"empty":""}}`,
			`{"user_id":"u","free":{"a":null,"b":""},"op":{"k":"v","empty":""}}`},
		// Numbers keep their text; dates are accepted as ISO strings, unix
		// seconds or numbers.
		{`{"user_id":"u","n":1.50,"d":"2024-05-01T10:00:00.000Z"}`, `{"user_id":"u","n":1.50,"d":"2024-05-01T10:00:00.000Z"}`},
		{`{"user_id":"u","d":"1714557600"}`, `{"user_id":"u","d":"1714557600"}`},
		{`{"user_id":"u","d":1714557600}`, `{"user_id":"u","d":1714557600}`},
		{`{"user_id":"ü\u2028\"\n"}`, "{\"user_id\":\"ü\u2028\\\"\\n\"}"},
	} {
		got, err := testAction.Validate([]byte(tc.in))
		if err != nil {
			t.Errorf("%d: %v", i, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("%d:\n got %s\nwant %s", i, got, tc.want)
		}
	}
}

func TestValidateErrors(t *testing.T) {
	for i, tc := range []struct{ in, field, msg string }{
		{`{}`, "user_id", `The root value is missing the required field 'user_id'.`},
		{`{"user_id":""}`, "user_id", `The root value is missing the required field 'user_id'.`},
		{`{"user_id":"u","n":"12a"}`, "n", `N must be a number but it was a string.`},
		{`{"user_id":"u","i":1.5}`, "i", `I must be an integer but it was a number.`},
		{`{"user_id":"u","c":"z"}`, "c", `C must be one of: "a" or "b".`},
		{`{"user_id":"u","smin":"x"}`, "smin", `Smin must be 2 characters or more but it was 1 character.`},
		{`{"user_id":"u","nmin":0}`, "nmin", `Nmin must be equal to or greater than 1.`},
		{`{"user_id":"u","nmin":11}`, "nmin", `Nmin must be equal to or less than 10.`},
		{`{"user_id":"u","d":"yesterday"}`, "d", `D must be a valid date-like string but it was not.`},
		{`{"user_id":"u","op":{}}`, "op.k", `Op is missing the required field 'k'.`},
		{`{"user_id":"u","op":[1]}`, "op", `Op must be an object but it was an array.`},
		{`{"user_id":["a","b"]}`, "user_id", `User ID must be a string but it was an array.`},
		{`{"user_id":"u","m":[{}]}`, "m[0]", `M must be a string but it was an object.`},
		{`[]`, "", `The root value must be an object but it was an array.`},
		{`{"user_id":"u","n":"x","b":"maybe"}`, "n", `N must be a number but it was a string. B must be a boolean but it was a string.`},
	} {
		_, err := testAction.Validate([]byte(tc.in))
		var pv *PayloadValidationError
		if !errors.As(err, &pv) {
			t.Errorf("%d: want PayloadValidationError, got %v", i, err)
			continue
		}
		if pv.Field != tc.field || pv.Message != tc.msg {
			t.Errorf("%d: got %q %q, want %q %q", i, pv.Field, pv.Message, tc.field, tc.msg)
		}
	}
}

func TestValidateConditionalRequirement(t *testing.T) {
	a := &Action{Fields: []Field{
		{Key: "a", Label: "A", Type: String},
		{Key: "b", Label: "B", Type: String, RequiredIf: &RequiredIf{Conditions: []Condition{{FieldKey: "a", Operator: "is", Value: "a_value"}}}},
		{Key: "email", Label: "Email", Type: String},
		{Key: "phone", Label: "Phone", Type: String, RequiredIf: &RequiredIf{Conditions: []Condition{{FieldKey: "email", Operator: "is"}}}},
		{Key: "ids", Label: "IDs", Type: Object},
		{Key: "cc", Label: "CC", Type: String, RequiredIf: &RequiredIf{Conditions: []Condition{{FieldKey: "ids.phone", Operator: "is_not"}}}},
	}}
	for i, tc := range []struct {
		in  string
		err string
	}{
		{`{"email":"e"}`, ""},
		{`{"email":"e","a":"a_value"}`, `The root value is missing the required field 'b'.`},
		{`{"email":"e","a":"other"}`, ""},
		{`{}`, `The root value is missing the required field 'phone'.`},
		{`{"email":"e","ids":{"phone":"1"}}`, `The root value is missing the required field 'cc'.`},
		{`{"email":"e","ids":{"phone":"1"},"cc":"US"}`, ""},
	} {
		_, err := a.Validate([]byte(tc.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.err {
			t.Errorf("%d: got %q, want %q", i, got, tc.err)
		}
	}
}

func TestDefaultMapping(t *testing.T) {
	a := &Action{Fields: []Field{
		{Key: "x", Default: `{"@path":"$.userId"}`},
		{Key: "y"},
		{Key: "z", Default: `"POST"`},
	}}
	if got := string(a.DefaultMapping()); got != `{"x":{"@path":"$.userId"},"z":"POST"}` {
		t.Fatal(got)
	}
}

func BenchmarkValidate(b *testing.B) {
	in := []byte(`{"user_id":"u-123","s":"hello","n":"12","i":7,"b":true,"d":"2024-05-01T10:00:00.000Z",` +
		`"m":["a","b"],"free":{"a":1,"b":[1,2,3]},"op":{"k":"v","num":3},"extra":"dropped"}`)
	dst := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if dst, err = testAction.AppendValidated(dst[:0], in); err != nil {
			b.Fatal(err)
		}
	}
}

func TestValidateKeepsSyncMode(t *testing.T) {
	got, err := testAction.Validate([]byte(`{"user_id":"u","__segment_internal_sync_mode":"upsert","__other":1}`))
	if err != nil || string(got) != `{"user_id":"u","__segment_internal_sync_mode":"upsert"}` {
		t.Fatalf("%s %v", got, err)
	}
}

func TestValidateKeepsHookOutputs(t *testing.T) {
	a := &Action{Key: "h", Fields: []Field{{Key: "id", Label: "ID", Type: String}},
		Hooks: []Hook{{Key: "onMappingSave", Label: "Catalog", Outputs: []Field{{Key: "catalog_name", Label: "Catalog Name", Type: String, Required: true}}}}}
	got, err := a.Validate([]byte(`{"id":"1","onMappingSave":{"inputs":{"operation":"select"},"outputs":{"catalog_name":"shoes","x":1}},"retlOnMappingSave":{"outputs":{}}}`))
	if err != nil || string(got) != `{"id":"1","onMappingSave":{"outputs":{"catalog_name":"shoes"}}}` {
		t.Fatalf("%s %v", got, err)
	}
	if v := HookOutput(fastjson.MustParseBytes(got), "onMappingSave", "catalog_name"); string(v.GetStringBytes()) != "shoes" {
		t.Fatalf("HookOutput = %v", v)
	}
	if _, err := a.Validate([]byte(`{"id":"1","onMappingSave":{"outputs":{}}}`)); err == nil {
		t.Fatal("missing required output accepted")
	}
}
