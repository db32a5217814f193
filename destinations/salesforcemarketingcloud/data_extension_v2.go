package salesforcemarketingcloud

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// DataExtensionV2 upserts an event's row into the data extension the
// mapping's hook chose.
var DataExtensionV2 = &destkit.Action{
	Key:         "dataExtensionV2",
	Title:       "Send Event to Data Extension (V2)",
	Description: "Upsert a row for each event into the data extension selected or created when the mapping was saved.",
	Fields: []destkit.Field{
		keysV2Field, eventValuesV2Field, enableBatchingField, batchSizeField,
	},
	Hooks:        v2Hooks,
	Batch:        rowsetBatch,
	Run:          upsertHooked,
	PerformBatch: upsertHookedBatch,
	BatchStatus:  rowsetStatus,
}

func upsertHooked(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	id, err := hookedID(in.Payload)
	if err != nil {
		return err
	}
	u, err := rowsetURL(in.Settings, id)
	if err != nil {
		return err
	}
	return upsertOne(ctx, d, u, in.Payload)
}

func upsertHookedBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	return upsertBatch(in, func(p *fastjson.Value) (string, error) {
		id, err := hookedID(p)
		if err != nil {
			return "", err
		}
		return rowsetURL(in.Settings, id)
	})
}
