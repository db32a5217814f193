package klaviyo

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent records a metric event on a profile; batches go through an
// event bulk create job.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Record an event (a Klaviyo metric) on a profile.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		eventProfileField("email"),
		{Key: "metric_name", Label: "Metric Name", Type: destkit.String, Required: true, Default: `{"@path":"$.event"}`,
			Description: "Name of the event; Klaviyo creates the metric on first use."},
		propertiesField(`{"@path":"$.properties"}`, true),
		timeField,
		valueField,
		uniqueIDField,
		enableBatchingField(`true`),
		batchSizeField(100, 1000, `1000`),
	},
	Batch:        &destkit.Batch{MaxSize: 1000},
	Perform:      trackEvent,
	PerformBatch: trackEventBatch,
	BatchStatus:  trackEventStatus,
}

// eventProfile checks the profile of an event and returns its E.164 phone
// number.
func eventProfile(p *fastjson.Value) (*fastjson.Value, string, error) {
	prof := p.Get("profile")
	phone, err := phoneOf(prof, "profile.phone_number")
	if err != nil {
		return nil, "", err
	}
	if prof.Get("email") == nil && phone == "" && prof.Get("external_id") == nil && prof.Get("anonymous_id") == nil {
		return nil, "", errNoEventID
	}
	if !externalIDOK(prof) {
		return nil, "", errLongID
	}
	return prof, phone, nil
}

// writeProfileData writes {"data":{"type":"profile","attributes":{...}}}:
// the event's profile object without country_code.
func writeProfileData(w *destkit.JSONWriter, prof *fastjson.Value, phone string) {
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("profile")
	w.Key("attributes")
	w.ObjectStart()
	writeAttributes(w, prof, phone, "country_code")
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
}

func writeMetric(w *destkit.JSONWriter, name *fastjson.Value) {
	w.Key("metric")
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("metric")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("name")
	w.Value(name)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
}

func eventTime(p *fastjson.Value) (string, error) {
	t := p.Get("time")
	if t == nil {
		return "", nil
	}
	s, ok := isoTime(t)
	if !ok {
		return "", destkit.ValidationErrorf("time", "Time is not a date Klaviyo can read.")
	}
	return s, nil
}

func trackEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	prof, phone, err := eventProfile(p)
	if err != nil {
		return nil, err
	}
	at, err := eventTime(p)
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("event")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("properties")
	w.Value(p.Get("properties"))
	w.StringField("time", at)
	w.Field("value", p.Get("value"))
	w.Field("unique_id", p.Get("unique_id"))
	writeMetric(w, p.Get("metric_name"))
	w.Key("profile")
	writeProfileData(w, prof, phone)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest(http.MethodPost, apiBase+"/events/", w.Bytes())}, nil
}

func trackEventBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 256+512*len(in.Payloads)))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("event-bulk-create-job")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("events-bulk-create")
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	n := 0
	for i, p := range in.Payloads {
		prof, phone, err := eventProfile(p)
		var at string
		if err == nil {
			at, err = eventTime(p)
		}
		if err != nil {
			in.Reject(i, err)
			continue
		}
		n++
		w.ObjectStart()
		w.Key("type")
		w.String("event-bulk-create")
		w.Key("attributes")
		w.ObjectStart()
		w.Key("profile")
		writeProfileData(w, prof, phone)
		w.Key("events")
		w.ObjectStart()
		w.Key("data")
		w.ArrayStart()
		w.ObjectStart()
		w.Key("type")
		w.String("event")
		w.Key("attributes")
		w.ObjectStart()
		writeMetric(w, p.Get("metric_name"))
		w.Key("properties")
		w.Value(p.Get("properties"))
		w.StringField("time", at)
		w.Field("value", p.Get("value"))
		w.Field("unique_id", p.Get("unique_id"))
		w.ObjectEnd()
		w.ObjectEnd()
		w.ArrayEnd()
		w.ObjectEnd()
		w.ObjectEnd()
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	if n == 0 {
		return nil, nil
	}
	return []destkit.Request{destkit.NewJSONRequest(http.MethodPost, apiBase+"/event-bulk-create-jobs/", w.Bytes())}, nil
}

var bulkEventPointer = regexp.MustCompile(`/data/attributes/events-bulk-create/data/(\d+)`)

// trackEventStatus reads a rejected event bulk job. Klaviyo rejects the
// whole job but points at the offending events; those fail with Klaviyo's
// status and detail, and the others are retried, since nothing was wrong
// with them.
func trackEventStatus(resp *destkit.Response, events []int, _ *destkit.BatchInput) []error {
	err := destkit.StatusError(resp)
	if err == nil {
		return make([]error, len(events))
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil || v.Get("errors") == nil {
		return batchErrors(len(events), err)
	}
	errs := make([]error, len(events))
	matched := 0
	for _, e := range v.GetArray("errors") {
		m := bulkEventPointer.FindSubmatch(e.GetStringBytes("source", "pointer"))
		if m == nil {
			continue
		}
		k, _ := strconv.Atoi(string(m[1]))
		if k >= len(events) || errs[k] != nil {
			continue
		}
		status := e.GetInt("status")
		if status == 0 {
			status = resp.Status
		}
		errs[k] = &destkit.APIError{Status: status, Code: string(e.GetStringBytes("code")), Body: []byte(e.GetStringBytes("detail"))}
		matched++
	}
	if matched == 0 {
		// Nothing singled out: the job as a whole was refused.
		return batchErrors(len(events), err)
	}
	for k := range errs {
		if errs[k] == nil {
			errs[k] = &destkit.RetryableError{Err: errBatchSibling}
		}
	}
	return errs
}

var errBatchSibling = &destkit.IntegrationError{Code: "RETRYABLE_BATCH_FAILURE",
	Message: "not delivered because other events of the same batch were rejected by Klaviyo", Retryable: true}
