package console

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	body, _ := io.ReadAll(w.Result().Body)
	return w.Result(), string(body)
}

func TestDeepLinksServeThePage(t *testing.T) {
	h := Handler(Options{})
	for _, path := range []string{"/console/", "/console/catalog", "/console/destinations/web.hook-1/mappings/m-1", "/console/history"} {
		resp, body := get(t, h, path)
		if resp.StatusCode != 200 || !strings.Contains(body, `<script type="module" src="/console/js/app.js">`) || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s: no CSP", path)
		}
	}
	resp, body := get(t, h, "/console/js/app.js")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(body, "History API") {
		t.Errorf("app.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// A missing module is a 404, never the page.
	if resp, _ := get(t, h, "/console/js/pages/nope.js"); resp.StatusCode != 404 {
		t.Errorf("missing module: %d", resp.StatusCode)
	}
	// Revalidation: the same ETag answers 304.
	if resp, _ := get(t, h, "/console/app.css", "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != 200 {
		t.Errorf("another file's ETag: %d", resp.StatusCode)
	}
	css, _ := get(t, h, "/console/app.css")
	if resp, _ := get(t, h, "/console/app.css", "If-None-Match", css.Header.Get("ETag")); resp.StatusCode != 304 {
		t.Errorf("same ETag: %d", resp.StatusCode)
	}
	req := httptest.NewRequest("POST", "/console/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 405 {
		t.Errorf("POST: %d", w.Code)
	}
}

func TestTheTokenIsGivenOnlyWhenSet(t *testing.T) {
	_, body := get(t, Handler(Options{}), "/console/")
	if !strings.Contains(body, `<meta name="actuate-token" content="">`) {
		t.Errorf("serve's page carries a token")
	}
	_, body = get(t, Handler(Options{Token: `dev"<`}), "/console/catalog")
	if !strings.Contains(body, `<meta name="actuate-token" content="dev&#34;&lt;">`) {
		t.Errorf("dev's page: the token is missing or not escaped")
	}
}
