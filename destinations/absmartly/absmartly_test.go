package absmartly

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"collectorEndpoint": "https://acme.absmartly.io/v1", "apiKey": "abs-key", "environment": "production"}

// sentAt is when the tests' events are sent: 2026-03-02T10:15:00Z, the
// events' own timestamp, so the bodies equal what Segment sends for them.
const sentAt = 1772446500000

func TestMain(m *testing.M) {
	now = func() time.Time { return time.UnixMilli(sentAt) }
	m.Run()
}

func send(t *testing.T, a *destkit.Action, p []byte) desttest.Recorded {
	t.Helper()
	srv := desttest.NewServer(t)
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "PUT" || r.Path != "/v1/context" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "X-API-Key", "abs-key")
	desttest.Header(t, r, "X-Environment", "production")
	desttest.Header(t, r, "Content-Type", "application/json")
	return r
}

func TestTrackGoal(t *testing.T) {
	ev := `{"type":"track","event":"Purchase","userId":"u-1","anonymousId":"a-1","timestamp":"2026-03-02T10:15:00.000Z",` +
		`"properties":{"amount":42},"context":{"library":{"name":"analytics.js"}}}`
	m := string(TrackGoal.DefaultMapping())
	p := desttest.Render(t, Definition, "trackGoal", destkit.JSON(m[:len(m)-1]+`,"application":" web "}`), ev)
	r := send(t, TrackGoal, p)
	desttest.Header(t, r, "X-Agent", "analytics.js")
	desttest.Header(t, r, "X-Application", "web")
	desttest.Header(t, r, "X-Application-Version", "0")
	desttest.JSONEqual(t, r.Body, `{"historic":true,"publishedAt":1772446500000,"units":[{"type":"anonymousId","uid":"a-1"},{"type":"userId","uid":"u-1"}],`+
		`"goals":[{"name":"Purchase","achievedAt":1772446500000,"properties":{"amount":42}}]}`)
}

func TestTrackGoalUnits(t *testing.T) {
	// Blank and non-scalar units are left out; numbers become strings.
	p := desttest.Validate(t, Definition, "trackGoal", `{"units":{"a":" ","b":12.50,"c":{"x":1},"d":"d-1","e":true},"name":"G","properties":{}}`)
	r := send(t, TrackGoal, p)
	desttest.Header(t, r, "X-Agent", "segment")
	if r.Header.Get("X-Application") != "" {
		t.Fatal("no application was mapped")
	}
	desttest.JSONEqual(t, r.Body, `{"historic":true,"publishedAt":1772446500000,"units":[{"type":"b","uid":"12.5"},{"type":"d","uid":"d-1"}],`+
		`"goals":[{"name":"G","achievedAt":1772446500000,"properties":{}}]}`)
}

func TestPresets(t *testing.T) {
	p := desttest.Render(t, Definition, "trackGoal", Definition.Presets[1].Mapping, `{"type":"page","name":"Pricing","userId":"u-1","properties":{"path":"/pricing"}}`)
	r := send(t, TrackGoal, p)
	desttest.JSONEqual(t, r.Body, `{"historic":true,"publishedAt":1772446500000,"units":[{"type":"userId","uid":"u-1"}],`+
		`"goals":[{"name":"Page: Pricing","achievedAt":1772446500000,"properties":{"path":"/pricing"}}]}`)
}

func TestTrackExposure(t *testing.T) {
	ev := `{"type":"track","event":"Experiment Viewed","userId":"u-1","timestamp":"2026-03-02T10:15:00.000Z","properties":{"exposure":` +
		`{"publishedAt":1772445000000,"units":[{"type":"user_id","uid":"u-1"}],"hashed":true,` +
		`"exposures":[{"id":1,"name":"exp","variant":1,"exposedAt":1772444999000,"assigned":true,"eligible":true}],` +
		`"attributes":[{"name":"plan","value":"pro","setAt":1772444990000},{"name":"x","value":"y","setAt":"5"},{"name":"n","value":"y"}]}}}`
	r := send(t, TrackExposure, desttest.RenderDefault(t, Definition, "trackExposure", ev))
	desttest.Header(t, r, "X-Agent", "segment")
	// Every time moves by the 1,500,000 ms between the SDK's publishedAt and
	// sending; a string setAt is concatenated and a missing one is NaN
	// (null), as JavaScript's + does in Segment's code.
	desttest.JSONEqual(t, r.Body, `{"publishedAt":1772446500000,"units":[{"type":"user_id","uid":"u-1"}],"hashed":true,`+
		`"exposures":[{"id":1,"name":"exp","variant":1,"exposedAt":1772446499000,"assigned":true,"eligible":true}],`+
		`"attributes":[{"name":"plan","value":"pro","setAt":1772446490000},{"name":"x","value":"y","setAt":"51500000"},{"name":"n","value":"y","setAt":null}],"historic":true}`)
}

func TestTrackExposureRejectsMalformed(t *testing.T) {
	base := `"units":[{"type":"u","uid":"1"}],"exposures":[{"name":"e","exposedAt":1772444999000}]`
	for _, e := range []string{
		`{` + base + `}`, // no publishedAt
		`{"publishedAt":12,` + base + `}`,
		`{"publishedAt":"not a date",` + base + `}`,
		`{"publishedAt":1772445000000,"units":[],"exposures":[{"exposedAt":1772444999000}]}`,
		`{"publishedAt":1772445000000,"units":[{"uid":"1"}],"exposures":[]}`,
		`{"publishedAt":1772445000000,"units":[{"uid":"1"}],"exposures":[{"exposedAt":"1772444999000"}]}`,
		`{"publishedAt":1772445000000,` + base + `,"goals":[{"name":"g"}]}`,
		`{"publishedAt":1772445000000,` + base + `,"attributes":{"a":1}}`,
	} {
		srv := desttest.NewServer(t)
		p := desttest.Validate(t, Definition, "trackExposure", `{"exposure":`+e+`}`)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), TrackExposure, p)
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != "exposure" || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v", e, err)
		}
	}
	// An ISO publishedAt and empty goals are fine.
	p := desttest.Validate(t, Definition, "trackExposure", `{"exposure":{"publishedAt":"2026-03-02T09:50:00Z",`+base+`,"goals":[]}}`)
	r := send(t, TrackExposure, p)
	desttest.JSONEqual(t, r.Body, `{"publishedAt":1772446500000,"units":[{"type":"u","uid":"1"}],"exposures":[{"name":"e","exposedAt":1772446499000}],"goals":[],"historic":true}`)
}

func TestRejectsIncompletePayloads(t *testing.T) {
	for _, c := range []struct {
		a              *destkit.Action
		field, payload string
	}{
		{TrackGoal, "units", `{"name":"G","properties":{}}`},
		{TrackGoal, "name", `{"units":{"u":"1"},"name":"","properties":{}}`},
		{TrackGoal, "properties", `{"units":{"u":"1"},"name":"G"}`},
		{TrackExposure, "exposure", `{"agent":"x"}`},
	} {
		_, err := c.a.Validate([]byte(c.payload))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != c.field {
			t.Errorf("%s %s: %v", c.a.Key, c.field, err)
		}
	}
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, []*destkit.Action{TrackGoal},
		`{"units":{"u":"1"},"name":"G","properties":{}}`,
		[]desttest.Status{
			{Reply: desttest.Reply{Status: 400}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 401}, Outcome: destkit.Fail},
			{Reply: desttest.Reply{Status: 429, Header: map[string]string{"Retry-After": "3"}}, Outcome: destkit.Retry, RetryAfter: 3 * time.Second},
			{Reply: desttest.Reply{Status: 500}, Outcome: destkit.Retry},
			{Reply: desttest.Reply{Status: 503}, Outcome: destkit.Retry},
		})
}
