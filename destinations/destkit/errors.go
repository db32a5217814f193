package destkit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The error taxonomy. Every error an action, the validator or the client
// returns is one of these (possibly wrapped), and Classify turns any of them
// into a Verdict. Callers must use Classify or errors.As, never the message.

// PayloadValidationError means the payload does not satisfy the action's
// fields. It is never retried: the same payload would fail again.
type PayloadValidationError struct {
	// Field is the path of the first offending field ("user_id",
	// "products[2].price"); empty for errors about the payload as a whole.
	Field string
	// Message holds every problem found, joined by spaces.
	Message string
}

func (e *PayloadValidationError) Error() string { return e.Message }

// ValidationErrorf returns a PayloadValidationError about field.
func ValidationErrorf(field, format string, args ...any) error {
	return &PayloadValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// AuthError means the credentials were rejected and a person has to fix
// them. For OAuth destinations the client refreshes once before returning it.
type AuthError struct {
	Code    string // e.g. INVALID_AUTHENTICATION, OAUTH_REFRESH_FAILED
	Message string
	Err     error
}

func (e *AuthError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *AuthError) Unwrap() error { return e.Err }

// RetryableError asks for the event to be tried again, no sooner than
// RetryAfter when that is set.
type RetryableError struct {
	Err        error
	RetryAfter time.Duration
}

func (e *RetryableError) Error() string { return "retryable: " + e.Err.Error() }
func (e *RetryableError) Unwrap() error { return e.Err }

// APIError is a non-2xx response from the destination.
type APIError struct {
	Status int
	// Code is a vendor error code when the action extracted one.
	Code string
	// Body is the start of the response body, for dead letters; it is cut
	// at 1 KiB.
	Body []byte
	// RetryAfter is parsed from the Retry-After header, if any.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("destination responded ")
	b.WriteString(strconv.Itoa(e.Status))
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if len(e.Body) > 0 {
		b.WriteString(": ")
		b.Write(e.Body)
	}
	return b.String()
}

// IntegrationError is anything else an action rejects, with an explicit
// retry decision.
type IntegrationError struct {
	Code      string
	Message   string
	Retryable bool
}

func (e *IntegrationError) Error() string { return e.Message }

// Outcome is what to do with an event after an attempt.
type Outcome int

// Outcomes.
const (
	// Delivered: nothing more to do.
	Delivered Outcome = iota
	// Retry: try again later (backoff, honouring RetryAfter).
	Retry
	// Reauthenticate: refresh the OAuth token, then retry once.
	Reauthenticate
	// Fail: do not retry; dead-letter with the error.
	Fail
)

func (o Outcome) String() string {
	switch o {
	case Delivered:
		return "delivered"
	case Retry:
		return "retry"
	case Reauthenticate:
		return "reauthenticate"
	default:
		return "fail"
	}
}

// Verdict is the result of Classify.
type Verdict struct {
	Outcome    Outcome
	RetryAfter time.Duration
}

// Classify decides what an error means for delivery.
//
//   - nil: delivered.
//   - PayloadValidationError: fail; the same payload cannot succeed.
//   - AuthError: fail; credentials need a person (the client has already
//     refreshed OAuth tokens once before returning it).
//   - RetryableError: retry after its RetryAfter.
//   - APIError: by status. 401 asks for re-authentication (the Client turns
//     a 401 on a non-OAuth destination into an AuthError before returning).
//     408 (timeout), 423 (locked, transient by definition), 429 (honouring
//     Retry-After) and 5xx retry, except 501, which says the endpoint will
//     never exist. Every other status fails: the request itself is wrong.
//   - IntegrationError: as the action declared.
//   - Timeouts and network errors (net.Error, connection refused or reset,
//     unexpected EOF, context deadline or cancellation): retry; the
//     request may never have arrived.
//   - Anything else: fail, so unknown errors surface in the dead letter
//     instead of looping.
func Classify(err error) Verdict {
	if err == nil {
		return Verdict{Outcome: Delivered}
	}
	var pv *PayloadValidationError
	if errors.As(err, &pv) {
		return Verdict{Outcome: Fail}
	}
	var ae *AuthError
	if errors.As(err, &ae) {
		return Verdict{Outcome: Fail}
	}
	var re *RetryableError
	if errors.As(err, &re) {
		return Verdict{Outcome: Retry, RetryAfter: re.RetryAfter}
	}
	var api *APIError
	if errors.As(err, &api) {
		return classifyStatus(api.Status, api.RetryAfter)
	}
	// A refused address stays refused: retrying would only repeat the refusal.
	var ee *EgressError
	if errors.As(err, &ee) {
		return Verdict{Outcome: Fail}
	}
	var ie *IntegrationError
	if errors.As(err, &ie) {
		if ie.Retryable {
			return Verdict{Outcome: Retry}
		}
		return Verdict{Outcome: Fail}
	}
	// A cancelled context means this process is stopping, not that the
	// event is bad.
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return Verdict{Outcome: Retry}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return Verdict{Outcome: Retry}
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return Verdict{Outcome: Retry}
	}
	if errors.Is(err, errTransport) {
		return Verdict{Outcome: Retry}
	}
	return Verdict{Outcome: Fail}
}

func classifyStatus(status int, after time.Duration) Verdict {
	switch {
	case status >= 200 && status < 300:
		return Verdict{Outcome: Delivered}
	case status == 401:
		return Verdict{Outcome: Reauthenticate}
	case status == 408, status == 423, status == 429:
		return Verdict{Outcome: Retry, RetryAfter: after}
	case status == 501:
		return Verdict{Outcome: Fail}
	case status >= 500:
		return Verdict{Outcome: Retry, RetryAfter: after}
	default:
		return Verdict{Outcome: Fail}
	}
}

// errTransport marks failures of the HTTP round trip that net.Error does not
// cover (a server closing the connection mid-response surfaces as EOF).
var errTransport = errors.New("transport error")

// parseRetryAfter reads a Retry-After header: delta seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := time.Parse(time.RFC1123, v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
