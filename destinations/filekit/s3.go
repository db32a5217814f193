package filekit

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// S3Object is one object to put in an S3 bucket (or an access point, through its alias).
type S3Object struct {
	Bucket string // bucket name or access point alias
	Region string // e.g. us-east-1: names the endpoint and the signature's scope
	Key    string // object key, without a leading slash

	AccessKeyID     string
	SecretAccessKey string

	ContentType string
	Body        []byte
}

// URL is the object's virtual-hosted address on the bucket's regional endpoint.
func (o *S3Object) URL() string {
	return "https://" + o.Bucket + ".s3." + o.Region + ".amazonaws.com/" + escapeKey(o.Key)
}

// Request returns the signed PUT of the whole object, for a destkit.Doer or an action's
// PerformBatch to send. now is the signing time (S3 refuses a signature more than 15
// minutes away from its clock, so pass the time of sending).
func (o *S3Object) Request(now time.Time) (destkit.Request, error) {
	hr, err := http.NewRequest(http.MethodPut, o.URL(), nil)
	if err != nil {
		return destkit.Request{}, &destkit.IntegrationError{Code: "INVALID_S3_OBJECT",
			Message: "the bucket, region or key does not make a valid S3 address"}
	}
	hr.ContentLength = int64(len(o.Body))
	sum := sha256.Sum256(o.Body)
	payloadHash := hex.EncodeToString(sum[:])
	md := md5.Sum(o.Body)
	if o.ContentType != "" {
		hr.Header.Set("Content-Type", o.ContentType)
	}
	// S3 checks the body against its MD5 and stores nothing when they differ.
	hr.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(md[:]))
	hr.Header.Set("X-Amz-Content-Sha256", payloadHash)
	creds := aws.Credentials{AccessKeyID: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey}
	// S3 signs the path as sent, without escaping it a second time.
	err = v4.NewSigner(func(so *v4.SignerOptions) { so.DisableURIPathEscaping = true }).
		SignHTTP(context.Background(), creds, hr, payloadHash, "s3", o.Region, now.UTC())
	if err != nil {
		return destkit.Request{}, &destkit.IntegrationError{Code: "S3_SIGNATURE", Message: "signing the S3 request failed"}
	}
	r := destkit.Request{Method: http.MethodPut, URL: hr.URL.String(), Header: make(http.Header, 6), Body: o.Body}
	for _, k := range []string{"Authorization", "X-Amz-Date", "X-Amz-Content-Sha256", "Content-Md5", "Content-Type"} {
		if v := hr.Header.Get(k); v != "" {
			r.Header.Set(k, v)
		}
	}
	return r, nil
}

// escapeKey writes an object key as S3 signs it: every byte but the unreserved characters
// (letters, digits, - _ . ~) and the slashes between segments percent-encoded.
func escapeKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c == '/' || c == '-' || c == '_' || c == '.' || c == '~' ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

// ValidBucketName reports whether name follows S3's naming rules for general purpose
// buckets: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with
// a letter or digit, no two dots in a row, not an IPv4 address, and none of the prefixes
// and suffixes S3 reserves.
func ValidBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 || strings.Contains(name, "..") {
		return false
	}
	digitsAndDots := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if !alnum && c != '.' && c != '-' {
			return false
		}
		if (i == 0 || i == len(name)-1) && !alnum {
			return false
		}
		if c != '.' && (c < '0' || c > '9') {
			digitsAndDots = false
		}
	}
	if digitsAndDots && strings.Count(name, ".") == 3 {
		return false // formatted as an IPv4 address
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

// ValidKeyPrefix reports whether p can stand before an object key: at most 1024 bytes, not
// blank, and free of control characters, of bytes 0x80 to 0xFF, and of the characters S3
// advises against (\ { } ^ [ ] % ` " < > # | ~).
func ValidKeyPrefix(p string) bool {
	if len(p) > 1024 || strings.TrimSpace(p) == "" {
		return false
	}
	for _, r := range p {
		if r < 32 || (r >= 128 && r <= 255) || strings.ContainsRune("\\{}^[]%`\"<>#|~", r) {
			return false
		}
	}
	return true
}
