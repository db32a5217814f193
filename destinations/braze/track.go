package braze

import (
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Braze's /users/track takes up to 75 records per array in one request.
const maxBatch = 75

// writeIdentity writes the user identifier fields Braze accepts on every
// record, and the app ID.
func writeIdentity(w *destkit.JSONWriter, p *fastjson.Value, s *destkit.Settings, withEmail bool) {
	w.Field("external_id", p.Get("external_id"))
	w.Field("user_alias", p.Get("user_alias"))
	w.Field("braze_id", p.Get("braze_id"))
	if withEmail && p.Get("external_id") == nil && p.Get("user_alias") == nil && p.Get("braze_id") == nil {
		// Email identifies the user only when nothing stronger is given;
		// otherwise Braze would read it as an attribute update.
		w.Field("email", p.Get("email"))
	}
	if app := s.Str("app_id"); app != "" {
		w.Key("app_id")
		w.String(app)
	}
}

// identified reports whether p names the user in a way Braze accepts.
func identified(p *fastjson.Value, emailCounts bool) bool {
	return p.Get("external_id") != nil || p.Get("user_alias") != nil || p.Get("braze_id") != nil ||
		(emailCounts && p.Get("email") != nil)
}

var errNoIdentifier = destkit.ValidationErrorf("external_id",
	"One of External ID, User Alias, Braze ID or Email is required.")

// trackRequest builds one /users/track request whose array (events,
// attributes or purchases) holds the records written by each; owners maps
// every record written to its payload index, for reading errors back.
func trackRequest(in *destkit.BatchInput, array string, each func(w *destkit.JSONWriter, i int, p *fastjson.Value) int) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(in.Payloads)))
	w.ObjectStart()
	w.Key(array)
	w.ArrayStart()
	n := 0
	for i, p := range in.Payloads {
		if in.Rejected(i) != nil {
			continue
		}
		n += each(w, i, p)
	}
	w.ArrayEnd()
	w.ObjectEnd()
	if n == 0 {
		return nil, nil
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/users/track"), w.Bytes())}, nil
}

// trackStatus reads a /users/track response. Braze answers 201 even when
// some records failed, listing them as errors with the array name and the
// record index; owners maps record indices back to the events of the
// request.
func trackStatus(resp *destkit.Response, events []int, array string, owners []int) []error {
	errs := make([]error, len(events))
	if err := destkit.StatusError(resp); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return errs
	}
	pos := make(map[int]int, len(events)) // payload index -> position in events
	for k, j := range events {
		pos[j] = k
	}
	for _, e := range v.GetArray("errors") {
		if string(e.GetStringBytes("input_array")) != array {
			continue
		}
		i := e.GetInt("index")
		if i < 0 || i >= len(owners) {
			continue
		}
		if k, ok := pos[owners[i]]; ok && errs[k] == nil {
			errs[k] = &destkit.APIError{Status: 400, Code: "BRAZE_" + strconv.Itoa(i), Body: e.GetStringBytes("type")}
		}
	}
	return errs
}

// single wraps one event as a batch of one.
func single(in *destkit.Input) *destkit.BatchInput {
	return &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}
}

// sequential returns the record owners when each payload is one record.
func sequential(in *destkit.BatchInput) []int {
	var owners []int
	for i := range in.Payloads {
		if in.Rejected(i) == nil {
			owners = append(owners, i)
		}
	}
	return owners
}

// firstError turns the rejection of a single event into its error.
func firstError(in *destkit.BatchInput, reqs []destkit.Request, err error) ([]destkit.Request, error) {
	if err != nil {
		return nil, err
	}
	if e := in.Rejected(0); e != nil {
		return nil, e
	}
	return reqs, nil
}
