package sender

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// maxErrorText bounds the error text kept in dead letters and retry records.
const maxErrorText = 2048

// reason is the short, stable class of an error, used as the dead letter's reason and as
// a metric label, so it must never carry data: only statuses and fixed codes.
func reason(err error) string {
	var ae *destkit.AuthError
	var pv *destkit.PayloadValidationError
	var api *destkit.APIError
	var ie *destkit.IntegrationError
	var re *destkit.RetryableError
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &ae):
		return "authentication failed: " + ae.Code
	case errors.As(err, &pv):
		return "payload validation failed"
	case errors.As(err, &api):
		return "HTTP " + strconv.Itoa(api.Status)
	case errors.As(err, &ie):
		return "integration error: " + ie.Code
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &oe), errors.As(err, &ne):
		return "connection error"
	case errors.As(err, &re):
		return "retryable error"
	}
	return "error"
}

// scrub renders err for a dead letter, a retry record or a log line. URLs are cut to
// scheme and host, because some destinations carry their secret in the URL (Slack and
// other webhooks) or in the query (API keys); every value in secrets is replaced, because
// destinations sometimes echo a rejected key back in the response body.
func scrub(err error, secrets []string) string {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) && ue.URL != "" {
		msg = strings.ReplaceAll(msg, ue.URL, siteOf(ue.URL))
		// net/http quotes the URL; the quoted form may escape differently.
		msg = strings.ReplaceAll(msg, strconv.Quote(ue.URL), strconv.Quote(siteOf(ue.URL)))
	}
	msg = destkit.NewMasker(secrets...).Mask(msg)
	if len(msg) > maxErrorText {
		msg = msg[:maxErrorText] + "…"
	}
	return msg
}

func siteOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "[url]"
	}
	return u.Scheme + "://" + u.Host
}
