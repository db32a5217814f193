package kafka

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/valyala/fastjson"
)

// Send produces one record per event. The Doer is unused: there is no HTTP.
var Send = &destkit.Action{
	Key:                 "send",
	Title:               "Send",
	Description:         "Produce the mapped payload as a JSON record.",
	DefaultSubscription: `type = "track" or type = "identify" or type = "page" or type = "screen" or type = "group"`,
	Fields: []destkit.Field{
		{Key: "topic", Label: "Topic", Type: destkit.String, Required: true, Dynamic: topicChoices,
			Description: "Topic to produce to."},
		{Key: "payload", Label: "Payload", Type: destkit.Object, Required: true,
			Default:     `{"@path":"$."}`,
			Description: "Record value, sent as JSON; by default the whole event."},
		{Key: "headers", Label: "Headers", Type: destkit.Object,
			Description: "Record headers, as name to string value."},
		{Key: "partition", Label: "Partition", Type: destkit.Integer,
			Description: "Partition to write to; overrides the key."},
		{Key: "default_partition", Label: "Default Partition", Type: destkit.Integer,
			Description: "Partition to write to when Partition is not mapped."},
		{Key: "key", Label: "Message Key", Type: destkit.String,
			Description: "Record key; records with the same key go to the same partition."},
		{Key: "enable_batching", Label: "Batch Data to Kafka?", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Produce records in batches."},
		{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true,
			Default:     `["topic","partition","default_partition"]`,
			Description: "Fields whose values must match for records to share a batch."},
		{Key: "batch_bytes", Label: "Batch Bytes", Type: destkit.Number, Min: 5000,
			Default:     `1000000`,
			Description: "Largest batch size in bytes."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number,
			Default:     `1002`,
			Description: "Largest number of records per batch."},
	},
	Batch: &destkit.Batch{MaxSize: 1002, Keys: []string{"topic", "partition", "default_partition"}},
	Run: func(ctx context.Context, _ destkit.Doer, in *destkit.Input) error {
		cl, err := producerFor(in.Settings)
		if err != nil {
			return err
		}
		return produceError(cl.ProduceSync(ctx, record(ctx, in.Payload)).FirstErr())
	},
	RunBatch: func(ctx context.Context, _ destkit.Doer, in *destkit.BatchInput) []error {
		errs := make([]error, len(in.Payloads))
		cl, err := producerFor(in.Settings)
		if err != nil {
			for i := range errs {
				errs[i] = err
			}
			return errs
		}
		recs := make([]*kgo.Record, len(in.Payloads))
		index := make(map[*kgo.Record]int, len(recs))
		for i, p := range in.Payloads {
			recs[i] = record(ctx, p)
			index[recs[i]] = i
		}
		// Results arrive in completion order, not record order.
		for _, res := range cl.ProduceSync(ctx, recs...) {
			errs[index[res.Record]] = produceError(res.Err)
		}
		return errs
	},
}

// record builds the Kafka record of one payload.
func record(ctx context.Context, p *fastjson.Value) *kgo.Record {
	r := &kgo.Record{
		Topic: string(p.GetStringBytes("topic")),
		Value: destkit.AppendValue(nil, p.Get("payload")),
	}
	if k := p.Get("key"); k != nil {
		r.Key = []byte(k.GetStringBytes())
	}
	if h := p.GetObject("headers"); h != nil {
		h.Visit(func(k []byte, v *fastjson.Value) {
			val := v.GetStringBytes()
			if v.Type() != fastjson.TypeString {
				val = v.MarshalTo(nil)
			}
			r.Headers = append(r.Headers, kgo.RecordHeader{Key: string(k), Value: append([]byte(nil), val...)})
		})
	}
	part := p.Get("partition")
	if part == nil {
		part = p.Get("default_partition")
	}
	r.Context = ctx
	if part != nil {
		r.Partition = int32(part.GetInt())
		r.Context = context.WithValue(ctx, manualPartition{}, true)
	}
	return r
}
