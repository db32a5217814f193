package destkit

import (
	"strings"
	"testing"
)

var sftpAction = &Action{Key: "upload", Fields: []Field{
	{Key: "host", Type: String},
	{Key: "password", Type: Password, Secret: true},
	{Key: "key", Type: Password, Secret: true},
}}

// A mapping's secret literals are listed for masking; values it reads from events are not.
func TestMappingSecrets(t *testing.T) {
	got := MappingSecrets(sftpAction, []byte(`{"host":"sftp.example.com","password":"hunter2-long","key":{"@path":"$.properties.key"}}`))
	if len(got) != 1 || got[0] != "hunter2-long" {
		t.Errorf("secrets %q, want the password literal only", got)
	}
	if got := MappingSecrets(&Action{Fields: []Field{{Key: "host"}}}, []byte(`{"host":"h"}`)); got != nil {
		t.Errorf("an action without secret fields lists %q", got)
	}
	m := NewMasker(MappingSecrets(sftpAction, []byte(`{"password":"hunter2-long"}`))...)
	if out := m.Mask(`{"sftp_password":"hunter2-long"}`); strings.Contains(out, "hunter2") {
		t.Errorf("masked: %s", out)
	}
}

// Transforming secret literals keeps the mapping's key order and every other value
// byte for byte (numbers as written), and leaves a mapping without them untouched.
func TestTransformSecretLiterals(t *testing.T) {
	in := []byte(`{"password":"hunter2-long","host":"sftp.example.com","n":1.50,"key":{"@path":"$.k"}}`)
	out, err := TransformSecretLiterals(sftpAction, in, func(field, v string) (string, error) { return "<" + field + ":" + v + ">", nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"password":"<password:hunter2-long>","host":"sftp.example.com","n":1.50,"key":{"@path":"$.k"}}`; string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	plain := []byte(`{"host":"h"}`)
	if out, _ := TransformSecretLiterals(sftpAction, plain, func(string, string) (string, error) { return "x", nil }); &out[0] != &plain[0] {
		t.Errorf("a mapping without secret literals was rewritten: %s", out)
	}
}
