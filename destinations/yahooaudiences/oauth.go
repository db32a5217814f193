package yahooaudiences

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const (
	tokenURL       = "https://id.b2b.yahooincapis.com/zts/v1/oauth2/token"
	tokenAudience  = "https://id.b2b.yahooincapis.com/zts/v1"
	clientPrefix   = "idb2b.dsp.datax."
	taxonomyScope  = "idb2b.dsp.datax:role.online.writer"
	assertionType  = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	assertionValid = time.Hour
)

// now is replaced in tests.
var now = time.Now

// rtCredential is the real-time API's part of a client id or secret: the
// "rt_api" member when the value is a JSON object, else the value itself.
func rtCredential(v string) string {
	if o, err := fastjson.Parse(v); err == nil && o.Type() == fastjson.TypeObject {
		if s := o.GetStringBytes("rt_api"); s != nil {
			return string(s)
		}
	}
	return v
}

// refreshToken obtains an access token with a signed client assertion.
func refreshToken(ctx context.Context, d destkit.Doer, c destkit.OAuthCredentials, _ *destkit.Settings) (destkit.Token, error) {
	key, secret := rtCredential(c.ClientID), rtCredential(c.ClientSecret)
	if key == "" || secret == "" {
		return destkit.Token{}, &destkit.AuthError{Code: "OAUTH_REFRESH_FAILED", Message: "Yahoo's token needs the OAuth client id and secret of the real-time API."}
	}
	form := url.Values{}
	form.Set("client_assertion", clientAssertion(clientPrefix+key, secret, now(), randomID(24)))
	form.Set("client_assertion_type", assertionType)
	form.Set("grant_type", "client_credentials")
	form.Set("scope", taxonomyScope)
	form.Set("aud", tokenAudience)
	r := destkit.NewFormRequest("POST", tokenURL, []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return destkit.Token{}, err
	}
	return destkit.ParseTokenResponse(resp.Body, now())
}

// clientAssertion is the JWT Yahoo's token endpoint accepts: header and
// claims in standard (padded) base64, as Segment encodes them, signed with
// HMAC-SHA256.
func clientAssertion(client, secret string, at time.Time, jti string) string {
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.StringField("iss", client)
	w.StringField("sub", client)
	w.StringField("aud", tokenAudience)
	w.StringField("jti", jti)
	w.Key("exp")
	w.Int(at.Add(assertionValid).Unix())
	w.Key("iat")
	w.Int(at.Unix())
	w.ObjectEnd()
	signed := base64.StdEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + base64.StdEncoding.EncodeToString(w.Bytes())
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signed))
	return signed + "." + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// randomID is n characters of Yahoo's jti alphabet.
func randomID(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz123456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
