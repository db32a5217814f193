package sender

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/route"
)

// maxErrorText bounds the error text kept in dead letters and retry records.
const maxErrorText = 2048

// Reasons of failed attempts, as dead letters and metrics carry them. The classes that
// name a status or a code are the prefix followed by it ("HTTP 400").
const (
	// ReasonValidationFailed is the router's reason too: a payload that the action's
	// schema rejects is one class wherever it is caught, so one replay filter finds both.
	ReasonValidationFailed = route.ReasonValidationFailed
	ReasonTimeout          = "timeout"
	ReasonConnection       = "connection error"
	ReasonRetryable        = "retryable error"
	ReasonOther            = "error"

	reasonAuthPrefix        = "authentication failed: "
	reasonHTTPPrefix        = "HTTP "
	reasonIntegrationPrefix = "integration error: "
)

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
		return reasonAuthPrefix + ae.Code
	case errors.As(err, &pv):
		return ReasonValidationFailed
	case errors.As(err, &api):
		return reasonHTTPPrefix + strconv.Itoa(api.Status)
	case errors.As(err, &ie):
		return reasonIntegrationPrefix + ie.Code
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ReasonTimeout
	case errors.As(err, &oe), errors.As(err, &ne):
		return ReasonConnection
	case errors.As(err, &re):
		return ReasonRetryable
	}
	return ReasonOther
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
