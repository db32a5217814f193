package klaviyo

import (
	"net/http"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SubscribeProfile records marketing consent for email and/or SMS through
// Klaviyo's subscription bulk create jobs, optionally into a list.
var SubscribeProfile = &destkit.Action{
	Key:                 "subscribeProfile",
	Title:               "Subscribe Profile",
	Description:         "Subscribe a profile to email and/or SMS marketing, optionally to a list.",
	DefaultSubscription: `type = "track" and event = "User Subscribed"`,
	Fields: consentFields([]destkit.Field{
		{Key: "custom_source", Label: "Custom Source ($source)", Type: destkit.String, Default: `"-59"`,
			Description: "Source recorded with the consent in Klaviyo; -59 stands for Segment."},
		{Key: "historical_import", Label: "Historical Import", Type: destkit.Boolean, Default: `false`,
			Description: "Import consent given in the past: the consent date is kept and no double opt-in message is sent."},
		{Key: "consented_at", Label: "Consented At", Type: destkit.Datetime, Default: `{"@path":"$.timestamp"}`,
			Description: "When consent was given; only sent for historical imports."},
		enableBatchingField(""),
		batchKeysField(`["list_id","custom_source","historical_import"]`),
		batchSizeField(100, 1000, `1000`),
	}),
	Batch:        &destkit.Batch{MaxSize: 1000, Keys: []string{"list_id", "custom_source", "historical_import"}},
	Perform:      subscribeProfile,
	PerformBatch: subscribeProfileBatch,
}

// Subscription jobs take at most 100 profiles, and Klaviyo allows few
// concurrent jobs, hence the cap on distinct list and source pairs.
const (
	subscriptionChunk  = 100
	maxSubscriptionJob = 9
)

func consentOf(p *fastjson.Value) (string, error) {
	phone, err := phoneOf(p, "phone_number")
	if err != nil {
		return "", err
	}
	if p.Get("email") == nil && phone == "" {
		return "", errNoContact
	}
	return phone, nil
}

// writeConsentProfile writes one profile of a subscription job. consent is
// SUBSCRIBED or UNSUBSCRIBED; consentedAt is nil unless importing history.
func writeConsentProfile(w *destkit.JSONWriter, p *fastjson.Value, phone, consent string, consentedAt *fastjson.Value) {
	w.ObjectStart()
	w.Key("type")
	w.String("profile")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("subscriptions")
	w.ObjectStart()
	channel := func(name string, transactional bool) {
		w.Key(name)
		w.ObjectStart()
		w.Key("marketing")
		w.ObjectStart()
		w.Key("consent")
		w.String(consent)
		if consentedAt != nil {
			w.Key("consented_at")
			w.Value(consentedAt)
		}
		w.ObjectEnd()
		if transactional {
			w.Key("transactional")
			w.ObjectStart()
			w.Key("consent")
			w.String(consent)
			w.ObjectEnd()
		}
		w.ObjectEnd()
	}
	unsubscribe := consent == "UNSUBSCRIBED"
	if p.Get("email") != nil {
		channel("email", false)
	}
	if phone != "" {
		// Revoking SMS consent revokes transactional messages too.
		channel("sms", unsubscribe)
	}
	w.ObjectEnd()
	w.Field("email", p.Get("email"))
	w.StringField("phone_number", phone)
	w.ObjectEnd()
	w.ObjectEnd()
}

func writeListRelationship(w *destkit.JSONWriter, list string) {
	if list == "" {
		return
	}
	w.Key("relationships")
	w.ObjectStart()
	w.Key("list")
	w.ObjectStart()
	w.Key("data")
	writeRef(w, "list", list)
	w.ObjectEnd()
	w.ObjectEnd()
}

// subscriptionJob writes one profile-subscription-bulk-create-job request.
func subscriptionJob(in *destkit.BatchInput, idx []int, phones []string, list, source string, historical bool) destkit.Request {
	w := destkit.NewJSONWriter(make([]byte, 0, 256+256*len(idx)))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("profile-subscription-bulk-create-job")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("historical_import")
	w.Bool(historical)
	w.Key("profiles")
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	for _, i := range idx {
		p := in.Payloads[i]
		var at *fastjson.Value
		if p.GetBool("historical_import") {
			at = p.Get("consented_at")
		}
		writeConsentProfile(w, p, phones[i], "SUBSCRIBED", at)
	}
	w.ArrayEnd()
	w.ObjectEnd()
	if source == "" {
		source = "-59"
	}
	w.Key("custom_source")
	w.String(source)
	w.ObjectEnd()
	writeListRelationship(w, list)
	w.ObjectEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/profile-subscription-bulk-create-jobs/", w.Bytes())
	r.Events = idx
	return r
}

func subscribeProfile(in *destkit.Input) ([]destkit.Request, error) {
	phone, err := consentOf(in.Payload)
	if err != nil {
		return nil, err
	}
	b := &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}
	p := in.Payload
	r := subscriptionJob(b, []int{0}, []string{phone}, string(p.GetStringBytes("list_id")),
		string(p.GetStringBytes("custom_source")), p.GetBool("historical_import"))
	r.Events = nil
	return []destkit.Request{r}, nil
}

// group is the events of a batch that go to one list (and source).
type group struct {
	list, source string
	idx          []int
}

// groupBy splits the valid events by key, in order of first appearance.
func groupBy(in *destkit.BatchInput, key func(p *fastjson.Value) (string, string)) []*group {
	var gs []*group
	byKey := map[[2]string]*group{}
	for i, p := range in.Payloads {
		if in.Rejected(i) != nil {
			continue
		}
		l, s := key(p)
		g := byKey[[2]string{l, s}]
		if g == nil {
			g = &group{list: l, source: s}
			byKey[[2]string{l, s}] = g
			gs = append(gs, g)
		}
		g.idx = append(g.idx, i)
	}
	return gs
}

func chunks(idx []int, n int) [][]int {
	var out [][]int
	for len(idx) > n {
		out = append(out, idx[:n:n])
		idx = idx[n:]
	}
	return append(out, idx)
}

func subscribeProfileBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	phones := make([]string, len(in.Payloads))
	for i, p := range in.Payloads {
		phone, err := consentOf(p)
		if err != nil {
			in.Reject(i, err)
			continue
		}
		phones[i] = phone
	}
	gs := groupBy(in, func(p *fastjson.Value) (string, string) {
		return string(p.GetStringBytes("list_id")), string(p.GetStringBytes("custom_source"))
	})
	if len(gs) > maxSubscriptionJob {
		return nil, destkit.ValidationErrorf("list_id", "Exceeded maximum allowed batches due to unique list_id and custom_source pairings")
	}
	// Segment takes the historical flag of the batch's first event; the
	// batch keys make it the same for all.
	historical := len(in.Payloads) > 0 && in.Payloads[0].GetBool("historical_import")
	var reqs []destkit.Request
	for _, g := range gs {
		for _, c := range chunks(g.idx, subscriptionChunk) {
			reqs = append(reqs, subscriptionJob(in, c, phones, g.list, g.source, historical))
		}
	}
	return reqs, nil
}
