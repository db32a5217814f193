package ingest

import (
	"net/http"
	"testing"
)

type suppressed map[string]bool

func (s suppressed) Suppressed(id []byte) bool { return s[string(id)] }

// TestSuppressedUsersAreAcceptedAndDropped: a suppressed user's events get the usual
// answer and are never produced; the rest of a batch is.
func TestSuppressedUsersAreAcceptedAndDropped(t *testing.T) {
	h, c := newTestHandler(t, nil)
	h.SetSuppression(suppressed{"ada": true})
	if rec := post(h, "/v1/track", "wk_web", `{"userId":"ada","event":"Signed Up"}`); rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if len(c.records) != 0 {
		t.Fatalf("produced %d records for a suppressed user", len(c.records))
	}
	rec := post(h, "/v1/batch", "wk_web", `{"batch":[{"type":"track","userId":"ada","event":"x"},{"type":"track","userId":"bob","event":"x"},{"type":"identify","anonymousId":"ada"}]}`)
	if rec.Code != http.StatusOK || len(c.records) != 4 || string(c.records[0].Key) != "bob" || string(c.records[2].Key) != "ada" {
		t.Fatalf("%d: %d records", rec.Code, len(c.records))
	}
}
