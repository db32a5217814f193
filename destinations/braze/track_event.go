package braze

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent records custom events.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Record a custom event for a user in Braze.",
	DefaultSubscription: `type = "track" and event != "Order Completed"`,
	Fields:              []destkit.Field{externalID, userAlias, email, brazeID, name, timeField, properties, updateExistingOnly, enableBatching, batchSize},
	Batch:               &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := trackEvents(b)
		return firstError(b, reqs, err)
	},
	PerformBatch: trackEvents,
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "events", sequential(in))
	},
}

func trackEvents(in *destkit.BatchInput) ([]destkit.Request, error) {
	for i, p := range in.Payloads {
		if !identified(p, true) {
			in.Reject(i, errNoIdentifier)
		}
	}
	return trackRequest(in, "events", func(w *destkit.JSONWriter, _ int, p *fastjson.Value) int {
		w.ObjectStart()
		writeIdentity(w, p, in.Settings, true)
		w.Field("name", p.Get("name"))
		w.Field("time", p.Get("time"))
		w.Field("properties", p.Get("properties"))
		if p.GetBool("_update_existing_only") {
			w.Key("_update_existing_only")
			w.Bool(true)
		}
		w.ObjectEnd()
		return 1
	})
}
