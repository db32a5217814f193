package destinations

import (
	"errors"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
)

// A URL that is not a URI fails validation of the webhook's url field, as
// AJV's "uri" format makes it fail in Segment, and the error names the
// field.
func TestWebhookURLFormat(t *testing.T) {
	d, _ := Get("webhook")
	for _, a := range d.Actions {
		if a.Field("url") == nil {
			continue
		}
		_, err := a.Validate([]byte(`{"url":"not a url","method":"POST","data":{}}`))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != "url" || pv.Message != "URL must be a valid URI string but it was not." {
			t.Errorf("%s: %v", a.Key, err)
		}
		if _, err := a.Validate([]byte(`{"url":"https://hooks.example.com/x?y=1","method":"POST","data":{}}`)); err != nil {
			t.Errorf("%s: %v", a.Key, err)
		}
	}
}
