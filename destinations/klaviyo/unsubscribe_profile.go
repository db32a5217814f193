package klaviyo

import (
	"net/http"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UnsubscribeProfile revokes email and/or SMS marketing consent through
// Klaviyo's subscription bulk delete jobs.
var UnsubscribeProfile = &destkit.Action{
	Key:                 "unsubscribeProfile",
	Title:               "Unsubscribe Profile",
	Description:         "Unsubscribe a profile from email and/or SMS marketing, optionally from a list only.",
	DefaultSubscription: `type = "track" and event = "User Unsubscribed"`,
	Fields: consentFields([]destkit.Field{
		enableBatchingField(""),
		batchKeysField(`["list_id"]`),
		batchSizeField(50, 100, `100`),
	}),
	Batch:        &destkit.Batch{MaxSize: 100, Keys: []string{"list_id"}},
	Perform:      unsubscribeProfile,
	PerformBatch: unsubscribeProfileBatch,
}

func unsubscriptionJob(in *destkit.BatchInput, idx []int, phones []string, list string) destkit.Request {
	w := destkit.NewJSONWriter(make([]byte, 0, 256+256*len(idx)))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("profile-subscription-bulk-delete-job")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("profiles")
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	for _, i := range idx {
		writeConsentProfile(w, in.Payloads[i], phones[i], "UNSUBSCRIBED", nil)
	}
	w.ArrayEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	writeListRelationship(w, list)
	w.ObjectEnd()
	w.ObjectEnd()
	// Klaviyo's path for this job has no trailing slash, unlike the others.
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/profile-subscription-bulk-delete-jobs", w.Bytes())
	r.Events = idx
	return r
}

func unsubscribeProfile(in *destkit.Input) ([]destkit.Request, error) {
	phone, err := consentOf(in.Payload)
	if err != nil {
		return nil, err
	}
	b := &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}
	r := unsubscriptionJob(b, []int{0}, []string{phone}, string(in.Payload.GetStringBytes("list_id")))
	r.Events = nil
	return []destkit.Request{r}, nil
}

func unsubscribeProfileBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	phones := make([]string, len(in.Payloads))
	for i, p := range in.Payloads {
		phone, err := consentOf(p)
		if err != nil {
			in.Reject(i, err)
			continue
		}
		phones[i] = phone
	}
	gs := groupBy(in, func(p *fastjson.Value) (string, string) { return string(p.GetStringBytes("list_id")), "" })
	if len(gs) > maxSubscriptionJob {
		return nil, destkit.ValidationErrorf("list_id", "Exceeded maximum allowed batches due to too many unique list_ids")
	}
	var reqs []destkit.Request
	for _, g := range gs {
		for _, c := range chunks(g.idx, subscriptionChunk) {
			reqs = append(reqs, unsubscriptionJob(in, c, phones, g.list))
		}
	}
	return reqs, nil
}
