package event

import (
	"fmt"
	"strings"
	"testing"

	"github.com/valyala/fastjson"
)

var fastjsonValidate = fastjson.Validate

// sampleTrack is compact, as SDKs send events.
const sampleTrack = `{"type":"track","event":"Order Completed","userId":"u1","anonymousId":"a1","messageId":"m1",` +
	`"timestamp":"2024-01-02T03:04:05.000Z","receivedAt":"2024-01-02T03:04:06.000Z",` +
	`"context":{"page":{"url":"https://example.com/cart","title":"Cart"},"ip":"8.8.8.8","library":{"name":"analytics.js","version":"2.11.1"}},` +
	`"properties":{"order_id":"o-1","revenue":42.5,"products":[{"sku":"A","price":10},{"sku":"B","price":32.5}],"coupon":null}}`

func TestDecodeAccepts(t *testing.T) {
	d := NewSpecDecoder(Limits{})
	v, err := d.Decode([]byte(sampleTrack))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got := string(v.GetStringBytes("properties", "products", "1", "sku")); got != "B" {
		t.Fatalf("products[1].sku = %q, want B", got)
	}
}

func TestDecodeRejects(t *testing.T) {
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	cases := []struct {
		name, input, field, reason string
		spec                       bool
	}{
		{"malformed", `{"type":"track",`, "", "malformed JSON", false},
		{"not an object", `[1,2]`, "", "must be a JSON object, got array", false},
		{"invalid utf-8", "{\"a\":\"\xff\"}", "", "not valid UTF-8 at byte 6", false},
		{"deep nesting", `{"a":` + deep + `}`, "", "nesting deeper than 64 levels", false},
		{"NaN", `{"a":NaN}`, "a", "not a JSON number: NaN", false},
		{"Infinity", `{"a":-Infinity}`, "", "malformed JSON", false},
		{"leading zero", `{"a":01}`, "a", "not a JSON number: 01", false},
		{"overflow", `{"p":{"n":[1,1e999]}}`, "p.n[1]", "number out of range", false},
		{"overflow, capital exponent", `{"p":-2.5E+400}`, "p", "number out of range", false},
		{"duplicate key", `{"p":{"a":1,"b":2,"a":3}}`, "p.a", "duplicate key", false},
		{"control char in key", "{\"a\x01\":1}", "", "malformed JSON", false},
		{"raw newline in string", "{\"a\":\"x\ny\"}", "", "malformed JSON", false},
		{"invalid escape", `{"a":"\q"}`, "", "malformed JSON", false},
		{"short unicode escape", `{"a":"\u12"}`, "", "malformed JSON", false},
		{"nan", `{"a":nan}`, "a", "not a JSON number: nan", false},
		{"plus sign", `{"a":+1}`, "a", "not a JSON number: +1", false},
		{"fraction without digits", `{"a":[1.]}`, "a[0]", "not a JSON number: 1.", false},
		{"moderately deep", `{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, "a" + strings.Repeat("[0]", 63), "nesting deeper than 64 levels", false},
		{"trailing garbage", `{"a":1} x`, "", "malformed JSON", false},
		{"missing type", `{"event":"x"}`, "type", "missing", true},
		{"unknown type", `{"type":"bogus"}`, "type", "must be one of", true},
		{"type not string", `{"type":7}`, "type", "must be one of", true},
		{"properties not object", `{"type":"track","event":"e","properties":[1]}`, "properties", "must be an object, got array", true},
		{"event not string", `{"type":"track","event":5}`, "event", "must be a string, got number", true},
		{"userId object", `{"type":"identify","userId":{}}`, "userId", "must be a string, got object", true},
		{"track without name", `{"type":"track"}`, "event", "non-empty event name", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDecoder(Limits{})
			if tc.spec {
				d = NewSpecDecoder(Limits{})
			}
			_, err := d.Decode([]byte(tc.input))
			if err == nil {
				t.Fatalf("Decode(%q) succeeded, want error", tc.input)
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			if e.Field != tc.field || !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("got field %q reason %q, want field %q reason containing %q", e.Field, e.Reason, tc.field, tc.reason)
			}
		})
	}
}

func TestDecodeAcceptsWhatJSONAllows(t *testing.T) {
	for _, s := range []string{
		`{"a":-0.5e+10,"b":0,"c":1E2,"d":-0}`,
		"{\n\t\"a\": \"line\\nbreak \\u00e9 \\\" \\/ \\\\\"\r\n}",
		`{"emoji":"😀","k\u00e9y":true}`,
	} {
		if _, err := NewDecoder(Limits{}).Decode([]byte(s)); err != nil {
			t.Errorf("Decode(%q): %v", s, err)
		}
	}
}

func TestPlainBytesMatchesValidator(t *testing.T) {
	// Whenever the fast scan says the bytes are plain, the parser alone must agree with
	// the strict validator; the fuzz target explores the rest.
	for _, s := range []string{sampleTrack, `{"a":"\u00zz"}`, `{"a":"\/"}`, "{\"a\":\"\x1f\"}"} {
		plain := plainBytes([]byte(s))
		if plain && fastjsonValidate(s) != nil {
			t.Errorf("plainBytes(%q) = true but the validator rejects it", s)
		}
	}
}

func TestPlainBytesFindsControlBytesAnywhere(t *testing.T) {
	base := []byte(strings.Repeat("a", 80))
	for i := range base {
		for _, c := range []byte{0x00, 0x01, 0x0a, 0x1f} {
			b := append([]byte(nil), base...)
			b[i] = c
			if plainBytes(b) {
				t.Fatalf("control byte %#x at %d not found", c, i)
			}
		}
	}
	if !plainBytes(base) || !plainBytes([]byte(" \x7f\u00e9\xff")) {
		t.Fatal("plain bytes taken for control bytes")
	}
}

func TestDecodeManyKeysIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"track","event":"e","properties":{`)
	for i := range 40000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	b.WriteString(`}}`)
	d := NewSpecDecoder(Limits{MaxBytes: 1 << 20})
	if _, err := d.Decode([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	dup := strings.Replace(b.String(), `"k39999"`, `"k7"`, 1)
	if _, err := d.Decode([]byte(dup)); err == nil || !strings.Contains(err.Error(), "properties.k7: duplicate key") {
		t.Fatalf("got %v, want the duplicate named", err)
	}
}

func TestDecodeSizeLimit(t *testing.T) {
	big := `{"a":"` + strings.Repeat("x", 1<<20) + `"}`
	_, err := NewDecoder(Limits{}).Decode([]byte(big))
	if err == nil || !strings.Contains(err.Error(), "over the limit of 524288") {
		t.Fatalf("1 MiB event: got %v, want size error", err)
	}
	if _, err := NewDecoder(Limits{MaxBytes: 2 << 20}).Decode([]byte(big)); err != nil {
		t.Fatalf("1 MiB event under a 2 MiB limit: %v", err)
	}
}

func TestDecodeAllocatesNothingOnSuccess(t *testing.T) {
	d := NewSpecDecoder(Limits{})
	data := []byte(sampleTrack)
	if _, err := d.Decode(data); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = d.Decode(data) }); n != 0 {
		t.Fatalf("Decode allocates %.0f times per event, want 0", n)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{sampleTrack, `{}`, `{"a":[{"b":null}]}`, `{"a":1,"a":2}`, `[`, "{\"\xff\":1}", `{"type":"page","properties":{"x":1e308}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewSpecDecoder(Limits{MaxBytes: 1 << 16})
		v, err := d.Decode(data)
		if err == nil && v == nil {
			t.Fatal("nil value without an error")
		}
		// Anything we accept must be JSON by the strict validator's standard.
		if err == nil && fastjsonValidate(string(data)) != nil {
			t.Fatalf("accepted %q, which the strict validator rejects: %v", data, fastjsonValidate(string(data)))
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T, want *Error", err)
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	d := NewSpecDecoder(Limits{})
	data := []byte(sampleTrack)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestUserKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"userId":"u1","anonymousId":"a1"}`, "u1"},
		{`{"userId":"","anonymousId":"a1"}`, "a1"},
		{`{"userId":null,"anonymousId":"a1"}`, "a1"},
		{`{"userId":42}`, "42"},
		{`{"event":"x"}`, ""},
	} {
		v, err := NewDecoder(Limits{}).Decode([]byte(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(UserKey(v)); got != tc.want {
			t.Errorf("UserKey(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
