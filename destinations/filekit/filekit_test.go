package filekit_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/filekit"
	"github.com/actuate/actuate/destinations/filekit/filekittest"
)

func TestNameIsTheContentsDigest(t *testing.T) {
	// SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
	for base, want := range map[string]string{
		"audience.csv":        "audience_ba7816bf8f01cfea.csv",
		"dir.v2/audience":     "dir.v2/audience_ba7816bf8f01cfea",
		"report.tar.gz":       "report.tar_ba7816bf8f01cfea.gz",
		".csv":                ".csv_ba7816bf8f01cfea",
		"high value_PII.csv":  "high value_PII_ba7816bf8f01cfea.csv",
		"no-extension-at-all": "no-extension-at-all_ba7816bf8f01cfea",
	} {
		if got := filekit.Name(base, []byte("abc")); got != want {
			t.Errorf("Name(%q) = %q, want %q", base, got, want)
		}
	}
	if filekit.Name("a.csv", []byte("abc")) == filekit.Name("a.csv", []byte("abd")) {
		t.Fatal("different contents share a name")
	}
}

// The test server's verifier against AWS's own published example (Signature Version 4,
// "Example: PUT Object"), so that it can be trusted to judge the signer.
func TestVerifierAgainstAWSExample(t *testing.T) {
	if got := hex.EncodeToString(filekittest.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")); got != "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d" {
		t.Fatalf("signing key %s", got)
	}
	r := httptest.NewRequest("PUT", "https://examplebucket.s3.amazonaws.com/test%24file.text", strings.NewReader("Welcome to Amazon S3."))
	r.Header.Set("Date", "Fri, 24 May 2013 00:00:00 GMT")
	r.Header.Set("X-Amz-Date", "20130524T000000Z")
	r.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	r.Header.Set("X-Amz-Content-Sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"+
		"SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"+
		"Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
	keys := map[string]string{"AKIAIOSFODNN7EXAMPLE": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	if err := filekittest.VerifySigV4(r, keys); err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-Amz-Storage-Class", "STANDARD")
	if err := filekittest.VerifySigV4(r, keys); err == nil {
		t.Fatal("a changed signed header verified")
	}
}

var at = time.Date(2026, 12, 4, 7, 30, 0, 0, time.UTC)

func object(body string) *filekit.S3Object {
	return &filekit.S3Object{
		Bucket: "actuate-files", Region: "eu-west-1", Key: "segment/high value+vip_PII.csv",
		AccessKeyID: filekittest.AccessKeyID, SecretAccessKey: filekittest.SecretAccessKey,
		ContentType: "text/csv", Body: []byte(body),
	}
}

func TestS3ObjectRequest(t *testing.T) {
	body := "audience_key\n\"u1\""
	r, err := object(body).Request(at)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	if r.Method != "PUT" || r.URL != "https://actuate-files.s3.eu-west-1.amazonaws.com/segment/high%20value%2Bvip_PII.csv" || string(r.Body) != body {
		t.Fatalf("got %s %s %q", r.Method, r.URL, r.Body)
	}
	for k, v := range map[string]string{
		"Content-Type": "text/csv", "X-Amz-Date": "20261204T073000Z", "X-Amz-Content-Sha256": hex.EncodeToString(sum[:]),
		"Content-Md5": "guOYzrpMutzk2HAmsdOwhg==", /* base64 MD5, by Python's hashlib */
	} {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDACTUATETEST/20261204/eu-west-1/s3/aws4_request, "+
		"SignedHeaders=content-length;content-md5;content-type;host;x-amz-content-sha256;x-amz-date, Signature=") {
		t.Fatalf("authorization %q", auth)
	}
	if strings.Contains(auth, filekittest.SecretAccessKey) {
		t.Fatal("the secret is in the request")
	}
	hr := httptest.NewRequest(r.Method, r.URL, bytes.NewReader(r.Body))
	for k, v := range r.Header {
		hr.Header[k] = v
	}
	if err := filekittest.VerifySigV4(hr, map[string]string{filekittest.AccessKeyID: filekittest.SecretAccessKey}); err != nil {
		t.Fatal(err)
	}
}

// doer is a destkit Doer for a destination with no credentials of its own, as the
// destinations' clients send the S3 requests they build.
func doer(t *testing.T, cl *destkit.Client) destkit.Doer {
	t.Helper()
	def := &destkit.Definition{Slug: "filekit-test", Auth: destkit.AuthNone}
	inst, err := destkit.NewInstance("filekit-test", def, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := cl.Doer(context.Background(), inst)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// put builds the object's request now and sends it.
func put(t *testing.T, d destkit.Doer, o *filekit.S3Object) error {
	t.Helper()
	r, err := o.Request(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Do(context.Background(), &r)
	return err
}

// csvOf is a file of n rows, large enough to be cut in the middle.
func csvOf(n int) string {
	var b strings.Builder
	b.WriteString("audience_key,email\n")
	for i := range n {
		fmt.Fprintf(&b, "\"user-%06d\",\"%x\"\n", i, sha256.Sum256([]byte(fmt.Sprint(i))))
	}
	return b.String()
}

func TestS3UploadLandsTheCompleteFile(t *testing.T) {
	s3 := filekittest.NewS3(t, "eu-west-1", "actuate-files")
	body := csvOf(100)
	if err := put(t, doer(t, s3.Client()), object(body)); err != nil {
		t.Fatal(err)
	}
	if keys := s3.Objects(t, "actuate-files"); !slices.Equal(keys, []string{"segment/high value+vip_PII.csv"}) {
		t.Fatalf("objects %q", keys)
	}
	got, ct := s3.Object(t, "actuate-files", "segment/high value+vip_PII.csv")
	if string(got) != body || ct != "text/csv" {
		t.Fatalf("object %q (%s)", got, ct)
	}
}

func TestS3RefusedCredentialsFail(t *testing.T) {
	s3 := filekittest.NewS3(t, "eu-west-1", "actuate-files")
	o := object("x")
	o.SecretAccessKey = "not-the-secret"
	err := put(t, doer(t, s3.Client()), o)
	if v := destkit.Classify(err); v.Outcome != destkit.Fail || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("%v: %v", v.Outcome, err)
	}
	if strings.Contains(err.Error(), "not-the-secret") {
		t.Fatal("the secret is in the error")
	}
	if keys := s3.Objects(t, "actuate-files"); len(keys) != 0 {
		t.Fatalf("objects %q", keys)
	}
}

// S3 refusing once (503 SlowDown), then the retry: exactly one complete object.
func TestS3RetryAfterRefusalLeavesOneFile(t *testing.T) {
	s3 := filekittest.NewS3(t, "eu-west-1", "actuate-files")
	s3.RefuseNext(503)
	retryLeavesOneObject(t, s3, csvOf(50), nil)
}

// The connection dropped in the middle of the body, then the retry: no partial object in
// between, exactly one complete object after.
func TestS3RetryAfterDroppedConnectionLeavesOneFile(t *testing.T) {
	s3 := filekittest.NewS3(t, "eu-west-1", "actuate-files")
	proxy := filekittest.NewCutProxy(t, s3.Addr())
	s3.Via(proxy.Addr())
	body := csvOf(2000) // about 190 KB
	proxy.CutAfter(int64(len(body) / 2))
	retryLeavesOneObject(t, s3, body, func() {
		if proxy.Cuts() != 1 {
			t.Fatalf("%d cuts, want the upload cut", proxy.Cuts())
		}
		proxy.CutAfter(0)
	})
}

// retryLeavesOneObject puts body into a server set to fail the first attempt: that attempt
// must end retryable and leave no object; then (after recover, when given) the retry and
// one more (as if its answer had been lost) must leave exactly the one complete object.
func retryLeavesOneObject(t *testing.T, s3 *filekittest.S3, body string, recover func()) {
	t.Helper()
	d := doer(t, s3.Client())
	err := put(t, d, object(body))
	if v := destkit.Classify(err); err == nil || v.Outcome != destkit.Retry {
		t.Fatalf("the failed attempt: %v (%v)", v.Outcome, err)
	}
	if keys := s3.Objects(t, "actuate-files"); len(keys) != 0 {
		t.Fatalf("a failed upload left %q", keys)
	}
	if recover != nil {
		recover()
	}
	for range 2 {
		if err := put(t, d, object(body)); err != nil {
			t.Fatal(err)
		}
	}
	if keys := s3.Objects(t, "actuate-files"); len(keys) != 1 {
		t.Fatalf("objects %q", keys)
	}
	if got, _ := s3.Object(t, "actuate-files", "segment/high value+vip_PII.csv"); string(got) != body {
		t.Fatal("the object is not the file")
	}
}

func TestValidBucketName(t *testing.T) {
	for name, want := range map[string]bool{
		"actuate-files": true, "a.b.c": true, "abc": true,
		"ab": false, "Actuate": false, "-abc": false, "abc.": false, "a..b": false, "192.168.5.4": false,
		"xn--abc": false, "abc-s3alias": false, "bucket/path": false, strings.Repeat("a", 64): false,
	} {
		if got := filekit.ValidBucketName(name); got != want {
			t.Errorf("ValidBucketName(%q) = %v", name, got)
		}
	}
	for p, want := range map[string]bool{"folder1/folder2": true, "a b": true, " ": false, "a{b": false, "a~b": false, "a\x01": false, "é": false} {
		if got := filekit.ValidKeyPrefix(p); got != want {
			t.Errorf("ValidKeyPrefix(%q) = %v", p, got)
		}
	}
}
