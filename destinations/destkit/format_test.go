package destkit

import (
	"errors"
	"strings"
	"testing"
)

func TestValidFormat(t *testing.T) {
	for i, tc := range []struct {
		format, value string
		want          bool
	}{
		{"email", "ada@example.com", true},
		{"email", "Ada.O'Neil+news@mail.Example.co.uk", true},
		{"email", "a@b", false}, // one label only
		{"email", "ada@example.com.", false},
		{"email", ".ada@example.com", false},
		{"email", "ada..l@example.com", false},
		{"email", "ada@-example.com", false},
		{"email", "ada@exa_mple.com", false},
		{"email", "ada@@example.com", false},
		{"email", "adá@example.com", false},
		{"email", "not an email", false},

		{"uri", "https://example.com/hook?x=1#top", true},
		{"uri", "https://user:pw@[2001:db8::1]:8443/a/b", true},
		{"uri", "mailto:ada@example.com", true},
		{"uri", "urn:isbn:0451450523", true},
		{"uri", "http://host:port", true}, // authority "" then path "/host:port"
		{"uri", "https://exa mple.com", false},
		{"uri", "https://example.com/%zz", false},
		{"uri", "not a url", false},
		{"uri", "/relative/path", false},
		{"uri", "1http://example.com", false},
		{"uri", "https:", false},
		{"uri-reference", "/relative/path?q", true},
		{"uri-reference", "", true},
		{"uri-reference", "../a", true},
		{"uri-reference", "with space", false},

		{"date-time", "2024-05-01T10:00:00.000Z", true},
		{"date-time", "2024-05-01t10:00:00+02:00", true},
		{"date-time", "2024-05-01 10:00:00-0530", true},
		{"date-time", "2024-05-01T10:00:00", true}, // ajv-formats 2.1 quirk
		{"date-time", "2024-12-31T23:59:60Z", true},
		{"date-time", "2024-02-30T10:00:00Z", false},
		{"date-time", "2024-05-01T24:00:00Z", false},
		{"date-time", "2024-05-01", false},
		{"date-time", "2024-05-01T10:00Z", false},
		{"date-time", "2024-05-01TT10:00:00Z", false},
		{"date-time", "1714557600", false},
		{"date", "2024-02-29", true},
		{"date", "2023-02-29", false},
		{"date", "1900-02-29", false},
		{"date", "2000-02-29", true},
		{"date", "2024-13-01", false},
		{"date", "2024-5-01", false},
		{"time", "10:00:00.5+01", true},
		{"time", "10:00", false},

		{"hostname", "api.example.com", true},
		{"hostname", "api.example.com.", true},
		{"hostname", "localhost", true},
		{"hostname", "-bad.example.com", false},
		{"hostname", "under_score.example.com", false},
		{"hostname", strings.Repeat("a", 64) + ".com", false},
		{"hostname", "a..b", false},
		{"ipv4", "192.168.0.1", true},
		{"ipv4", "010.0.0.255", true},
		{"ipv4", "256.0.0.1", false},
		{"ipv4", "1.2.3", false},
		{"ipv4", "1.2.3.4.5", false},
		{"ipv4", "1.2.3.0400", false},
		{"ipv6", "2001:db8::1", true},
		{"ipv6", "::ffff:192.0.2.1", true},
		{"ipv6", "fe80::1%eth0", false},
		{"ipv6", "1.2.3.4", false},
		{"uuid", "123e4567-e89b-12d3-a456-426614174000", true},
		{"uuid", "URN:UUID:123E4567-E89B-12D3-A456-426614174000", true},
		{"uuid", "123e4567e89b12d3a456426614174000", false},
		{"uuid", "123e4567-e89b-12d3-a456-42661417400g", false},

		{"text", "anything", true},
		{"made-up", "anything", true},
	} {
		if got := ValidFormat(tc.format, []byte(tc.value)); got != tc.want {
			t.Errorf("%d: %s %q = %v, want %v", i, tc.format, tc.value, got, tc.want)
		}
	}
}

var formatAction = &Action{Key: "f", Fields: []Field{
	{Key: "url", Label: "URL", Type: String, Format: "uri"},
	{Key: "email", Label: "Email", Type: String, Format: "email"},
	{Key: "at", Label: "At", Type: String, Format: "date-time"},
	{Key: "id", Label: "ID", Type: String, Format: "uuid"},
	{Key: "day", Label: "Day", Type: String, Format: "date"},
	{Key: "host", Label: "Host", Type: String, Format: "hostname"},
	{Key: "ip", Label: "IP", Type: String, Format: "ipv4"},
	{Key: "note", Label: "Note", Type: Text, Format: "email"},
	{Key: "emails", Label: "Emails", Type: String, Format: "email", Multiple: true},
	{Key: "obj", Label: "Obj", Type: Object, Properties: []Field{
		{Key: "email", Label: "Inner Email", Type: String, Format: "email"},
	}},
}}

func TestValidateFormatErrors(t *testing.T) {
	for i, tc := range []struct{ in, field, msg string }{
		{`{"url":"not a url"}`, "url", "URL must be a valid URI string but it was not."},
		{`{"email":"ada@"}`, "email", "Email must be a valid email address string but it was not."},
		{`{"at":"yesterday"}`, "at", "At must be a valid date and time string but it was not."},
		{`{"id":"42"}`, "id", "ID must be a valid uuid string but it was not."},
		{`{"day":"2024-02-30"}`, "day", "Day must be a valid date string but it was not."},
		{`{"host":"a b"}`, "host", "Host must be a valid hostname string but it was not."},
		{`{"ip":"1.2.3.4.5"}`, "ip", "IP must be a valid IPv4 address string but it was not."},
		// Coerced values are checked as the string they become.
		{`{"ip":1.5}`, "ip", "IP must be a valid IPv4 address string but it was not."},
		{`{"emails":["a@example.com","b"]}`, "emails[1]", "Emails must be a valid email address string but it was not."},
		{`{"obj":{"email":"x"}}`, "obj.email", "Inner Email must be a valid email address string but it was not."},
	} {
		_, err := formatAction.Validate([]byte(tc.in))
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

func TestValidateFormatAccepts(t *testing.T) {
	// Text fields keep any content; empty strings are dropped before the
	// format is looked at.
	in := `{"url":"https://example.com/h","email":"","note":"not an email","emails":["a@example.com"],` +
		`"at":"2024-05-01T10:00:00Z","id":"123e4567-e89b-12d3-a456-426614174000","day":"2024-05-01",` +
		`"host":"example.com","ip":"10.0.0.1","obj":{"email":"b@example.com"}}`
	got, err := formatAction.Validate([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"url":"https://example.com/h","note":"not an email","emails":["a@example.com"],` +
		`"at":"2024-05-01T10:00:00Z","id":"123e4567-e89b-12d3-a456-426614174000","day":"2024-05-01",` +
		`"host":"example.com","ip":"10.0.0.1","obj":{"email":"b@example.com"}}`
	if string(got) != want {
		t.Fatalf("got %s", got)
	}
}

// The format checks add no allocation to validating a valid payload: the
// same payload costs as much with the formats as without them.
func TestValidateFormatAllocationFree(t *testing.T) {
	in := []byte(`{"url":"https://user@example.com:8443/a/b?x=1#f","email":"ada@example.com",` +
		`"at":"2024-05-01T10:00:00.000Z","id":"123e4567-e89b-12d3-a456-426614174000","day":"2024-05-01",` +
		`"host":"api.example.com","ip":"10.0.0.1"}`)
	plain := &Action{Key: "p", Fields: make([]Field, len(formatAction.Fields))}
	copy(plain.Fields, formatAction.Fields)
	for i := range plain.Fields {
		plain.Fields[i].Format = ""
	}
	dst := make([]byte, 0, 1024)
	allocs := func(a *Action) float64 {
		a.AppendValidated(dst, in) // warm the parser pool
		return testing.AllocsPerRun(200, func() {
			if _, err := a.AppendValidated(dst[:0], in); err != nil {
				t.Fatal(err)
			}
		})
	}
	if with, without := allocs(formatAction), allocs(plain); with != without {
		t.Fatalf("%v allocations with formats, %v without", with, without)
	}
}

func BenchmarkValidFormat(b *testing.B) {
	vals := [][2]string{{"uri", "https://user@example.com:8443/a/b?x=1#f"}, {"email", "ada.lovelace@example.com"},
		{"date-time", "2024-05-01T10:00:00.000Z"}, {"uuid", "123e4567-e89b-12d3-a456-426614174000"}}
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vals {
			if !ValidFormat(v[0], []byte(v[1])) {
				b.Fatal(v)
			}
		}
	}
}
