// Package webhook sends mapped events to any HTTP endpoint, optionally
// signed with a shared secret.
package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Webhooks (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "webhook",
	SegmentSlug: "actions-webhook",
	Name:        "Webhook",
	Description: "Send events to your own HTTP endpoint as JSON, one at a time or in batches.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{{
		Key:         "sharedSecret",
		Label:       "Shared Secret",
		Description: "When set, every request carries an X-Signature header: the hex HMAC-SHA1 of the body keyed with this secret.",
		Type:        destkit.Password,
		Secret:      true,
	}},
	Authorize: sign,
	Actions:   []*destkit.Action{Send},
}

// sign adds the X-Signature header. It runs on the final body, so single
// events and batches are signed the same way.
func sign(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
	if secret := s.Str("sharedSecret"); secret != "" && r.Body != nil {
		r.SetHeader("X-Signature", Signature(secret, r.Body))
	}
	return nil
}

// Signature returns the hex HMAC-SHA1 of body keyed with secret, the value
// receivers compare X-Signature with. SHA-1 is what Segment's webhook uses,
// so existing receivers keep verifying.
func Signature(secret string, body []byte) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}
