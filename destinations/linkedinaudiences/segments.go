package linkedinaudiences

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Segment types of LinkedIn's DMP segments.
const (
	userSegment    = "USER"
	companySegment = "COMPANY"
)

// restliProtocol is the Rest.li protocol version the company endpoints ask for.
const restliProtocol = "2.0.0"

// segmentID returns the id of the ad account's DMP segment of kind for the
// audience key, looking it up (and creating it, named name, when missing)
// the first time the instance meets the key. The audience kit keeps the id.
func segmentID(ctx context.Context, d destkit.Doer, aud *destkit.Audiences, s *destkit.Settings, kind, key, name string) (string, error) {
	find := func(ctx context.Context) (string, error) { return findOrCreateSegment(ctx, d, s, kind, key, name) }
	if aud == nil {
		return find(ctx)
	}
	return aud.Once(ctx, strings.ToLower(kind)+":"+key, find)
}

func findOrCreateSegment(ctx context.Context, d destkit.Doer, s *destkit.Settings, kind, key, name string) (string, error) {
	q := url.Values{}
	q.Set("q", "account")
	q.Set("account", account(s))
	q.Set("sourceSegmentId", key)
	q.Set("sourcePlatform", sourcePlatform)
	get := destkit.Request{Method: "GET", URL: apiBase + "/dmpSegments?" + q.Encode()}
	if kind == companySegment {
		get.SetHeader("X-Restli-Protocol-Version", restliProtocol)
	}
	resp, err := d.Do(ctx, &get)
	if err != nil {
		return "", statusError(kind, resp, err)
	}
	v, _ := fastjson.ParseBytes(resp.Body)
	for _, seg := range v.GetArray("elements") {
		// A user segment is the first one LinkedIn lists for the key, as in
		// Segment; a company segment must say it is one.
		if kind == userSegment || string(seg.GetStringBytes("type")) == companySegment {
			if id := idText(seg.Get("id")); id != "" {
				return id, nil
			}
		}
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("name")
	w.String(name)
	w.Key("sourcePlatform")
	w.String(sourcePlatform)
	w.Key("sourceSegmentId")
	w.String(key)
	w.Key("account")
	w.String(account(s))
	w.Key("type")
	w.String(kind)
	w.Key("destinations")
	w.Raw([]byte(`[{"destination":"LINKEDIN"}]`))
	w.ObjectEnd()
	create := destkit.NewJSONRequest("POST", apiBase+"/dmpSegments", w.Bytes())
	if kind == companySegment {
		create.SetHeader("X-Restli-Protocol-Version", restliProtocol)
	}
	resp, err = d.Do(ctx, &create)
	if err != nil {
		return "", statusError(kind, resp, err)
	}
	// LinkedIn names the new segment in a header.
	for _, h := range []string{"X-Linkedin-Id", "X-Restli-Id"} {
		if id := resp.Header.Get(h); id != "" {
			return id, nil
		}
	}
	return "", &destkit.IntegrationError{Code: "CREATE_SEGMENT_FAILURE", Retryable: true,
		Message: "LinkedIn created the DMP segment for " + key + " but returned no id"}
}

// idText is a segment id, a number or a string in LinkedIn's answers.
func idText(v *fastjson.Value) string {
	switch {
	case v == nil:
		return ""
	case v.Type() == fastjson.TypeString:
		return string(v.GetStringBytes())
	case v.Type() == fastjson.TypeNumber:
		return string(v.MarshalTo(nil))
	}
	return ""
}

// statusError decides what a failed LinkedIn call means. A 404 is retried
// for both kinds: a segment created moments ago takes a minute or two to
// accept members. The company endpoints also retry a conflict (two syncs
// creating the same segment) and LinkedIn's transient statuses, as Segment
// does. Anything else keeps its usual meaning (a 401 renews the token).
func statusError(kind string, resp *destkit.Response, err error) error {
	var api *destkit.APIError
	if resp == nil || !errors.As(err, &api) {
		return err
	}
	switch api.Status {
	case 404:
		return &destkit.RetryableError{Err: err}
	case 409, 408, 423:
		if kind == companySegment {
			return &destkit.RetryableError{Err: err}
		}
	}
	return err
}
