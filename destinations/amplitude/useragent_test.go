package amplitude

import (
	"testing"

	"github.com/actuate/actuate/destinations/desttest"
)

// The expected values are what ua-parser-js 0.7 (Amplitude's fork, which Segment's actions
// use) reports for the same user agents; the parity test holds more of them to Segment.
func TestParseUserAgent(t *testing.T) {
	for ua, want := range map[string]uaInfo{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36": {
			osName: "Mac OS", browserName: "Chrome", browserMajor: "120", vendor: "Apple", model: "Macintosh"},
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1": {
			osName: "iOS", browserName: "Mobile Safari", browserMajor: "17", vendor: "Apple", model: "iPhone", kind: "mobile"},
		"Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36": {
			osName: "Android", browserName: "Samsung Browser", browserMajor: "23", vendor: "Samsung", model: "SM-S911B", kind: "mobile"},
		"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36": {
			osName: "Android", browserName: "Chrome", browserMajor: "120", model: "K", kind: "mobile"},
		"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko": {
			osName: "Windows", browserName: "IE", browserMajor: "11"},
	} {
		if got := parseUserAgent(ua); got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", ua, got, want)
		}
	}
}

// TestLogEventParsesUserAgent: parsed fields fill what the mapping leaves empty; the
// browser's major version stands in for the OS version, as in Segment.
func TestLogEventParsesUserAgent(t *testing.T) {
	srv := desttest.NewServer(t)
	p := desttest.Validate(t, Definition, "logEventV2", `{"user_id":"u-1","event_type":"Viewed","userAgentParsing":true,`+
		`"userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",`+
		`"os_name":"iPadOS"}`)
	send(t, srv, LogEventV2, p, settings)
	desttest.JSONEqual(t, srv.Only(t).Body, `{"api_key":"amp-key","events":[{"os_version":"17","device_manufacturer":"Apple",`+
		`"device_model":"iPhone","device_type":"mobile","user_id":"u-1","event_type":"Viewed","os_name":"iPadOS","library":"segment"}]}`)
}
