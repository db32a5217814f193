package googlesheets

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// PostSheet2 is Post Sheet with the subscription's sync mode in place of a
// per-event operation type: upsert updates found rows and appends the
// others, add only appends, update only rewrites rows that exist.
var PostSheet2 = &destkit.Action{
	Key:                 "postSheet2",
	Title:               "Post Sheet V2",
	Description:         "Write a record as a row according to the sync mode: upsert, add (new identifiers only) or update (existing rows only).",
	DefaultSubscription: `event = "updated" or event = "new"`,
	Fields: []destkit.Field{
		recordIdentifier, spreadsheetID, spreadsheetName, dataFormat, columnFields, enableBatching, batchSize, batchBytes,
	},
	Batch: sheetBatch,
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		rule, err := syncModeRule(in.Payload)
		if err != nil {
			return err
		}
		return sync(ctx, d, []*fastjson.Value{in.Payload}, func(*fastjson.Value) writeRule { return rule })
	},
	RunBatch: func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		// A batch holds one mapping's events, so one sync mode.
		rule, err := syncModeRule(in.Payloads[0])
		if err != nil {
			return batchErrors(len(in.Payloads), err)
		}
		return batchErrors(len(in.Payloads), sync(ctx, d, in.Payloads, func(*fastjson.Value) writeRule { return rule }))
	},
}

// syncModeRule reads the subscription's sync mode. Segment also lets delete
// and mirror through to the action, which then writes only the header row;
// here they are rejected, as the action offers neither.
func syncModeRule(p *fastjson.Value) (writeRule, error) {
	switch m := string(p.GetStringBytes(destkit.SyncModeKey)); m {
	case "upsert":
		return writeRule{update: true, append: true}, nil
	case "add":
		return writeRule{append: true}, nil
	case "update":
		return writeRule{update: true}, nil
	case "":
		return writeRule{}, destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode is required for this action; use upsert, add or update.")
	default:
		return writeRule{}, destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use upsert, add or update.", m)
	}
}
