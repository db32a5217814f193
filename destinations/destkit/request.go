package destkit

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/valyala/fastjson"
)

// Request describes one HTTP call. Actions build it; the Client sends it.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// Events lists the batch indices this request carries when an action
	// splits a batch over several requests; nil means the whole batch.
	Events []int
}

// NewJSONRequest returns a request with a JSON body.
func NewJSONRequest(method, url string, body []byte) Request {
	r := Request{Method: method, URL: url, Header: make(http.Header, 4), Body: body}
	r.Header.Set("Content-Type", "application/json")
	return r
}

// NewFormRequest returns a request with a form-encoded body.
func NewFormRequest(method, url string, body []byte) Request {
	r := Request{Method: method, URL: url, Header: make(http.Header, 4), Body: body}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// SetHeader sets a header, creating the map if needed.
func (r *Request) SetHeader(k, v string) {
	if r.Header == nil {
		r.Header = make(http.Header, 4)
	}
	r.Header.Set(k, v)
}

// SetBasicAuth sets an Authorization header with HTTP basic credentials.
// An empty password is allowed and common (API key as user name).
func (r *Request) SetBasicAuth(user, password string) {
	r.SetHeader("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
}

// Response is a received HTTP response with its body read in full (bounded
// by the client's MaxResponseBytes).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Doer sends one request with the destination's credentials. Multi-step
// actions receive one; tests can fake it. A non-2xx response is returned
// together with an *APIError describing it.
type Doer interface {
	Do(ctx context.Context, r *Request) (*Response, error)
}

// DoerFunc adapts a function to Doer.
type DoerFunc func(ctx context.Context, r *Request) (*Response, error)

// Do calls f.
func (f DoerFunc) Do(ctx context.Context, r *Request) (*Response, error) { return f(ctx, r) }

// GetJSON sends a GET of url through d and parses the answer, the first step of most hooks
// and dynamic fields. what names the answer in the error when it is not JSON ("HubSpot's
// object types").
func GetJSON(ctx context.Context, d Doer, url, what string) (*fastjson.Value, error) {
	resp, err := d.Do(ctx, &Request{Method: http.MethodGet, URL: url})
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &IntegrationError{Code: "INVALID_RESPONSE", Message: what + " is not JSON"}
	}
	return v, nil
}
