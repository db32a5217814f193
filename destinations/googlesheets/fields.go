package googlesheets

import "github.com/actuate/actuate/destinations/destkit"

// Fields both actions share, in Segment's order.
var (
	recordIdentifier = destkit.Field{Key: "record_identifier", Label: "Record Identifier", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.__segment_id"}`,
		Description: "Identifier of the record; rows are matched on it (column A)."}
	spreadsheetID = destkit.Field{Key: "spreadsheet_id", Label: "Spreadsheet ID", Type: destkit.String, Required: true,
		Default:     `""`,
		Description: "ID of the spreadsheet, from its URL (https://docs.google.com/spreadsheets/d/{ID}/edit)."}
	spreadsheetName = destkit.Field{Key: "spreadsheet_name", Label: "Spreadsheet Name", Type: destkit.String, Required: true,
		Default:     `"Sheet1"`,
		Description: "Name of the sheet (tab) to write to; it must exist."}
	dataFormat = destkit.Field{Key: "data_format", Label: "Data Format", Type: destkit.String, Required: true,
		Choices:     []destkit.Choice{{Value: "RAW", Label: "Raw"}, {Value: "USER_ENTERED", Label: "User Entered"}},
		Default:     `"RAW"`,
		Description: "RAW stores values as given; USER_ENTERED parses them as if typed (formulas, dates)."}
	columnFields = destkit.Field{Key: "fields", Label: "Fields", Type: destkit.Object, Required: true,
		Description: "Columns to write, as column name to value; the first event of a batch sets the columns."}
	enableBatching = destkit.Field{Key: "enable_batching", Label: "Batch Data to Google Sheets", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Write rows in batches (recommended: each batch is one read and at most two writes)."}
	batchSize = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Required: true,
		Default:     `1001`,
		Description: "Largest number of rows per batch."}
	batchBytes = destkit.Field{Key: "batch_bytes", Label: "Batch Bytes", Type: destkit.Number, Required: true,
		Default:     `2000000`,
		Description: "Largest batch size in bytes."}
)

// sheetBatch groups events by the sheet they write to.
var sheetBatch = &destkit.Batch{MaxSize: 1001, Keys: []string{"spreadsheet_id", "spreadsheet_name", "data_format"}}
