package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/console"
	"github.com/actuate/actuate/processor/control"
)

// TestConsoleInABrowser drives the web console in headless Chromium against an in-process
// `actuate dev`, through the flow: add June from the catalog with Quick Setup; edit
// a mapping (a coalesce and a replace) on a test event loaded from the source; Test
// Mapping shows the request; save; toggle, reorder, duplicate, delete and see the API
// agree; create a filter; the Event Tester; send events and see the Delivery Overview
// count them and a replayed dead letter, its custom range's From and To shown only when
// chosen; sources and history (no "Older changes" under a page of entries); a deep link
// on reload. Screenshots of each page go to $ACTUATE_TEST_OUTPUT (default: a folder under
// the system temp dir), for a reviewer.
// The browser console must stay free of errors.
func TestConsoleInABrowser(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		t.Skip("no Chromium: install Debian's chromium (scripts/test.sh does) or set ACTUATE_CHROMIUM")
	}
	start := time.Now()
	var mu sync.Mutex
	var sunk []string
	refuse := true // the sink refuses u-dead's requests (a 400: a dead letter) until a replay
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		sunk = append(sunk, r.Method+" "+r.URL.Path+" "+string(body))
		refused := refuse && strings.Contains(string(body), `"u-dead"`)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if refused {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"success":false,"message":"refused by the test"}`))
			return
		}
		w.Write([]byte(`{"success":true}`))
	}))
	defer sink.Close()

	ctx, cancel := context.WithCancel(context.Background())
	d, err := startDev(ctx, devOptions{listen: "127.0.0.1:0", log: zap.NewNop(),
		destOptions: []destkit.Option{destkit.OverrideHost("api.june.so", sink.URL)}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		d.wait()
	}()
	out := os.Getenv("ACTUATE_TEST_OUTPUT")
	if out == "" {
		out = filepath.Join(os.TempDir(), "actuate-test-output")
	}
	out = filepath.Join(out, "console")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", out)

	bctx, problems := startBrowser(t, ctx, browser)
	b := &browserRun{t: t, ctx: bctx, base: d.baseURL, out: out}

	// Destinations: the first page, and how long it takes to load.
	loadStart := time.Now()
	b.run(chromedp.Navigate(d.baseURL+"/console/"), chromedp.WaitVisible(`table[aria-label="Destinations"] a[href="/console/destinations/inspector"]`))
	// The wall clock of this first navigation also holds the fresh browser's start.
	if loaded := b.checkLoad("the destinations page", loadStart); loaded > 3*time.Second {
		t.Errorf("the destinations page took %v to show", loaded)
	}
	b.shot("01-destinations")

	// Catalog: search, open June, add it with Quick Setup.
	b.run(chromedp.Click(`a[href="/console/catalog"]`), chromedp.WaitVisible(`input[type=search]`),
		chromedp.SendKeys(`input[type=search]`, "june"), chromedp.WaitVisible(`a[href="/console/catalog/june"]`))
	b.shot("02-catalog")
	b.run(chromedp.Click(`a[href="/console/catalog/june"]`), chromedp.WaitVisible(`form input[type=password]`))
	b.shot("03-catalog-june")
	b.run(chromedp.SendKeys(`form input[type=password]`, "june-secret-key"), chromedp.Click(`#setup-quick`),
		chromedp.Click(`form button[type=submit]`), chromedp.WaitVisible(`table[aria-label="Mappings"] tr[data-mapping]`))
	june := b.api("GET", "/v1/destinations/june", "")
	mappings := june["mappings"].([]any)
	if len(mappings) != 4 || june["secrets"].(map[string]any)["apiKey"] != "set" || mappings[0].(map[string]any)["enabled"] != false {
		t.Fatalf("June after Quick Setup: %v", june)
	}
	b.wait(`table[aria-label="Mappings"]`, "Track Calls")
	b.shot("04-destination-mappings")
	track := mappings[0].(map[string]any)["id"].(string)

	// The mapping editor: load a test event from the source, coalesce and replace, preview,
	// Test Mapping, save.
	b.ingest(`{"userId":"ada","event":"Order Completed","timestamp":"2024-05-01T00:00:00Z","properties":{"order_id":"o-1","revenue":42}}`)
	b.click(`a[href="/console/destinations/june/mappings/`+track+`"]`, "")
	b.wait(`[data-field="userId"]`, "")
	b.click("button", "Load test event from source")
	b.wait(`pre[aria-label="Rendered payload"]`, `"Order Completed"`)
	b.setSelect(`[data-field="userId"] select`, "coalesce")
	b.setInput(`[data-field="userId"] .inputs input:nth-of-type(1)`, "$.userId")
	b.setInput(`[data-field="userId"] .inputs input:nth-of-type(2)`, "$.anonymousId")
	b.setSelect(`[data-field="event"] select`, "replace")
	b.setInput(`[data-field="event"] .inputs input:nth-of-type(2)`, "Order")
	b.setInput(`[data-field="event"] .inputs input:nth-of-type(3)`, "Purchase")
	b.wait(`pre[aria-label="Rendered payload"]`, `"Purchase Completed"`)
	b.shot("05-mapping-editor")
	b.click("button", "Test Mapping")
	b.wait(`aside`, "Response")
	b.wait(`aside`, "200")
	b.shot("06-test-mapping")
	mu.Lock()
	gotSink := strings.Join(sunk, "\n")
	mu.Unlock()
	if !strings.Contains(gotSink, "Purchase Completed") {
		t.Fatalf("Test Mapping did not reach June: %q", gotSink)
	}
	b.click("button", "Save mapping")
	b.wait(`table[aria-label="Mappings"]`, "")
	saved := b.api("GET", "/v1/destinations/june/mappings/"+track, "")
	if m, _ := json.Marshal(saved["mapping"]); !strings.Contains(string(m), `"@replace"`) || !strings.Contains(string(m), `"else":{"@path":"$.anonymousId"}`) {
		t.Fatalf("saved mapping: %s", m)
	}

	// Toggle, reorder, duplicate, delete: the API agrees.
	b.click(`tr[data-mapping="`+track+`"] input[role=switch]`, "")
	b.until("the mapping is enabled", func() bool {
		return b.api("GET", "/v1/destinations/june/mappings/"+track, "")["enabled"] == true
	})
	b.click(`tr[data-mapping="`+track+`"] button[aria-label^="Move"][aria-label$="down"]`, "")
	b.until("Track Calls is second", func() bool { return b.mappingIDs()[1] == track })
	b.click(`tr[data-mapping="`+track+`"] button`, "Duplicate")
	b.until("five mappings", func() bool { return len(b.mappingIDs()) == 5 })
	b.wait(`table[aria-label="Mappings"]`, "Track Calls (copy)")
	copyID := b.mappingIDs()[2]
	b.click(`tr[data-mapping="`+copyID+`"] button.danger`, "Delete")
	b.wait(`dialog[open]`, "cannot be restored")
	b.shot("07-delete-warning")
	b.click(`dialog[open] button.danger`, "")
	b.until("four mappings", func() bool { return len(b.mappingIDs()) == 4 })
	b.wait(`main`, "4 of 50 mappings")

	// The keyboard alone: rename a mapping with Enter and typing.
	page := b.mappingIDs()[0]
	b.js(`[...document.querySelectorAll('tr[data-mapping="`+page+`"] button')].find((e) => e.textContent === 'Rename').focus()`, nil)
	b.run(chromedp.KeyEvent("\r"))
	b.wait(`tr[data-mapping="`+page+`"] input[type=text]`, "")
	b.js(`document.activeElement.select()`, nil)
	b.run(chromedp.KeyEvent("Pages"), chromedp.KeyEvent("\r"))
	b.until("the rename reaches the API", func() bool {
		return b.api("GET", "/v1/destinations/june/mappings/"+page, "")["name"] == "Pages"
	})
	b.shot("08-destination-after-edits")

	// A new mapping: the action's default trigger in the condition builder, a second
	// condition, and the same trigger as FQL (converted by the API); nothing is saved.
	b.click("a.button", "New mapping")
	b.wait(`[data-condition="0"]`, "")
	b.click("button", "+ Add condition")
	b.setSelect(`[data-condition="1"] select`, "event_name")
	b.setInput(`[data-condition="1"] input:not([disabled])`, "Order Completed")
	b.setSelect(`#h-cond ~ div select`, "any")
	b.shot("09-new-mapping")
	b.click("button", "Edit as FQL")
	b.wait(`section[aria-labelledby="h-cond"] textarea`, "")
	var fql string
	b.js(`document.querySelector('section[aria-labelledby="h-cond"] textarea').value`, &fql)
	if fql != `type = "track" or event = "Order Completed"` {
		t.Errorf("the builder's trigger as FQL: %q", fql)
	}
	b.click("a", "Cancel")
	b.wait(`table[aria-label="Mappings"]`, "Track Calls")
	if n := len(b.mappingIDs()); n != 4 {
		t.Errorf("after cancelling a new mapping: %d mappings", n)
	}

	// A filter.
	b.click(`a[href="/console/destinations/june/filters"]`, "")
	b.click("button", "New filter")
	b.setInput(`form input[type=text]`, "Drop spam")
	b.setInput(`form textarea`, `event = "Spam"`)
	b.shot("10-filter-form")
	b.click(`form button[type=submit]`, "")
	b.wait(`table[aria-label="Filters"]`, "Drop spam")
	if fs := b.api("GET", "/v1/destinations/june/filters", "")["items"].([]any); len(fs) != 1 || fs[0].(map[string]any)["if"] != `event = "Spam"` {
		t.Fatalf("filters: %v", fs)
	}
	b.shot("11-filters")

	// The Event Tester, on a pasted event.
	b.click(`a[href="/console/destinations/june/tester"]`, "")
	b.setInput(`textarea`, `{"type":"track","event":"Order Completed","userId":"ada","messageId":"m-1","timestamp":"2024-05-01T00:00:00Z"}`)
	b.click("button", "Test event")
	b.wait(`[data-mapping="`+track+`"]`, "trigger matched")
	b.shot("12-event-tester")

	// Send events, one of which June refuses: a dead letter, replayed once June takes it.
	// The Delivery Overview counts them, and the replay.
	b.ingest(`{"userId":"u-dead","event":"Order Completed","timestamp":"2024-05-01T00:00:00Z","properties":{"order_id":"o-dead"}}`)
	for i := range 3 {
		b.ingest(fmt.Sprintf(`{"userId":"u-%d","event":"Order Completed","timestamp":"2024-05-01T00:00:00Z","properties":{"order_id":"o-%d"}}`, i, i))
	}
	b.until("the refused event is dead-lettered", func() bool {
		r := b.api("POST", "/v1/destinations/june/replay", `{"dry_run":true}`)
		n, _ := r["selected"].(float64)
		return n == 1
	})
	mu.Lock()
	refuse = false
	mu.Unlock()
	if r := b.api("POST", "/v1/destinations/june/replay", `{}`); r["outcomes"].(map[string]any)["replayed"] != 1.0 {
		t.Fatalf("replay: %v", r)
	}
	b.click(`a[href="/console/destinations/june/delivery"]`, "")
	b.wait(`table[aria-label="Delivery steps"]`, "")
	b.until("the overview counts delivered events", func() bool {
		var n string
		b.js(`document.querySelector('tr[data-step="Successful delivery"] td').textContent`, &n)
		return n != "" && n != "0"
	})
	b.wait(`tr[data-step="Replayed dead letters"]`, "replayed: 1")
	// The custom range's From and To show only once it is chosen.
	const fromTo = `document.querySelectorAll('main input[type=datetime-local]')`
	if n := b.shownCount(fromTo); n != 0 {
		t.Errorf("with the last hour chosen, %d of the custom range's From and To inputs show", n)
	}
	b.shot("13-delivery-overview")
	b.setSelect(`main .toolbar select`, "custom")
	b.until("From and To show for a custom range", func() bool { return b.shownCount(fromTo) == 2 })
	b.shot("13-delivery-overview-custom-range")
	b.setSelect(`main .toolbar select`, "1h")
	b.until("From and To hide again for the last hour", func() bool { return b.shownCount(fromTo) == 0 })

	// The settings: the secret shows as set, never its value.
	b.click(`a[href="/console/destinations/june/settings"]`, "")
	b.wait("form .badge", "set")
	b.shot("14-settings")

	// Sources with their tracking plans and violations, history, and a deep link on reload.
	b.api("POST", "/v1/tracking-plans", `{"id":"web-plan","events":{"Order Completed":{"properties":{"type":"object","required":["order_id"]}}},"on_violation":{"unplanned_events":"block"}}`)
	b.click(`a[href="/console/sources"]`, "")
	b.wait(`table[aria-label="Sources"]`, "web")
	b.click("#plan-web-plan button", "Show latest violations")
	b.wait("#plan-web-plan", "No violations seen")
	b.shot("15-sources")
	b.click(`a[href="/console/history"]`, "")
	b.wait(`table[aria-label="Config history"]`, "create filter")
	var entries int
	b.js(`document.querySelectorAll('table[aria-label="Config history"] tbody tr').length`, &entries)
	if entries >= 50 {
		t.Fatalf("history: %d entries, a page or more; the Older changes check needs fewer", entries)
	}
	if n := b.shownCount(`[...document.querySelectorAll('main button')].filter((e) => e.textContent === 'Older changes')`); n != 0 {
		t.Errorf("history: the Older changes button shows with %d entries, fewer than a page", entries)
	}
	b.shot("16-history")
	b.run(chromedp.Navigate(d.baseURL + "/console/destinations/june/filters"))
	b.wait(`table[aria-label="Filters"]`, "Drop spam")

	// An API error is shown next to its cause: adding June again under a taken id.
	b.run(chromedp.Navigate(d.baseURL + "/console/catalog/june"))
	b.wait(`form input[type=password]`, "")
	b.setInput(`form input[type=text]`, "june")
	b.click(`form button[type=submit]`, "")
	b.wait(`form .field-error`, "exists")
	b.shot("17-error-next-to-form")

	// A deep link loaded afresh: how long until the page shows.
	loadStart = time.Now()
	b.run(chromedp.Navigate(d.baseURL + "/console/destinations/june/mappings/" + track))
	b.wait(`[data-field="userId"]`, "")
	b.checkLoad("the mapping editor (deep link, reload)", loadStart)

	if p := problems(); len(p) > 0 {
		t.Errorf("the browser console reported errors:\n%s", strings.Join(p, "\n"))
	}
	t.Logf("browser flow took %v", time.Since(start).Round(time.Millisecond))
}

// TestConsoleDynamicFieldsAndHooks: in the mapping editor of a Klaviyo Upsert Profile
// mapping, the dynamic List field loads its choices from the vendor (an error of the vendor
// shown by the field first), a picked choice becomes the field's static value, and the
// Reverse ETL list hook runs from its form: a list the vendor does not know is reported by
// the input, a picked one is saved on the mapping with its outputs, which Save keeps.
// The vendor is an httptest server answering what the destination reads.
func TestConsoleDynamicFieldsAndHooks(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		t.Skip("no Chromium: install Debian's chromium (scripts/test.sh does) or set ACTUATE_CHROMIUM")
	}
	var mu sync.Mutex
	var seen []string
	failing := false
	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case failing:
			w.WriteHeader(503)
			io.WriteString(w, `{"errors":[{"code":"unavailable","detail":"try later"}]}`)
		case r.Method == "GET" && r.URL.Path == "/api/lists/":
			io.WriteString(w, `{"data":[{"type":"list","id":"L1","attributes":{"name":"Newsletter"}},`+
				`{"type":"list","id":"L2","attributes":{"name":"VIPs"}}],"links":{"next":null}}`)
		case r.Method == "GET" && r.URL.Path == "/api/lists/L2":
			io.WriteString(w, `{"data":{"type":"list","id":"L2","attributes":{"name":"VIPs"}}}`)
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"errors":[{"code":"not_found","detail":"A list with id nope does not exist."}]}`)
		}
	}))
	defer vendor.Close()
	setFailing := func(f bool) { mu.Lock(); failing = f; mu.Unlock() }

	ctx, cancel := context.WithCancel(context.Background())
	d, err := startDev(ctx, devOptions{listen: "127.0.0.1:0", log: zap.NewNop(),
		destOptions: []destkit.Option{destkit.OverrideHost("a.klaviyo.com", vendor.URL)}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		d.wait()
	}()
	bctx, problems := startBrowser(t, ctx, browser)
	b := &browserRun{t: t, ctx: bctx, base: d.baseURL, out: t.TempDir()}
	if out := os.Getenv("ACTUATE_TEST_OUTPUT"); out != "" {
		b.out = filepath.Join(out, "console")
		os.MkdirAll(b.out, 0o755)
	}
	if r := b.api("POST", "/v1/destinations", `{"id":"klaviyo","type":"klaviyo","sources":["web"],"enabled":true,"settings":{"api_key":"pk_test_1"}}`); r["id"] != "klaviyo" {
		t.Fatalf("creating Klaviyo: %v", r)
	}
	if r := b.api("POST", "/v1/destinations/klaviyo/mappings", `{"id":"profiles","action":"upsertProfile","trigger":"type = \"identify\"",
		"mapping":{"email":{"@path":"$.traits.email"}}}`); r["id"] != "profiles" {
		t.Fatalf("creating the mapping: %v", r)
	}

	b.run(chromedp.Navigate(d.baseURL + "/console/destinations/klaviyo/mappings/profiles"))
	b.wait(`[data-field="email"]`, "")
	// The dynamic List field: a vendor failure is shown by the field, then the choices.
	b.setSelect(`select[aria-label="Optional field to add"]`, "list_id")
	b.click(`button`, "+ Add field")
	setFailing(true)
	b.click(`[data-field="list_id"] button`, "Load choices")
	b.wait(`[data-field="list_id"] .field-error`, "answered with an error")
	setFailing(false)
	b.click(`[data-field="list_id"] button`, "Load choices")
	b.wait(`[data-field="list_id"] select[aria-label="Choices for List"]`, "VIPs (L2)")
	b.setSelect(`[data-field="list_id"] select[aria-label="Choices for List"]`, `"L2"`)
	var typed string
	b.js(`document.querySelector('[data-field="list_id"] .inputs input').value + '|' + document.querySelector('[data-field="list_id"] .field-error').textContent`, &typed)
	if typed != "L2|" {
		t.Errorf("after picking VIPs the List field holds %q, want L2 and no error", typed)
	}

	// The hook: choices for its input, an unknown list reported by the input, then a run.
	const hook = `[data-hook="retlOnMappingSave"]`
	b.click(hook+` button`, "Load choices")
	b.wait(hook+` select[aria-label="Choices for Existing List ID"]`, "Newsletter (L1)")
	b.shot("20-mapping-dynamic-and-hook")
	b.setInput(hook+` input[type=text]`, "nope")
	b.click(hook+` button`, "Run")
	b.wait(hook+` .field-error`, "does not exist")
	b.setSelect(hook+` select[aria-label="Choices for Existing List ID"]`, `"L2"`)
	b.click(hook+` button`, "Run")
	b.wait(hook+` dl[aria-label="Outputs of Connect to a static list in Klaviyo"] dd`, "VIPs")
	b.shot("21-mapping-hook-ran")
	saved := b.api("GET", "/v1/destinations/klaviyo/mappings/profiles", "")["mapping"].(map[string]any)
	entry, _ := json.Marshal(saved["retlOnMappingSave"])
	if string(entry) != `{"inputs":{"list_identifier":"L2"},"outputs":{"id":"L2","name":"VIPs"}}` {
		t.Fatalf("the hook saved %s on the mapping", entry)
	}

	// Save keeps the hook's entry beside the picked List.
	b.click(`button.primary`, "Save mapping")
	b.wait(`main h1`, "")
	b.until("the mapping is saved with its List", func() bool {
		m := b.api("GET", "/v1/destinations/klaviyo/mappings/profiles", "")["mapping"].(map[string]any)
		e, _ := json.Marshal(m["retlOnMappingSave"])
		return m["list_id"] == "L2" && string(e) == string(entry)
	})
	mu.Lock()
	for _, s := range seen {
		if !strings.HasSuffix(s, " Klaviyo-API-Key pk_test_1") {
			t.Errorf("the vendor saw %q without the instance's key", s)
		}
	}
	mu.Unlock()
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser console reported errors:\n%s", strings.Join(p, "\n"))
	}
}

// TestConsoleSignIn: under `actuate serve` the console asks for the API token, says so
// when it is wrong, and keeps it only in the tab's sessionStorage.
func TestConsoleSignIn(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		t.Skip("no Chromium: install Debian's chromium (scripts/test.sh does) or set ACTUATE_CHROMIUM")
	}
	mem := configstore.NewMemory(destinations.Get)
	mux := newAPIMux(control.New(control.Options{Store: mem, Lookup: destinations.Get, Token: "s3cret"}), http.NotFoundHandler())
	mux.Handle(console.Prefix, console.Handler(console.Options{}))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bctx, problems := startBrowser(t, ctx, browser)
	b := &browserRun{t: t, ctx: bctx, base: srv.URL, out: t.TempDir()}
	b.run(chromedp.Navigate(srv.URL + "/console/catalog"))
	b.wait("main h1", "Sign in")
	b.setInput(`input[type=password]`, "wrong")
	b.click(`form button[type=submit]`, "Sign in")
	b.wait(`form .error`, "That token was refused")
	b.setInput(`input[type=password]`, "s3cret")
	b.click(`form button[type=submit]`, "Sign in")
	b.wait("main h1", "Catalog")
	var stored string
	b.js(`sessionStorage.getItem('actuate.token') + '|' + localStorage.length`, &stored)
	if stored != "s3cret|0" {
		t.Errorf("token storage: %q, want it in sessionStorage only", stored)
	}
	b.click("#who button", "Sign out")
	b.wait("main h1", "Sign in")
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser console reported errors:\n%s", strings.Join(p, "\n"))
	}
}

// startBrowser starts headless Chromium with the flags this machine needs and returns its
// context and a function listing every error the pages reported: exceptions,
// console.error, and browser log entries other than HTTP statuses (the console shows
// those itself, next to their cause).
func startBrowser(t *testing.T, ctx context.Context, browser string) (context.Context, func() []string) {
	t.Helper()
	profile := browserProfileDir(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900))...)
	t.Cleanup(cancelAlloc)
	// This chromedp predates some of Chromium's DOM events (top-layer changes of <dialog>)
	// and reports each; the helpers below do not rely on its DOM tracking.
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unhandled node event") {
			t.Logf("chromedp: %s", msg)
		}
	}))
	t.Cleanup(cancelBrowser)
	bctx, cancelTimeout := context.WithTimeout(bctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, "console.error: "+strings.Join(args, " "))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError && e.Entry.Source != log.SourceNetwork {
				problems = append(problems, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})
	if err := chromedp.Run(bctx, chromedp.ActionFunc(func(ctx context.Context) error { return log.Enable().Do(ctx) })); err != nil {
		t.Fatalf("starting %s: %v", browser, err)
	}
	return bctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// browserProfileDir is Chromium's user data directory. Not t.TempDir: Chromium's helper
// processes (crash handler, utility processes) can still write to it for a moment after the
// browser is stopped, and t.TempDir fails the test when its removal meets a file created
// meanwhile. This one is removed once those writes settle, retried for a few seconds.
func browserProfileDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "actuate-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var err error
		for range 50 {
			if err = os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("leaving Chromium's profile %s: %v", dir, err)
	})
	return dir
}

func findChromium() string {
	if p := os.Getenv("ACTUATE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

type browserRun struct {
	t    *testing.T
	ctx  context.Context
	base string
	out  string
}

func (b *browserRun) run(actions ...chromedp.Action) {
	b.t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		b.shot("failure")
		b.t.Fatalf("browser: %v", err)
	}
}

// unlabelled lists the shown controls a screen reader could not name.
const unlabelled = `[...document.querySelectorAll('input, select, textarea, button')]
  .filter((e) => e.getClientRects().length && e.type !== 'hidden' && !(e.labels && e.labels.length) &&
    !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
  .map((e) => e.outerHTML.slice(0, 100))`

// shot writes a screenshot of the page, and checks that every control on it is labelled.
func (b *browserRun) shot(name string) {
	var bare []string
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(unlabelled, &bare)); err != nil {
		b.t.Errorf("%s: checking labels: %v", name, err)
	} else if len(bare) > 0 {
		b.t.Errorf("%s: controls without a label: %v", name, bare)
	}
	var png []byte
	if err := chromedp.Run(b.ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.WriteFile(filepath.Join(b.out, name+".png"), png, 0o644)
}

// The helpers below query the page with JavaScript rather than chromedp's DOM node
// tracking, which loses track of the page after a modal <dialog> on recent Chromium.

// js evaluates an expression, failing the test on a JavaScript error.
func (b *browserRun) js(expr string, out any) {
	b.t.Helper()
	b.run(chromedp.Evaluate(expr, out))
}

// find is a JavaScript expression for the first element matching a CSS selector that
// contains text (any text when empty).
func find(sel, text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll(%q)].find((e) => e.getClientRects().length > 0 && e.textContent.includes(%q))`, sel, text)
}

// wait waits until an element matching sel and containing text is shown.
func (b *browserRun) wait(sel, text string) {
	b.t.Helper()
	b.until(fmt.Sprintf("%s shows %q", sel, text), func() bool {
		var ok bool
		chromedp.Run(b.ctx, chromedp.Evaluate("!!("+find(sel, text)+")", &ok))
		return ok
	})
}

// click clicks the first shown element matching sel that contains text.
func (b *browserRun) click(sel, text string) {
	b.t.Helper()
	b.wait(sel, text)
	b.js("("+find(sel, text)+").click()", nil)
}

// setInput sets a text control's value as typing would, firing input.
func (b *browserRun) setInput(sel, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false; el.value = %q; el.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`, sel, value)
	var ok bool
	b.wait(sel, "")
	b.js(js, &ok)
	if !ok {
		b.t.Fatalf("no %s", sel)
	}
}

// setSelect chooses an option of a select, firing change.
func (b *browserRun) setSelect(sel, value string) {
	b.t.Helper()
	b.wait(sel, "")
	b.js(fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q; el.dispatchEvent(new Event('change', {bubbles: true})) })()`, sel, value), nil)
}

// checkLoad logs how long what took to show since start, and fails the test when the
// page's own load, as the browser times it (what a user waits for), took over a second.
// It returns the wall-clock time.
func (b *browserRun) checkLoad(what string, start time.Time) time.Duration {
	b.t.Helper()
	shown := time.Since(start)
	var loadEvent float64
	b.run(chromedp.Evaluate(`performance.getEntriesByType('navigation')[0].loadEventEnd`, &loadEvent))
	b.t.Logf("%s: shown %v after navigating (load event at %.0f ms)", what, shown.Round(time.Millisecond), loadEvent)
	if loadEvent > 1000 {
		b.t.Errorf("%s took %v to show (load event at %.0f ms)", what, shown, loadEvent)
	}
	return shown
}

// shownCount counts the elements of a JavaScript list expression that are rendered
// (hidden ones, by the attribute or by CSS, have no layout boxes).
func (b *browserRun) shownCount(list string) int {
	b.t.Helper()
	var n int
	b.js(`[...`+list+`].filter((e) => e.getClientRects().length > 0).length`, &n)
	return n
}

func (b *browserRun) until(what string, cond func() bool) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			b.shot("failure")
			var text string
			chromedp.Run(b.ctx, chromedp.Evaluate(`document.querySelector('main').innerText`, &text))
			b.t.Fatalf("timed out waiting until %s; the page says:\n%s", what, text)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (b *browserRun) api(method, path, body string) map[string]any {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+devAPIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return out
}

func (b *browserRun) mappingIDs() []string {
	var ids []string
	for _, m := range b.api("GET", "/v1/destinations/june/mappings", "")["items"].([]any) {
		ids = append(ids, m.(map[string]any)["id"].(string))
	}
	return ids
}

func (b *browserRun) ingest(event string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+"/v1/track", strings.NewReader(event))
	req.SetBasicAuth("dev", "")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.t.Fatalf("ingest: %d", resp.StatusCode)
	}
}
