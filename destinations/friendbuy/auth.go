package friendbuy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// tokenPadding renews a token this long before it expires, as Segment does.
const tokenPadding = 10 * time.Second

type mapiToken struct {
	value   string
	renewAt time.Time
}

// tokens are the MAPI tokens of this process, by base URL, key and the
// secret's digest.
var tokens = struct {
	sync.Mutex
	m map[string]mapiToken
}{m: map[string]mapiToken{}}

// now is replaced in tests.
var now = time.Now

// token returns a MAPI token for the settings, asking Friendbuy for one
// when none is kept or the kept one is about to expire. A token whose
// expiry cannot be read is used once and not kept.
func token(ctx context.Context, d destkit.Doer, base, key, secret string) (string, error) {
	sum := sha256.Sum256([]byte(secret))
	cacheKey := base + "\x00" + key + "\x00" + hex.EncodeToString(sum[:])
	tokens.Lock()
	t, ok := tokens.m[cacheKey]
	tokens.Unlock()
	if ok && now().Before(t.renewAt) {
		return t.value, nil
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("key")
	w.String(key)
	w.Key("secret")
	w.String(secret)
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", base+"/v1/authorization", w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return "", err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	value := ""
	if err == nil {
		value = string(v.GetStringBytes("token"))
	}
	if value == "" {
		return "", &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Friendbuy's authorization call answered no token."}
	}
	if expires, ok := destkit.ParseJSDate(v.Get("expires")); ok {
		tokens.Lock()
		tokens.m[cacheKey] = mapiToken{value: value, renewAt: expires.Add(-tokenPadding)}
		tokens.Unlock()
	}
	return value, nil
}

// post sends the mapped body to a MAPI path with a token.
func post(ctx context.Context, d destkit.Doer, s *destkit.Settings, path string, body []byte) error {
	base, secret, err := endpoint(s)
	if err != nil {
		return err
	}
	tok, err := token(ctx, d, base, s.Str("authKey"), secret)
	if err != nil {
		return err
	}
	r := destkit.NewJSONRequest("POST", base+"/"+path, body)
	r.SetHeader("Authorization", tok)
	_, err = d.Do(ctx, &r)
	return err
}
