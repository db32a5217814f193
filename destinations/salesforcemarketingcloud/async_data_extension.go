package salesforcemarketingcloud

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// AsyncDataExtension upserts rows through SFMC's asynchronous bulk API into
// the data extension the mapping's hook chose.
var AsyncDataExtension = &destkit.Action{
	Key:         "asyncDataExtension",
	Title:       "Send Event asynchronously to Data Extension",
	Description: "Queue rows for an asynchronous upsert into the data extension selected or created when the mapping was saved.",
	Fields: []destkit.Field{
		keysV2Field, eventValuesV2Field,
		{Key: "enable_batching", Label: "Batch data to SFMC", Type: destkit.Boolean, Default: `true`,
			Description: "Send rows in batches; the asynchronous API is meant for large ones."},
		{Key: "batch_bytes", Label: "Batch Bytes", Type: destkit.Number, Default: `5000000`,
			Description: "Largest request body, in bytes; a batch beyond it is split over several requests."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Min: 1000, Max: 30000, Default: `28000`,
			Description: "Most rows in one batch (1,000 to 30,000)."},
		{Key: "subscription_type", Label: "Subscription Type", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "sync", Label: "Sync"}, {Value: "async", Label: "Async"}},
			Default:     `"async"`,
			Description: "How the subscription delivers; rows always go through the asynchronous endpoint."},
	},
	Hooks:        v2Hooks,
	Batch:        &destkit.Batch{MaxSize: 28000},
	Perform:      asyncUpsert,
	PerformBatch: asyncUpsertBatch,
}

// defaultBatchBytes is the body limit when the payload gives none.
const defaultBatchBytes = 5_000_000

func asyncUpsert(in *destkit.Input) ([]destkit.Request, error) {
	return asyncRequests(&destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}, false)
}

func asyncUpsertBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	return asyncRequests(in, true)
}

// asyncRequests writes {items: [{...keys, ...values}, …]} requests, each
// body at most batch_bytes (a single row beyond it still goes alone).
func asyncRequests(in *destkit.BatchInput, batch bool) ([]destkit.Request, error) {
	var u string
	limit := defaultBatchBytes
	var reqs []destkit.Request
	var rows [][]byte
	var events []int
	size := 0
	flush := func() {
		if len(rows) == 0 {
			return
		}
		w := destkit.NewJSONWriter(make([]byte, 0, size+16))
		w.ObjectStart()
		w.Key("items")
		w.ArrayStart()
		for _, r := range rows {
			w.Raw(r)
		}
		w.ArrayEnd()
		w.ObjectEnd()
		r := destkit.NewJSONRequest("PUT", u, w.Bytes())
		if batch {
			r.Events = events
		}
		reqs = append(reqs, r)
		rows, events, size = nil, nil, 0
	}
	for i, p := range in.Payloads {
		if err := checkRow(p); err != nil {
			if !batch {
				return nil, err
			}
			in.Reject(i, err)
			continue
		}
		if u == "" {
			id, err := hookedID(p)
			if err == nil {
				u, err = restURL(in.Settings, "/data/v1/async/dataextensions/"+escapePath(id)+"/rows")
			}
			if err != nil {
				return nil, err
			}
			if n := p.GetInt("batch_bytes"); n > 0 {
				limit = n
			}
		}
		var row destkit.JSObject
		row.Assign(p.Get("keys"), nil)
		row.Assign(p.Get("values"), nil)
		b := row.AppendJSON(nil)
		if size > 0 && size+len(b)+1 > limit {
			flush()
		}
		rows, events, size = append(rows, b), append(events, i), size+len(b)+1
	}
	flush()
	return reqs, nil
}
