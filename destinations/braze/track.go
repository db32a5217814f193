package braze

import (
	"strconv"
	"strings"

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
	if withEmail {
		// Segment sends the mapped email with the other identifiers; Braze
		// uses it only when none of them names a user.
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

var (
	errNoIdentifier = destkit.ValidationErrorf("external_id",
		"One of External ID, User Alias, Braze ID or Email is required.")
	errNoProfileIdentifier = destkit.ValidationErrorf("external_id",
		"One of External ID, User Alias or Braze ID is required.")
)

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
	r := destkit.NewJSONRequest("POST", endpoint(in.Settings, "/users/track"), w.Bytes())
	if n > 1 {
		// Braze applies its batch rate limits to requests that say so.
		r.SetHeader("X-Braze-Batch", "true")
	}
	return []destkit.Request{r}, nil
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

// existingOnly decides a record's _update_existing_only flag: whether to
// write it at all, its value, or why the payload cannot be sent.
type existingOnly func(p *fastjson.Value) (write, value bool, err error)

// fieldExistingOnly is the V1 actions' flag: the mapped field, written
// whenever it is mapped, false included, as Segment does (its default
// mapping sets false).
func fieldExistingOnly(p *fastjson.Value) (bool, bool, error) {
	return p.Get("_update_existing_only") != nil, p.GetBool("_update_existing_only"), nil
}

// syncModeExistingOnly is the V2 actions' flag, taken from the
// subscription's sync mode: "add" may create users, "update" only touches
// users Braze already has. The flag is always written so the mode chosen
// is visible on the wire.
func syncModeExistingOnly(modes ...string) existingOnly {
	return func(p *fastjson.Value) (bool, bool, error) {
		m := string(p.GetStringBytes(destkit.SyncModeKey))
		for _, ok := range modes {
			if m == ok {
				return true, m == "update", nil
			}
		}
		return false, false, destkit.ValidationErrorf(destkit.SyncModeKey,
			"Sync mode %q is not supported; use %s.", m, strings.Join(modes, " or "))
	}
}

// checkRecords rejects the payloads that lack an identifier or a valid
// sync mode, so the rest of the batch still goes out.
func checkRecords(in *destkit.BatchInput, emailCounts bool, eo existingOnly) {
	for i, p := range in.Payloads {
		if !identified(p, emailCounts) {
			if emailCounts {
				in.Reject(i, errNoIdentifier)
			} else {
				in.Reject(i, errNoProfileIdentifier)
			}
			continue
		}
		if _, _, err := eo(p); err != nil {
			in.Reject(i, err)
		}
	}
}

// writeExistingOnly writes the record's _update_existing_only flag.
func writeExistingOnly(w *destkit.JSONWriter, p *fastjson.Value, eo existingOnly) {
	if write, v, _ := eo(p); write {
		w.Key("_update_existing_only")
		w.Bool(v)
	}
}
