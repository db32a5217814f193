package movableink

import (
	"net/http"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendEntireEvent posts the mapped data to the instance's Movable Ink URL.
var SendEntireEvent = &destkit.Action{
	Key:         "sendEntireEvent",
	Title:       "Send Entire Event",
	Description: "Send a whole Segment event, or the mapped data, to Movable Ink.",
	Fields: []destkit.Field{
		{Key: "headers", Label: "Headers", Type: destkit.Object,
			Description: "Extra HTTP headers for the request, as name to value; ASCII only."},
		{Key: "data", Label: "Data", Type: destkit.Object,
			Default:     `{"@path":"$."}`,
			Description: "The JSON body of the request; the whole event by default."},
	},
	Perform: sendEntireEvent,
}

func sendEntireEvent(in *destkit.Input) ([]destkit.Request, error) {
	url := strings.TrimSpace(in.Settings.Str("movable_ink_url"))
	if url == "" {
		return nil, destkit.ValidationErrorf("movable_ink_url", "The Movable Ink URL setting must be set.")
	}
	// Without data Segment sends no body at all, and so do we.
	r := destkit.Request{Method: "POST", URL: url, Header: make(http.Header, 4)}
	if d := in.Payload.Get("data"); d != nil {
		r = destkit.NewJSONRequest("POST", url, destkit.AppendValue(nil, d))
	}
	if err := addHeaders(&r, in.Payload.GetObject("headers")); err != nil {
		return nil, err
	}
	return []destkit.Request{r}, nil
}

// addHeaders copies the mapped headers. Names and values that HTTP cannot
// carry (non-ASCII, line breaks) are a validation error on the field, as
// Segment's fetch rejects them before sending.
func addHeaders(r *destkit.Request, h *fastjson.Object) error {
	if h == nil {
		return nil
	}
	var bad string
	h.Visit(func(k []byte, v *fastjson.Value) {
		var val string
		switch v.Type() {
		case fastjson.TypeString:
			val = string(v.GetStringBytes())
		case fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
			val = v.String()
		default:
			return
		}
		name := string(k)
		if !validHeaderName(name) || !validHeaderValue(val) {
			if bad == "" {
				bad = name
			}
			return
		}
		r.Header.Set(name, val)
	})
	if bad != "" {
		return destkit.ValidationErrorf("headers", "The header %q has a name or value HTTP cannot carry (only ASCII is supported).", bad)
	}
	return nil
}

// validHeaderName reports whether s is an HTTP token (RFC 9110 §5.6.2).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validHeaderValue admits visible ASCII, spaces and tabs.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}
