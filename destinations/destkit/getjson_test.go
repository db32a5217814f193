package destkit

import (
	"context"
	"errors"
	"testing"
)

// GetJSON sends a GET and parses the answer; an answer that is not JSON is an integration
// error naming what was read, and a failed request's error comes back as it was.
func TestGetJSON(t *testing.T) {
	var got *Request
	answer := func(body string, err error) Doer {
		return DoerFunc(func(_ context.Context, r *Request) (*Response, error) {
			got = r
			return &Response{Status: 200, Body: []byte(body)}, err
		})
	}
	v, err := GetJSON(context.Background(), answer(`{"lists":[{"id":"L1"}]}`, nil), "https://api.example.com/lists", "Example's lists")
	if err != nil || string(v.GetStringBytes("lists", "0", "id")) != "L1" || got.Method != "GET" || got.URL != "https://api.example.com/lists" {
		t.Fatalf("got %v, %v for %+v", v, err, got)
	}
	var ie *IntegrationError
	if _, err := GetJSON(context.Background(), answer(`<html>`, nil), "https://api.example.com/lists", "Example's lists"); !errors.As(err, &ie) || ie.Message != "Example's lists is not JSON" {
		t.Errorf("a non-JSON answer: %v", err)
	}
	refused := errors.New("refused")
	if _, err := GetJSON(context.Background(), answer(``, refused), "https://api.example.com/lists", "Example's lists"); !errors.Is(err, refused) {
		t.Errorf("a failed request: %v", err)
	}
}
