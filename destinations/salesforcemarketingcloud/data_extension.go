package salesforcemarketingcloud

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// DataExtension upserts an event's row into a data extension named by key
// or id in the mapping.
var DataExtension = &destkit.Action{
	Key:         "dataExtension",
	Title:       "Send Event to Data Extension",
	Description: "Upsert a row into a data extension, named by its external key or id, for each event.",
	Fields: []destkit.Field{
		deKeyField, deIDField, keysField, eventValuesField, enableBatchingField, batchSizeField,
	},
	Batch:        &destkit.Batch{MaxSize: rowsetBatch.MaxSize, Keys: []string{"key", "id"}},
	Run:          upsertKeyed,
	PerformBatch: upsertKeyedBatch,
	BatchStatus:  rowsetStatus,
}

func upsertKeyed(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	u, err := keyedRowsetURL(in.Settings, in.Payload)
	if err != nil {
		return err
	}
	return upsertOne(ctx, d, u, in.Payload)
}

func upsertKeyedBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	return upsertBatch(in, func(p *fastjson.Value) (string, error) { return keyedRowsetURL(in.Settings, p) })
}
