package liverampaudiences

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/actuate/actuate/destinations/filekit/filekittest"
	"github.com/valyala/fastjson"
	"golang.org/x/crypto/ssh"
)

// Known digests, by Python's hashlib:
//
//	sha256("jane.doe@example.com") = 86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d
//	sha1("5551234567")             = b8e04c986aa87857dfb4d364371d1a4195abf1bb
//	sha256("94107")                = c884a209ebe08750a7d13db63bd02233b375bd79786cbe329ab11586cc35dead
//	sha256("user1@example.com")    = b36a83701f1c3191e19722d6f90274bc1b5501fe69ebf33313e440fe4b0fe210
func TestFileFormatAndHashing(t *testing.T) {
	in := &destkit.BatchInput{Payloads: []*fastjson.Value{
		fastjson.MustParse(`{"audience_key":"u-1","delimiter":",","filename":"a.csv",
			"unhashed_identifier_data":{"email":"  Jane.Doe@Example.COM ","phone_number":"+1 (555) 123-4567","zip":"94107"},
			"identifier_data":{"first_name":"Jane \"JD\"","age":42,"email":"not written: the hashed one wins"}}`),
		fastjson.MustParse(`{"audience_key":"u\"2","delimiter":",","filename":"a.csv",
			"unhashed_identifier_data":{"email":"b36a83701f1c3191e19722d6f90274bc1b5501fe69ebf33313e440fe4b0fe210","phone_number":""},
			"identifier_data":{"tags":["a","b"],"vip":true,"extra":{"x":1}}}`),
	}}
	got, err := file(in)
	if err != nil {
		t.Fatal(err)
	}
	want := "audience_key,age,email,extra,first_name,phone_number,tags,vip,zip\n" +
		`"u-1","42","86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d",,"Jane ""JD""","b8e04c986aa87857dfb4d364371d1a4195abf1bb",,,"c884a209ebe08750a7d13db63bd02233b375bd79786cbe329ab11586cc35dead"` + "\n" +
		`"u""2",,"b36a83701f1c3191e19722d6f90274bc1b5501fe69ebf33313e440fe4b0fe210","[object Object]",,"",` + `"a,b","true",`
	if string(got) != want {
		t.Fatalf("file\n got %q\nwant %q", got, want)
	}
}

func isValidation(err error, field string) bool {
	var pv *destkit.PayloadValidationError
	return errors.As(err, &pv) && pv.Field == field
}

// audienceEvents are n "Audience Entered" events of one audience, as Engage sends them.
func audienceEvents(n int) []string {
	evs := make([]string, n)
	for i := range evs {
		evs[i] = fmt.Sprintf(`{"type":"track","event":"Audience Entered","userId":"user-%03d","messageId":"m-%d",`+
			`"timestamp":"2026-12-04T07:00:00.000Z","properties":{"audience_key":"high_value","email":"User%d@Example.com","first_name":"Ann"},`+
			`"context":{"personas":{"computation_key":"high_value","computation_class":"audience"}}}`, i, i, i)
	}
	return evs
}

// extras map the identifiers besides each action's defaults and the user's settings.
const identifiers = `"unhashed_identifier_data":{"email":{"@path":"$.properties.email"}},"identifier_data":{"first_name":{"@path":"$.properties.first_name"}}`

// wantFile is the file of audienceEvents(n).
func wantFile(n int) string {
	var b strings.Builder
	b.WriteString("audience_key,email,first_name\n")
	for i := range n {
		sum := sha256.Sum256([]byte(fmt.Sprintf("user%d@example.com", i)))
		fmt.Fprintf(&b, `"user-%03d","%x","Ann"`, i, sum)
		if i < n-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func render(t *testing.T, a *destkit.Action, extra string, events []string) [][]byte {
	t.Helper()
	m := string(a.DefaultMapping())
	m = m[:len(m)-1] + "," + extra + "}"
	out := make([][]byte, len(events))
	for i, ev := range events {
		out[i] = desttest.Render(t, Definition, a.Key, destkit.JSON(m), ev)
	}
	return out
}

const s3Extra = `"s3_aws_access_key":"` + filekittest.AccessKeyID + `","s3_aws_secret_key":"` + filekittest.SecretAccessKey +
	`","s3_aws_bucket_name":"acme-liveramp","s3_aws_region":"us-west-2","s3_aws_bucket_path":"/segment/audiences/",` + identifiers

func TestAudienceEnteredS3(t *testing.T) {
	now = func() time.Time { return time.Date(2026, 12, 4, 7, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = time.Now })
	payloads := render(t, AudienceEnteredS3, s3Extra, audienceEvents(30))
	inst := desttest.Instance(t, Definition, nil)
	want := wantFile(30)
	key := "segment/audiences/high_value_" + filekittest.Digest(want) + ".csv"

	// The request, exactly.
	in := &destkit.BatchInput{Settings: inst.Settings}
	for _, p := range payloads {
		in.Payloads = append(in.Payloads, fastjson.MustParseBytes(p))
	}
	reqs, err := AudienceEnteredS3.PerformBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	r := reqs[0]
	if len(reqs) != 1 || r.Method != "PUT" || r.URL != "https://acme-liveramp.s3.us-west-2.amazonaws.com/"+key || string(r.Body) != want {
		t.Fatalf("got %d requests: %s %s\n%s", len(reqs), r.Method, r.URL, r.Body)
	}
	if r.Header.Get("Content-Type") != "text/csv" || r.Header.Get("X-Amz-Date") != "20261204T070000Z" ||
		!strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+filekittest.AccessKeyID+"/20261204/us-west-2/s3/aws4_request") {
		t.Fatalf("headers %v", r.Header)
	}

	// Through the client to an S3 server that checks signatures: refused once, then the
	// retry; and the same batch again (its answer lost) replaces the file.
	now = time.Now
	s3 := filekittest.NewS3(t, "us-west-2", "acme-liveramp")
	s3.RefuseNext(503)
	for i, err := range s3.Client().SendBatch(context.Background(), inst, AudienceEnteredS3, payloads) {
		if destkit.Classify(err).Outcome != destkit.Retry {
			t.Fatalf("refused, payload %d: %v", i, err)
		}
	}
	if keys := s3.Objects(t, "acme-liveramp"); len(keys) != 0 {
		t.Fatalf("a refused upload left %q", keys)
	}
	for range 2 {
		for _, err := range s3.Client().SendBatch(context.Background(), inst, AudienceEnteredS3, payloads) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if keys := s3.Objects(t, "acme-liveramp"); !slices.Equal(keys, []string{key}) {
		t.Fatalf("objects %q", keys)
	}
	if got, ct := s3.Object(t, "acme-liveramp", key); string(got) != want || ct != "text/csv" {
		t.Fatalf("object (%s)\n%s", ct, got)
	}
}

func TestAudienceEnteredS3Refusals(t *testing.T) {
	inst := desttest.Instance(t, Definition, nil)
	check := func(name, extra string, n int, field string) {
		t.Helper()
		payloads := render(t, AudienceEnteredS3, extra, audienceEvents(n))
		in := &destkit.BatchInput{Settings: inst.Settings}
		for _, p := range payloads {
			in.Payloads = append(in.Payloads, fastjson.MustParseBytes(p))
		}
		if _, err := AudienceEnteredS3.PerformBatch(in); !isValidation(err, field) {
			t.Errorf("%s: %v", name, err)
		}
	}
	check("24 rows", s3Extra, 24, "")
	check("bucket with a path", strings.Replace(s3Extra, `"acme-liveramp"`, `"acme-liveramp/x"`, 1), 25, "s3_aws_bucket_name")
	check("path with a brace", strings.Replace(s3Extra, `"/segment/audiences/"`, `"a{b}"`, 1), 25, "s3_aws_bucket_path")
	check("no secret", strings.Replace(s3Extra, `"`+filekittest.SecretAccessKey+`"`, `""`, 1), 25, "s3_aws_secret_key")
	// One event alone never makes a file LiveRamp takes.
	p := render(t, AudienceEnteredS3, s3Extra, audienceEvents(1))[0]
	if _, err := desttest.Perform(AudienceEnteredS3, inst, p); !isValidation(err, "") {
		t.Errorf("one event: %v", err)
	}
	desttest.RefusesEmpty(t, Definition, nil, AudienceEnteredS3)
	// A wrong secret: S3 refuses the signature, which is final.
	s3 := filekittest.NewS3(t, "us-west-2", "acme-liveramp")
	bad := render(t, AudienceEnteredS3, strings.Replace(s3Extra, filekittest.SecretAccessKey, "wrong-secret-0000", 1), audienceEvents(25))
	for _, err := range s3.Client().SendBatch(context.Background(), inst, AudienceEnteredS3, bad) {
		if destkit.Classify(err).Outcome != destkit.Fail || strings.Contains(err.Error(), "wrong-secret-0000") {
			t.Fatalf("wrong secret: %v", err)
		}
	}
}

func TestAudienceEnteredSFTP(t *testing.T) {
	srv := filekittest.StartSSHD(t)
	proxy := filekittest.NewCutProxy(t, srv.Addr)
	sftpServer, sftpHostKey = proxy.Addr(), ssh.FixedHostKey(srv.HostKey)
	t.Cleanup(func() { sftpServer, sftpHostKey = "files.liveramp.com:22", nil })
	inst := desttest.Instance(t, Definition, nil)
	extra := `"sftp_username":"` + srv.User + `","sftp_password":"` + srv.Password + `",` + identifiers
	events := audienceEvents(3000)
	payloads := render(t, AudienceEnteredSFTP, extra, events)
	want := wantFile(len(events))
	name := "high_value_PII_" + filekittest.Digest(want) + ".csv"

	// The connection dropped half way through the file: retried, and nothing complete-looking
	// is left; then the retry, and the same batch once more.
	proxy.CutAfter(int64(len(want) / 2))
	for i, err := range desttest.NewServer(t).Client().SendBatch(context.Background(), inst, AudienceEnteredSFTP, payloads) {
		if destkit.Classify(err).Outcome != destkit.Retry {
			t.Fatalf("cut, payload %d: %v", i, err)
		}
	}
	if files := srv.Files(t, "uploads"); slices.Contains(files, name) {
		t.Fatalf("a cut upload left %q", files)
	}
	proxy.CutAfter(0)
	for range 2 {
		for _, err := range desttest.NewServer(t).Client().SendBatch(context.Background(), inst, AudienceEnteredSFTP, payloads) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if files := srv.Files(t, "uploads"); !slices.Equal(files, []string{name}) {
		t.Fatalf("files %q, want only %s", files, name)
	}
	if got := srv.ReadFile(t, "uploads/"+name); string(got) != want {
		t.Fatal("the file is not the batch's")
	}

	// Refusals: a wrong password (final, and never in the error), a folder that does not
	// exist (names the field), too few rows, a file name with a folder in it.
	small := audienceEvents(25)
	for _, tc := range []struct {
		name, extra string
		want        func(error) bool
	}{
		{"wrong password", `"sftp_username":"` + srv.User + `","sftp_password":"not-the-password-1"`, func(err error) bool {
			var ae *destkit.AuthError
			return errors.As(err, &ae) && !strings.Contains(err.Error(), "not-the-password-1")
		}},
		{"missing folder", extra + `,"sftp_folder_path":"/uploads/nowhere"`, func(err error) bool { return isValidation(err, "sftp_folder_path") }},
		{"folder in the file name", extra + `,"filename":"x/y.csv"`, func(err error) bool { return isValidation(err, "filename") }},
		{"no password", `"sftp_username":"` + srv.User + `"`, func(err error) bool { return isValidation(err, "sftp_password") }},
	} {
		for _, err := range desttest.NewServer(t).Client().SendBatch(context.Background(), inst, AudienceEnteredSFTP, render(t, AudienceEnteredSFTP, tc.extra, small)) {
			if !tc.want(err) || destkit.Classify(err).Outcome != destkit.Fail {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
	}
	err := desttest.NewServer(t).Client().Send(context.Background(), inst, AudienceEnteredSFTP, render(t, AudienceEnteredSFTP, extra, small[:1])[0])
	if !isValidation(err, "") {
		t.Errorf("one event: %v", err)
	}
}
