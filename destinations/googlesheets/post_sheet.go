package googlesheets

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// PostSheet upserts rows keyed by record identifier, the first version of
// the action: each event's operation_type decides ("deleted" leaves the
// sheet alone, anything else writes the row).
var PostSheet = &destkit.Action{
	Key:                 "postSheet",
	Title:               "Post Sheet",
	Description:         "Write a record as a row: update the row with the same identifier, or append one.",
	DefaultSubscription: `event = "updated" or event = "new"`,
	Fields: []destkit.Field{
		recordIdentifier,
		{Key: "operation_type", Label: "Operation Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "new or updated write the row (upsert); deleted leaves it as it is."},
		spreadsheetID, spreadsheetName, dataFormat, columnFields, enableBatching, batchSize, batchBytes,
	},
	Batch: sheetBatch,
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return sync(ctx, d, []*fastjson.Value{in.Payload}, operationRule)
	},
	RunBatch: func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		return batchErrors(len(in.Payloads), sync(ctx, d, in.Payloads, operationRule))
	},
}

func operationRule(p *fastjson.Value) writeRule {
	if string(p.GetStringBytes("operation_type")) == "deleted" {
		return writeRule{}
	}
	return writeRule{update: true, append: true}
}
