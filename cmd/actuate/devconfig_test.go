package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
)

// devWithConfig starts actuate dev on a free 127.0.0.1 port with workspaceYAML as its
// --config file, {{inspector}} replaced by its inspector's URL, and stops it when the test
// ends; destOptions redirect its destinations' hosts. call sends a request to it; asAPI and
// asWriteKey sign a request in.
func devWithConfig(t *testing.T, workspaceYAML string, destOptions ...destkit.Option) (d *devRun, call func(method, path, body string, auth func(*http.Request)) (int, string)) {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	cfg := filepath.Join(t.TempDir(), "workspace.yaml")
	os.WriteFile(cfg, []byte(strings.ReplaceAll(workspaceYAML, "{{inspector}}", "http://"+addr+"/inspect")), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	d, err := startDev(ctx, devOptions{configFile: cfg, listen: addr, log: zap.NewNop(), destOptions: destOptions})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		d.wait()
	})
	call = func(method, path, body string, auth func(*http.Request)) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, d.baseURL+path, strings.NewReader(body))
		auth(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	return d, call
}

// asAPI signs a request in to the control API, asWriteKey to the ingest API.
func asAPI(r *http.Request)      { r.Header.Set("Authorization", "Bearer "+devAPIToken) }
func asWriteKey(r *http.Request) { r.SetBasicAuth("dev", "") }
