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
		reqs, err := trackEvents(b, fieldExistingOnly)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return trackEvents(in, fieldExistingOnly) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "events", sequential(in))
	},
}

// TrackEvent2 is TrackEvent with the existing-users switch taken from the
// subscription's sync mode instead of a field.
var TrackEvent2 = &destkit.Action{
	Key:                 "trackEvent2",
	Title:               "Track Event V2",
	Description:         "Record a custom event for a user in Braze; the sync mode decides whether unknown users are created.",
	DefaultSubscription: `type = "track" and event != "Order Completed"`,
	Fields:              []destkit.Field{externalID, userAlias, email, brazeID, name, timeField, properties, enableBatching, batchSize},
	Batch:               &destkit.Batch{MaxSize: maxBatch},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		b := single(in)
		reqs, err := trackEvents(b, addOrUpdate)
		return firstError(b, reqs, err)
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) { return trackEvents(in, addOrUpdate) },
	BatchStatus: func(resp *destkit.Response, events []int, in *destkit.BatchInput) []error {
		return trackStatus(resp, events, "events", sequential(in))
	},
}

var addOrUpdate = syncModeExistingOnly("add", "update")

func trackEvents(in *destkit.BatchInput, eo existingOnly) ([]destkit.Request, error) {
	checkRecords(in, true, eo)
	return trackRequest(in, "events", func(w *destkit.JSONWriter, _ int, p *fastjson.Value) int {
		w.ObjectStart()
		writeIdentity(w, p, in.Settings, true)
		w.Field("name", p.Get("name"))
		w.Field("time", p.Get("time"))
		w.Field("properties", p.Get("properties"))
		writeExistingOnly(w, p, eo)
		w.ObjectEnd()
		return 1
	})
}
