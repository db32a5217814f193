package filekittest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// VerifySigV4 checks r's AWS Signature Version 4 as S3 does, written from AWS's
// specification independently of the signer under test: the canonical request rebuilt from
// what arrived (path as sent, sorted query, the signed headers with Host from the request
// line), the body against X-Amz-Content-Sha256, and the signature under the scope's date,
// region and service with secret, the secret of the access key the credential names
// (secrets maps them). It leaves r's body readable.
func VerifySigV4(r *http.Request, secrets map[string]string) error {
	const prefix = "AWS4-HMAC-SHA256 "
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, prefix) {
		return fmt.Errorf("no AWS4-HMAC-SHA256 authorization")
	}
	parts := map[string]string{}
	for _, p := range strings.Split(strings.TrimPrefix(auth, prefix), ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok {
			parts[k] = v
		}
	}
	cred := strings.Split(parts["Credential"], "/")
	if len(cred) != 5 || cred[4] != "aws4_request" {
		return fmt.Errorf("malformed credential %q", parts["Credential"])
	}
	secret, ok := secrets[cred[0]]
	if !ok {
		return fmt.Errorf("unknown access key %q", cred[0])
	}
	amzDate := r.Header.Get("X-Amz-Date")
	if !strings.HasPrefix(amzDate, cred[1]) {
		return fmt.Errorf("x-amz-date %q is not of the credential's day %s", amzDate, cred[1])
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	payloadHash := r.Header.Get("X-Amz-Content-Sha256")
	if sum := sha256.Sum256(body); payloadHash != hex.EncodeToString(sum[:]) {
		return fmt.Errorf("x-amz-content-sha256 does not match the body")
	}
	signed := strings.Split(parts["SignedHeaders"], ";")
	var canon strings.Builder
	for _, h := range signed {
		v := r.Header.Get(h)
		switch h {
		case "host":
			v = r.Host
		case "content-length":
			v = strconv.FormatInt(r.ContentLength, 10)
		}
		canon.WriteString(h + ":" + strings.Join(strings.Fields(v), " ") + "\n")
	}
	creq := strings.Join([]string{r.Method, r.URL.EscapedPath(), canonicalQuery(r.URL.Query()),
		canon.String(), parts["SignedHeaders"], payloadHash}, "\n")
	want := Signature(secret, cred[1], cred[2], cred[3], amzDate, creq)
	if !hmac.Equal([]byte(want), []byte(parts["Signature"])) {
		return fmt.Errorf("signature does not match; canonical request:\n%s", creq)
	}
	return nil
}

// Signature is SigV4's signature of a canonical request.
func Signature(secret, day, region, service, amzDate, canonicalRequest string) string {
	scope := day + "/" + region + "/" + service + "/aws4_request"
	sum := sha256.Sum256([]byte(canonicalRequest))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	return hex.EncodeToString(mac(SigningKey(secret, day, region, service), toSign))
}

// SigningKey derives SigV4's key for one day, region and service.
func SigningKey(secret, day, region, service string) []byte {
	k := mac([]byte("AWS4"+secret), day)
	k = mac(k, region)
	k = mac(k, service)
	return mac(k, "aws4_request")
}

func mac(key []byte, s string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(s))
	return h.Sum(nil)
}

func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			out = append(out, escape(k)+"="+escape(v))
		}
	}
	return strings.Join(out, "&")
}

func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
