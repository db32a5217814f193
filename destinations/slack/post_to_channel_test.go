package slack

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const hook = "https://hooks.slack.com/services/T000/B000/XXXX"

func TestPostToChannel(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 200, Body: "ok", Header: map[string]string{"Content-Type": "text/plain"}})
	inst := desttest.Instance(t, Definition, nil)
	// What the default mapping renders for a track event, plus the two
	// fields a user fills in.
	p := desttest.Validate(t, Definition, "postToChannel", `{"url":"`+hook+`","text":"*Order Completed* by u-1 for $42.50",`+
		`"channel":"#sales","username":"Segment","icon_url":"https://logo.clearbit.com/segment.com"}`)
	if err := srv.Client().Send(context.Background(), inst, PostToChannel, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/services/T000/B000/XXXX" || r.RawQuery != "" {
		t.Fatalf("got %s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Content-Type", "application/json")
	desttest.JSONEqual(t, r.Body, `{"channel":"#sales","text":"*Order Completed* by u-1 for $42.50",`+
		`"username":"Segment","icon_url":"https://logo.clearbit.com/segment.com"}`)
}

func TestPostToChannelRejectsForeignURL(t *testing.T) {
	for _, u := range []string{"https://evil.example.com/services/x", "http://hooks.slack.com/services/x", "https://hooks.slack.com.evil.io/x"} {
		p := desttest.Validate(t, Definition, "postToChannel", `{"url":"`+u+`","text":"hi"}`)
		err := destkit.NewClient().Send(context.Background(), desttest.Instance(t, Definition, nil), PostToChannel, p)
		if destkit.Classify(err).Outcome != destkit.Fail {
			t.Errorf("%s: got %v", u, err)
		}
	}
}

func TestPostToChannelErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{
		400: destkit.Fail, 403: destkit.Fail, 404: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry, 503: destkit.Retry,
	} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: "invalid_token"})
		p := desttest.Validate(t, Definition, "postToChannel", `{"url":"`+hook+`","text":"hi"}`)
		err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, nil), PostToChannel, p)
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%d: got %v (%v)", status, got, err)
		}
	}
}
