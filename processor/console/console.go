// Package console serves the web console at /console/: plain ES modules, CSS and HTML in
// assets/, embedded in the binary, with no build step. It talks only to the public control
// API (processor/control), with the bearer token the person signs in with (kept in the
// tab's sessionStorage) or, under `actuate dev`, the dev token given here.
//
// Every path under /console/ that is not an asset is the single page (index.html), so deep
// links work on reload: the page routes on the History API.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// Prefix is where the console is mounted.
const Prefix = "/console/"

// Options configure the console.
type Options struct {
	// Token, when set, is handed to the page so it needs no sign-in (`actuate dev`, whose
	// token is fixed and printed). Empty: the page asks for an API token.
	Token string
}

type asset struct {
	body        []byte
	etag        string
	contentType string
}

// assetExt are the extensions of files the page loads; any other path is a page.
var assetExt = map[string]bool{".js": true, ".css": true, ".svg": true, ".png": true, ".ico": true, ".map": true, ".woff2": true}

// Handler serves the console under Prefix.
func Handler(opts Options) http.Handler {
	files := map[string]*asset{}
	fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "assets/")
		if name == "index.html" {
			b = bytes.ReplaceAll(b, []byte("{{token}}"), []byte(html.EscapeString(opts.Token)))
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		files[name] = &asset{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: ct}
		return nil
	})
	index := files["index.html"]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the console is read with GET", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		a := files[name]
		if a == nil || name == "" {
			if assetExt[path.Ext(name)] {
				// A missing script or stylesheet is a 404, not the page: a browser would
				// otherwise run HTML as a module and say something confusing.
				http.NotFound(w, r)
				return
			}
			a = index
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("ETag", a.etag)
		// Revalidate every time: a 304 costs one round trip on localhost, and a new binary
		// never serves stale modules.
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		if match := r.Header.Get("If-None-Match"); match == a.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(a.body)
	})
}
