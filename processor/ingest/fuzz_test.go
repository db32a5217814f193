package ingest

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzIngest posts arbitrary bodies and write keys to every endpoint: the answer is 200,
// or a 4xx with a reason, never a panic; whatever is accepted is produced.
func FuzzIngest(f *testing.F) {
	for _, seed := range []string{
		`{"userId":"u","event":"x"}`, `{"batch":[{"type":"track","event":"x","userId":"u"}]}`, `{`, `[]`, `null`,
		`{"userId":{"a":1}}`, `{"batch":"x"}`, `{"batch":[1,2,3]}`, "{\"event\":\"\xff\"}",
		`{"a":` + strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200) + `}`,
	} {
		f.Add("track", "wk_web", seed)
		f.Add("batch", "wk_web", seed)
	}
	f.Add("identify", "", `{"userId":"u"}`)
	f.Add("nope", "wk_web", `{}`)
	h, c := newTestHandler(f, nil)
	f.Fuzz(func(t *testing.T, kind, writeKey, body string) {
		before := len(c.records)
		rec := post(h, "/v1/"+url.PathEscape(kind), writeKey, body)
		switch {
		case rec.Code == 200:
			if len(c.records) == before && !strings.Contains(body, "batch") {
				t.Fatalf("/v1/%s accepted %q and produced nothing", kind, body)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if rec.Body.Len() == 0 {
				t.Fatalf("/v1/%s %q: %d without a reason", kind, body, rec.Code)
			}
		default:
			t.Fatalf("/v1/%s %q: %d %s", kind, body, rec.Code, rec.Body)
		}
	})
}
