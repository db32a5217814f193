package mapping

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/valyala/fastjson"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

// render compiles mapping, renders event through both AppendJSON and
// Render, insists they agree, and returns the JSON text ("undefined" when
// there is none).
func render(t *testing.T, mapping, event string) (string, error) {
	t.Helper()
	m, err := Compile([]byte(mapping))
	if err != nil {
		return "", err
	}
	var ev *fastjson.Value
	if event != "" {
		if ev, err = fastjson.Parse(event); err != nil {
			t.Fatalf("bad test event %s: %v", event, err)
		}
	}
	out, err := m.AppendJSON(nil, ev)
	v, err2 := m.Render(ev)
	if (err == nil) != (err2 == nil) && !errors.Is(err, ErrUndefined) {
		t.Fatalf("AppendJSON error %v but Render error %v", err, err2)
	}
	if errors.Is(err, ErrUndefined) {
		if !v.IsAbsent() {
			t.Fatalf("AppendJSON undefined but Render gave %s", v.AppendJSON(nil))
		}
		return "undefined", nil
	}
	if err != nil {
		return "", err
	}
	if got := string(v.AppendJSON(nil)); got != string(out) {
		t.Fatalf("AppendJSON and Render disagree:\n  %s\n  %s", out, got)
	}
	return string(out), nil
}

type tcase struct {
	name    string
	mapping string
	event   string
	want    string   // JSON text or "undefined"
	err     string   // runtime error text
	invalid []string // validation messages
}

func runTable(t *testing.T, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := render(t, tc.mapping, tc.event)
			switch {
			case tc.invalid != nil:
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("want validation error, got %q, %v", got, err)
				}
				if !reflect.DeepEqual(ve.Messages(), tc.invalid) {
					t.Fatalf("validation:\n  got  %q\n  want %q", ve.Messages(), tc.invalid)
				}
			case tc.err != "":
				if err == nil || err.Error() != tc.err {
					t.Fatalf("want error %q, got %q, %v", tc.err, got, err)
				}
			default:
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if got != tc.want {
					t.Fatalf("\n  got  %s\n  want %s", got, tc.want)
				}
			}
		})
	}
}

// TestConformance pins the reference's tricky cases (section E.2 and E.3
// of the semantics notes) one by one.
func TestConformance(t *testing.T) {
	const ifPayload = `{"a":1,"b":true,"c":false,"d":null,"e":""}`
	runTable(t, []tcase{
		// E.2 1: @if exists vs blank
		{name: "if exists empty string", mapping: `{"x":{"@if":{"exists":{"@path":"$.e"},"then":1,"else":2}}}`, event: ifPayload, want: `{"x":1}`},
		{name: "if blank empty string", mapping: `{"x":{"@if":{"blank":{"@path":"$.e"},"then":1,"else":2}}}`, event: ifPayload, want: `{"x":2}`},
		{name: "if exists null", mapping: `{"x":{"@if":{"exists":{"@path":"$.d"},"then":1,"else":2}}}`, event: ifPayload, want: `{"x":2}`},
		{name: "if blank null", mapping: `{"x":{"@if":{"blank":{"@path":"$.d"},"then":1,"else":2}}}`, event: ifPayload, want: `{"x":2}`},
		{name: "if exists missing", mapping: `{"x":{"@if":{"exists":{"@path":"$.x"},"then":1,"else":2}}}`, event: ifPayload, want: `{"x":2}`},
		// E.2 2: @case
		{name: "case number untouched", mapping: `{"x":{"@case":{"operator":"lower","value":{"@path":"$.n"}}}}`, event: `{"n":1}`, want: `{"x":1}`},
		{name: "case null untouched", mapping: `{"x":{"@case":{"operator":"lower","value":{"@path":"$.n"}}}}`, event: `{"n":null}`, want: `{"x":null}`},
		{name: "case object untouched", mapping: `{"x":{"@case":{"operator":"lower","value":{"@path":"$.n"}}}}`, event: `{"n":{"key1":"with values","key2":["hi",true,null]}}`, want: `{"x":{"key1":"with values","key2":["hi",true,null]}}`},
		{name: "case bad operator", mapping: `{"x":{"@case":{"operator":"unsupported snake","value":"ABC"}}}`, err: `operator key should have a value of "lower" or "upper"`},
		{name: "case not object", mapping: `{"@case":"not an object"}`, invalid: []string{"/@case should be an object but it is a string."}},
		{name: "case full unicode upper", mapping: `{"x":{"@case":{"operator":"upper","value":"straße"}}}`, want: `{"x":"STRASSE"}`},
		// E.2 3/4: @arrayPath
		{name: "arrayPath object root", mapping: `{"neat":{"@arrayPath":["$.products",{"product_id":{"@path":"$.productId"},"monies":{"@path":"$.price"}}]}}`, event: `{"products":{"notAnArray":true}}`, want: `{"neat":[{}]}`},
		{name: "arrayPath single object", mapping: `{"x":{"@arrayPath":["$.properties",{"id":{"@path":"$.id"}}]}}`, event: `{"properties":{"id":"a"}}`, want: `{"x":[{"id":"a"}]}`},
		{name: "arrayPath if root", mapping: `{"x":{"@arrayPath":[{"@if":{"exists":{"@path":"$.products"},"then":{"@path":"$.products"},"else":[]}},{"id":{"@path":"$.id"}}]}}`, event: `{"products":[{"id":1},{"id":2}]}`, want: `{"x":[{"id":1},{"id":2}]}`},
		{name: "arrayPath null item", mapping: `{"x":{"@arrayPath":["$.a",{"v":{"@path":"$.id"}}]}}`, event: `{"a":[null,{"id":2}]}`, want: `{"x":[{"v":null},{"v":2}]}`},
		// E.2 5: @json
		{name: "json decode plain string", mapping: `{"x":{"@json":{"mode":"decode","value":"Hello World"}}}`, want: `{"x":"Hello World"}`},
		{name: "json encode missing", mapping: `{"x":{"@json":{"mode":"encode","value":{"@path":"$.nope"}}}}`, want: `{}`},
		{name: "json encode string", mapping: `{"x":{"@json":{"mode":"encode","value":"bar"}}}`, want: `{"x":"\"bar\""}`},
		// E.2 6: @flatten
		{name: "flatten array", mapping: `{"x":{"@flatten":{"separator":".","value":{"foo":[{"fazz":"bar","fizz":"baz"}]}}}}`, want: `{"x":{"foo.0.fazz":"bar","foo.0.fizz":"baz"}}`},
		{name: "flatten top-level array", mapping: `{"x":{"@flatten":{"separator":".","value":[{"fazz":"bar"}]}}}`, want: `{"x":{"0.fazz":"bar"}}`},
		{name: "flatten omitArrays", mapping: `{"x":{"@flatten":{"separator":".","omitArrays":true,"value":{"aces":[1,2],"a":{"b":1}}}}}`, want: `{"x":{"aces":[1,2],"a.b":1}}`},
		{name: "flatten primitive", mapping: `{"x":{"@flatten":{"separator":".","value":"v"}}}`, want: `{"x":{"":"v"}}`},
		// E.2 7: @path
		{name: "path empty", mapping: `{"x":{"@path":""}}`, event: `{"a":1}`, want: `{"x":{"a":1}}`},
		{name: "path $.", mapping: `{"x":{"@path":"$."}}`, event: `{"a":1}`, want: `{"x":{"a":1}}`},
		{name: "path of path", mapping: `{"x":{"@path":{"@path":"$.foo"}}}`, event: `{"foo":"bar","bar":"baz"}`, want: `{"x":"baz"}`},
		{name: "path of path non-string", mapping: `{"x":{"@path":{"@path":"$.n"}}}`, event: `{"n":5}`, err: "@path: expected string, got number"},
		{name: "path through string", mapping: `{"x":{"@path":"$.foo.bar.baz"}}`, event: `{"foo":"bar"}`, want: `{}`},
		{name: "path empty object", mapping: `{"x":{"@path":{}}}`, invalid: []string{"/x/@path should be a string or a mapping directive but it is an object."}},
		// E.2 8: @template
		{name: "template no escaping", mapping: `{"x":{"@template":"<blink>{{a}} {{{a}}}</blink>"}}`, event: `{"a":"<b>Hi</b>"}`, want: `{"x":"<blink><b>Hi</b> <b>Hi</b></blink>"}`},
		{name: "template missing", mapping: `{"x":{"@template":"{{oops.yo}}"}}`, event: `{}`, want: `{"x":""}`},
		{name: "template object", mapping: `{"x":{"@template":"{{foo}}"}}`, event: `{"foo":{"bar":"baz"}}`, want: `{"x":"[object Object]"}`},
		{name: "template null", mapping: `{"x":{"@template":"{{foo}}"}}`, event: `{"foo":null}`, want: `{"x":""}`},
		{name: "template true", mapping: `{"x":{"@template":"{{foo}}"}}`, event: `{"foo":true}`, want: `{"x":"true"}`},
		{name: "template extra brace", mapping: `{"x":{"@template":"{{foo}}}"}}`, event: `{"foo":"hello"}`, want: `{"x":"hello}"}`},
		// E.2 9/10: @replace
		{name: "replace null", mapping: `{"x":{"@replace":{"pattern":"a","value":{"@path":"$.n"}}}}`, event: `{"n":null}`, want: `{"x":""}`},
		{name: "replace bool", mapping: `{"x":{"@replace":{"pattern":"true","replacement":"granted","value":{"@path":"$.b"}}}}`, event: `{"b":true}`, want: `{"x":"granted"}`},
		{name: "replace number", mapping: `{"x":{"@replace":{"pattern":"1","replacement":"granted","value":{"@path":"$.n"}}}}`, event: `{"n":1}`, want: `{"x":"granted"}`},
		{name: "replace metachar", mapping: `{"x":{"@replace":{"pattern":"many+","value":"many+different+things"}}}`, want: `{"x":"different+things"}`},
		{name: "replace ignorecase", mapping: `{"x":{"@replace":{"pattern":"AaB","replacement":"nice","ignorecase":true,"value":"aab-----AaB---aab"}}}`, want: `{"x":"nice-----nice---nice"}`},
		{name: "replace not global", mapping: `{"x":{"@replace":{"pattern":"+","replacement":"_","global":false,"value":"many+different+things"}}}`, want: `{"x":"many_different+things"}`},
		{name: "replace chained", mapping: `{"x":{"@replace":{"pattern":"true","replacement":"granted","pattern2":"false","replacement2":"denied","value":{"@path":"$.b"}}}}`, event: `{"b":false}`, want: `{"x":"denied"}`},
		// E.2 11: @merge
		{name: "merge left", mapping: `{"x":{"@merge":{"direction":"left","objects":[{"cool":true,"hey":"there"},{"@path":"foo"}]}}}`, event: `{"foo":{"bar":"baz","hey":"you"}}`, want: `{"x":{"bar":"baz","hey":"there","cool":true}}`},
		{name: "merge right", mapping: `{"x":{"@merge":{"direction":"right","objects":[{"cool":true,"hey":"there"},{"@path":"foo"}]}}}`, event: `{"foo":{"bar":"baz","hey":"you"}}`, want: `{"x":{"cool":true,"hey":"you","bar":"baz"}}`},
		{name: "merge objects not array", mapping: `{"x":{"@merge":{"direction":"left","objects":{"oops":true}}}}`, invalid: []string{"/x/@merge/objects should be an array but it is an object."}},
		{name: "merge bad element", mapping: `{"x":{"@merge":{"direction":"left","objects":[{},1]}}}`, invalid: []string{"/ should be a object or a mapping directive but it is a number."}},
		{name: "merge bad direction", mapping: `{"x":{"@merge":{"direction":"up","objects":[]}}}`, invalid: []string{`/x/@merge/direction should be one of left, right but it is "up".`}},
		// E.2 12: @excludeWhenNull
		{name: "excludeWhenNull path", mapping: `{"x":{"@excludeWhenNull":{"@path":"$.foo.bar"}}}`, event: `{"foo":{"bar":null}}`, want: `{}`},
		{name: "excludeWhenNull template", mapping: `{"x":{"@excludeWhenNull":{"@template":"{{foo.bar}}"}}}`, event: `{"foo":{"bar":null}}`, want: `{"x":""}`},
		{name: "excludeWhenNull json encode", mapping: `{"x":{"@excludeWhenNull":{"@json":{"mode":"encode","value":{"@path":"$.foo.bar"}}}}}`, event: `{"foo":{"bar":null}}`, want: `{"x":"null"}`},
		{name: "excludeWhenNull nested", mapping: `{"x":{"@excludeWhenNull":{"a":null,"d":{"a":null,"b":null},"arr":[null]}}}`, want: `{"x":{"d":{},"arr":[null]}}`},
		// E.2 13: root directive
		{name: "root internal directive", mapping: `{"__segment_internal_directive":{"@transform":{"apply":{"properties":{"@flatten":{"value":{"@path":"$.properties"},"separator":"_"}}}}},"props":{"@path":"$.properties"},"topLevel":{"@path":"$.properties.nested_a"}}`,
			event: `{"properties":{"test":1,"nested":{"a":"special","b":2}}}`, want: `{"props":{"test":1,"nested_a":"special","nested_b":2},"topLevel":"special"}`},
		// E.2 14: absent removal
		{name: "absent removal", mapping: `{"x":{"y":{"z":{"@path":"$.nope"}}},"foo":1,"n":null}`, want: `{"x":{"y":{}},"foo":1,"n":null}`},
		{name: "absent array element", mapping: `{"a":[{"@path":"$.missing"},1]}`, want: `{"a":[null,1]}`},
		{name: "root array is spread into an object", mapping: `[{"@path":"$.missing"},1]`, want: `{"1":1}`},
		// E.2 15: aggregation
		{name: "validation aggregation", mapping: `{"obj":{"@path":"foo.bar","oops":true},"hash":{"@template":{}}}`, invalid: []string{
			"/obj should only have one @-prefixed key but it has 2 keys.",
			"/hash/@template should be a string or a mapping directive but it is an object.",
		}},
		{name: "validation nested invalid directive", mapping: `{"@if":{"exists":true,"then":{"@oops":{}}}}`, invalid: []string{"/@if/then has an invalid directive: @oops."}},
		// E.3
		{name: "falsy else ignored", mapping: `{"x":{"@if":{"exists":{"@path":"$.nope"},"then":1,"else":false}}}`, want: `{}`},
		{name: "blank 0", mapping: `{"x":{"@if":{"blank":{"@path":"$.v"},"then":"t","else":"e"}}}`, event: `{"v":0}`, want: `{"x":"e"}`},
		{name: "blank [null]", mapping: `{"x":{"@if":{"blank":{"@path":"$.v"},"then":"t","else":"e"}}}`, event: `{"v":[null]}`, want: `{"x":"e"}`},
		{name: "blank '0'", mapping: `{"x":{"@if":{"blank":{"@path":"$.v"},"then":"t","else":"e"}}}`, event: `{"v":"0"}`, want: `{"x":"t"}`},
		{name: "blank {}", mapping: `{"x":{"@if":{"blank":{"@path":"$.v"},"then":"t","else":"e"}}}`, event: `{"v":{}}`, want: `{"x":"t"}`},
		{name: "if exists false errors", mapping: `{"x":{"@if":{"exists":false,"then":1}}}`, err: `@if requires an "exists" key or a "blank" key`},
		{name: "get through 0", mapping: `{"x":{"@path":"$.a.b"}}`, event: `{"a":0}`, want: `{"x":0}`},
		{name: "template through 0", mapping: `{"x":{"@template":"{{x.y}}"}}`, event: `{"x":0}`, want: `{"x":"0"}`},
		{name: "replace $&", mapping: `{"x":{"@replace":{"pattern":"a","replacement":"[$&]","value":"banana"}}}`, want: `{"x":"b[a]n[a]n[a]"}`},
		{name: "replace $$", mapping: `{"x":{"@replace":{"pattern":"a","replacement":"$$","value":"banana"}}}`, want: `{"x":"b$n$n$"}`},
		{name: "merge string source", mapping: `{"x":{"@merge":{"direction":"right","objects":[{"@path":"$.s"}]}}}`, event: `{"s":"ab"}`, want: `{"x":{"0":"a","1":"b"}}`},
		{name: "merge absent erases", mapping: `{"x":{"@merge":{"direction":"right","objects":[{"a":1},{"a":{"@path":"$.missing"}}]}}}`, want: `{"x":{}}`},
		{name: "merge LEFT is right", mapping: `{"x":{"@merge":{"direction":"LEFT","objects":[{"a":1},{"a":2}]}}}`, want: `{"x":{"a":2}}`},
		{name: "json ENCODE omitted", mapping: `{"x":{"@json":{"mode":"ENCODE","value":"v"}}}`, want: `{}`},
		// value model
		{name: "numbers as JS prints them", mapping: `{"x":{"@path":"$.n"},"s":{"@template":"{{n}}"}}`, event: `{"n":[1.0,1e2,1.5e-7,12345678901234567890,-0,1e21,0.1,100.50]}`,
			want: `{"x":[1,100,1.5e-7,12345678901234567000,0,1e+21,0.1,100.5],"s":"1,100,1.5e-7,12345678901234567000,0,1e+21,0.1,100.5"}`},
		{name: "integer-like keys first", mapping: `{"x":{"@path":"$.o"}}`, event: `{"o":{"b":1,"2":2,"a":3,"1":4,"01":5}}`, want: `{"x":{"1":4,"2":2,"b":1,"a":3,"01":5}}`},
		{name: "JSON.stringify escaping", mapping: `{"x":{"@path":"$.s"}}`, event: `{"s":"<>&\u2028\u0001\t\"\\\/é😀"}`, want: "{\"x\":\"<>&\u2028\\u0001\\t\\\"\\\\/é😀\"}"},
		{name: "string length in UTF-16", mapping: `{"x":{"@path":"$.s.length"}}`, event: `{"s":"😀a"}`, want: `{"x":3}`},
		{name: "lone surrogate", mapping: `{"x":{"@path":"$.s.0"}}`, event: `{"s":"😀a"}`, want: `{"x":"\ud83d"}`},
		{name: "liquid json as JSON.stringify", mapping: `{"x":{"@liquid":"{{ s | json }}"},"n":{"@liquid":"{{ n | json }}"}}`, event: `{"s":"a<b>&c\u2028","n":[1e-7,-0]}`,
			want: "{\"x\":\"\\\"a<b>&c\u2028\\\"\",\"n\":\"[1e-7,0]\"}"},
		{name: "data must be an object", mapping: `{"x":1}`, event: `[1]`, err: "data must be an object, got array"},
		{name: "root undefined", mapping: `{"@path":"$.nope"}`, want: "undefined"},
		{name: "unknown directive in array", mapping: `{"x":[{"@oops":1}]}`, err: "@oops is not a valid directive, got undefined"},
		{name: "literal resolves inside", mapping: `{"@literal":{"a":{"@path":"$.a"},"b":{"@path":"$.b"}}}`, event: `{"a":"some value"}`, want: `{"a":"some value"}`},
		{name: "transform chain", mapping: `{"x":{"@transform":{"apply":{"foo":{"@path":"$.a"}},"mapping":{"newValue":{"@path":"$.foo"}}}}}`, event: `{"a":1}`, want: `{"x":{"newValue":1}}`},
		{name: "transform item not object", mapping: `{"x":{"@arrayPath":["$.a",{"@transform":{"apply":{"b":1},"mapping":{"c":{"@path":"$.b"}}}}]}}`, event: `{"a":["s"]}`, err: "data must be an object, got string"},
		{name: "liquid basic", mapping: `{"x":{"@liquid":"{{ properties.name | upcase }}-{{ missing }}"}}`, event: `{"properties":{"name":"ann"}}`, want: `{"x":"ANN-"}`},
		{name: "liquid disabled tag", mapping: `{"x":{"@liquid":"{% for a in b %}{% endfor %}"}}`, err: `tag "for" is disabled`},
		{name: "liquid must be string", mapping: `{"x":{"@liquid":{"@path":"$.a"}}}`, invalid: []string{"/x/@liquid should be a string but it is a directive."}},
	})
}

// TestGoldenOutputs keeps the full output of larger mappings under
// testdata/golden; run with -update to rewrite after a reviewed change.
func TestGoldenOutputs(t *testing.T) {
	event, err := os.ReadFile(filepath.Join("testdata", "bench", "track.event.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"amplitude21", "heavy"} {
		t.Run(name, func(t *testing.T) {
			mapping, err := os.ReadFile(filepath.Join("testdata", "bench", name+".mapping.json"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := render(t, string(mapping), string(event))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("testdata", "golden", name+".out.json")
			if *update {
				if err := os.WriteFile(file, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if got != strings.TrimSuffix(string(want), "\n") {
				t.Errorf("output differs from %s:\n%s", file, got)
			}
		})
	}
}

func TestValidationErrorShape(t *testing.T) {
	err := Validate([]byte(`{"a/b":{"~x":{"@template":1}},"c":{"@oops":1}}`))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	want := []FieldError{
		{Pointer: "/a~1b/~0x/@template", Message: "should be a string or a mapping directive but it is a number"},
		{Pointer: "/c", Message: "has an invalid directive: @oops"},
	}
	if !reflect.DeepEqual(ve.Errors, want) {
		t.Fatalf("got %#v", ve.Errors)
	}
	if got := ve.Error(); got != "/a/b/~x/@template should be a string or a mapping directive but it is a number.\n/c has an invalid directive: @oops." {
		t.Fatalf("Error() = %q", got)
	}
	if err := Validate([]byte(`{"a":{"@path":"$.x"}}`)); err != nil {
		t.Fatal(err)
	}
	if err := Validate([]byte(`{"a":`)); err == nil {
		t.Fatal("invalid JSON accepted")
	}
}

func TestCanonicalNumber(t *testing.T) {
	for raw, canon := range map[string]bool{"0": true, "-0": false, "12": true, "1.5": true, "1.50": false, "1e2": false, "0.000001": true, "0.0000001": false, "1234567890123456": false, "-0.5": true, "01": false} {
		if got := canonicalNumber([]byte(raw)); got != canon {
			t.Errorf("canonicalNumber(%s) = %v", raw, got)
		}
	}
}

func TestSplitPath(t *testing.T) {
	for in, want := range map[string][]string{
		"a.b.f[0].g":     {"a", "b", "f", "0", "g"},
		"['a'].b":        {"a", "b"},
		`["a"].b`:        {"a", "b"},
		"context['a-b']": {"context", "a-b"},
		`a["b c"]`:       {"a", "b c"},
		"arr[1]":         {"arr", "1"},
		"a..b":           {"a", "b"},
		"a[b]":           {"a[b]"},
		"[txt] non":      {"[txt] non"},
		"arr[-1]":        {"arr[-1"}, // a "]" after a digit is a separator
		"a['b.c']":       {"a", "b", "c"},
		"a.''":           {"a", ""},
	} {
		if got := splitPath(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLargeObjectsStayOrdered(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"o":{`)
	for i := 0; i < 200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		// keys k199..k0 interleaved with descending index keys
		fmt.Fprintf(&b, `"k%d":%d,"%d":%d`, 199-i, i, 199-i, i)
	}
	b.WriteString(`}}`)
	got, err := render(t, `{"f":{"@flatten":{"value":{"@path":"$.o"},"separator":"."}},"m":{"@merge":{"direction":"left","objects":[{"@path":"$.o"},{"k5":"x","7":"y"}]}}}`, b.String())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := ParseJSON([]byte(got))
	f := v.Get("f").obj
	if len(f.keys) != 400 || f.keys[0] != "0" || f.keys[199] != "199" || f.keys[200] != "k199" {
		t.Fatalf("bad order: %v", f.keys[:3])
	}
	if m := v.Get("m"); m.Get("k5").Number() != 194 || m.Get("7").Number() != 192 {
		t.Fatalf("bad merge: %s", got[:200])
	}
}

// TestConcurrentRender renders one compiled mapping from several
// goroutines (each with its own event, as fastjson requires); run under
// -race it guards the "compile once, render anywhere" promise.
func TestConcurrentRender(t *testing.T) {
	event, err := os.ReadFile(filepath.Join("testdata", "bench", "track.event.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ms []*Mapping
	for _, name := range []string{"amplitude21", "heavy"} {
		b, err := os.ReadFile(filepath.Join("testdata", "bench", name+".mapping.json"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Compile(b)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	big := `{"x":{"@arrayPath":[{"@literal":{`
	for i := 0; i < 40; i++ {
		big += fmt.Sprintf(`"k%d":%d,`, i, i)
	}
	big += `"last":{"@path":"$.event"}}},{"v":{"@path":"$.k39"},"l":{"@liquid":"{{ k1 | plus: 1 }}"}}]}}`
	m, err := Compile([]byte(big))
	if err != nil {
		t.Fatal(err)
	}
	ms = append(ms, m)
	want := make([]string, len(ms))
	for i, m := range ms {
		ev := fastjson.MustParseBytes(event)
		out, err := m.AppendJSON(nil, ev)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = string(out)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			var p fastjson.Parser
			for n := 0; n < 50; n++ {
				for i, m := range ms {
					ev, _ := p.ParseBytes(event)
					out, err := m.AppendJSON(nil, ev)
					if err == nil && string(out) != want[i] {
						err = fmt.Errorf("mapping %d: %s", i, out)
					}
					if err != nil {
						done <- err
						return
					}
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

func TestLiquidBadInputsFailCleanly(t *testing.T) {
	for _, src := range []string{
		`{{ "abc" | plus: "x" }}`, `{{ x | date: 5 }}`, `{{ a | slice: "q" }}`, `{{ 1 | truncate: "z" }}`,
		`{% if %}x{% endif %}`, `{% assign %}`, `{% endif %}`, `{{ a | split }}`, `{{ | }}`, `{% cycle %}`,
		`{% increment %}`, `{% echo | %}`, `{{ a.b.c[0]["x"] | first | last | size }}`, `{% capture %}x{% endcapture %}`,
	} {
		m := `{"a":{"@liquid":` + jsonString(src) + `}}`
		if _, err := render(t, m, `{"a":[1,2],"x":"2024-01-01"}`); err != nil {
			t.Logf("%s: %v", src, err)
		}
	}
}
