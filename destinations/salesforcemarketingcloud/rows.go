package salesforcemarketingcloud

import (
	"bytes"
	"context"
	"errors"
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// The fields every data extension action shares.
var (
	deKeyField = destkit.Field{Key: "key", Label: "Data Extension Key", Type: destkit.String,
		Description: "External key of the data extension; either it or the data extension ID is needed."}
	deIDField = destkit.Field{Key: "id", Label: "Data Extension ID", Type: destkit.String,
		Description: "Id (object id) of the data extension, used when no key is given."}
	keysField = destkit.Field{Key: "keys", Label: "Data Extension Primary Key", Type: destkit.Object, Required: true, AdditionalProperties: true,
		Description: "The row's primary key columns and their values."}
	contactKeysField = destkit.Field{Key: "keys", Label: "Data Extension Primary Key", Type: destkit.Object, Required: true, AdditionalProperties: true,
		Default:     `{"contactKey":{"@path":"$.userId"}}`,
		Description: "The row's primary key columns and their values; contactKey links the row to the contact.",
		Properties: []destkit.Field{
			{Key: "contactKey", Label: "Contact Key", Type: destkit.String, Required: true,
				Description: "The contact the row belongs to."},
		}}
	eventValuesField = destkit.Field{Key: "values", Label: "Data Extension Fields", Type: destkit.Object, Required: true,
		Description: "The row's other columns and their values."}
	contactValuesField = destkit.Field{Key: "values", Label: "Contact Fields", Type: destkit.Object, Required: true,
		Description: "The contact's columns in the data extension and their values."}
	enableBatchingField = destkit.Field{Key: "enable_batching", Label: "Batch data to SFMC", Type: destkit.Boolean, Default: `false`,
		Description: "Upsert rows in batches rather than one request per event."}
	batchSizeField = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `10`,
		Description: "Most rows in one batch."}
)

// The V2 actions' keys and values list the chosen data extension's columns.
var (
	keysV2Field          = withChoices(keysField, columnChoices(true))
	contactKeysV2Field   = withChoices(contactKeysField, columnChoices(true))
	eventValuesV2Field   = withChoices(eventValuesField, columnChoices(false))
	contactValuesV2Field = withChoices(contactValuesField, columnChoices(false))
)

func withChoices(f destkit.Field, choices destkit.DynamicChoices) destkit.Field {
	f.Dynamic = choices
	return f
}

// rowsetBatch is the batch of the rowset actions: Segment's default of ten
// rows a request.
var rowsetBatch = &destkit.Batch{MaxSize: 10}

// Hooks of the V2 actions: choose or create the data extension when the
// mapping is saved. Both save the same outputs; retlOnMappingSave is the
// one reverse-ETL mappings use.
var (
	dataExtensionHook = destkit.Hook{
		Key:         "onMappingSave",
		Label:       "Create or Select Data Extension",
		Description: "Pick the data extension rows are written to, or create one with the given columns.",
		Inputs:      hookInputs,
		Outputs:     hookOutputs,
		Run:         selectOrCreateDataExtension,
	}
	retlDataExtensionHook = destkit.Hook{
		Key:         "retlOnMappingSave",
		Label:       "Create or Select Data Extension",
		Description: "Pick or create the data extension for a reverse-ETL mapping.",
		Inputs:      hookInputs,
		Outputs:     hookOutputs,
		Run:         selectOrCreateDataExtension,
	}
	v2Hooks = []destkit.Hook{dataExtensionHook, retlDataExtensionHook}
)

var (
	onCreate = &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "operation", Operator: "is", Value: "create"}}}
	sendable = &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "isSendable", Operator: "is", Value: true}}}

	hookInputs = []destkit.Field{
		{Key: "operation", Label: "Operation", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "create", Label: "Create a new Data Extension"}, {Value: "select", Label: "Select an existing Data Extension"}},
			Description: "Use an existing data extension or create one."},
		{Key: "dataExtensionId", Label: "Data Extension ID", Type: destkit.String, Dynamic: dataExtensionChoices,
			Description: "The existing data extension (chosen from the account's data extensions)."},
		{Key: "categoryId", Label: "Category ID (Folder ID)", Type: destkit.String, RequiredIf: onCreate, Dynamic: categoryChoices,
			Description: "Folder of the new data extension (chosen from the data extension folders)."},
		{Key: "name", Label: "Data Extension Name", Type: destkit.String, RequiredIf: onCreate,
			Description: "Name of the new data extension."},
		{Key: "description", Label: "Data Extension Description", Type: destkit.String,
			Description: "Description of the new data extension."},
		{Key: "isSendable", Label: "Is Sendable", Type: destkit.Boolean,
			Description: "Whether emails can be sent to the new data extension's rows."},
		{Key: "sendableCustomObjectField", Label: "Sendable Custom Object Field", Type: destkit.String, RequiredIf: sendable,
			Description: "Column that holds the subscriber of a sendable data extension."},
		{Key: "sendableSubscriberField", Label: "Sendable Subscriber Field", Type: destkit.String, RequiredIf: sendable,
			Choices:     []destkit.Choice{{Value: "_SubscriberKey", Label: "Subscriber Key"}, {Value: "_SubscriberID", Label: "Subscriber ID"}},
			Description: "Subscriber attribute that column relates to."},
		{Key: "columns", Label: "Data Extension Fields", Type: destkit.Object, Multiple: true, AdditionalProperties: true, RequiredIf: onCreate,
			Description: "Columns of the new data extension.",
			Properties: []destkit.Field{
				{Key: "name", Label: "Field Name", Type: destkit.String, Required: true, Description: "Column name."},
				{Key: "type", Label: "Field Type", Type: destkit.String, Required: true,
					Choices:     destkit.ChoiceValues("Text", "Number", "Date", "Boolean", "EmailAddress", "Phone", "Decimal", "Locale"),
					Description: "Column type."},
				{Key: "isNullable", Label: "Is Nullable", Type: destkit.Boolean, Required: true, Description: "Whether the column may be empty."},
				{Key: "isPrimaryKey", Label: "Is Primary Key", Type: destkit.Boolean, Required: true, Description: "Whether the column is part of the primary key."},
				{Key: "length", Label: "Field Length", Type: destkit.Integer, Description: "Longest value of a text column."},
				{Key: "scale", Label: "Decimal Scale", Type: destkit.Integer, Description: "Digits after the point of a decimal column."},
				{Key: "description", Label: "Field Description", Type: destkit.String, Description: "Description of the column."},
			}},
	}
	hookOutputs = []destkit.Field{
		{Key: "id", Label: "Data Extension ID", Type: destkit.String, Required: true, Description: "Id of the data extension rows go to."},
		{Key: "name", Label: "Data Extension Name", Type: destkit.String, Required: true, Description: "Its name."},
	}
)

// hookedID returns the data extension id a V2 mapping's hook saved.
func hookedID(p *fastjson.Value) (string, error) {
	for _, h := range v2Hooks {
		if id := destkit.HookOutput(p, h.Key, "id").GetStringBytes(); len(id) > 0 {
			return string(id), nil
		}
	}
	return "", destkit.ValidationErrorf(dataExtensionHook.Key,
		"No Data Extension Connected: the mapping needs onMappingSave.outputs.id (or retlOnMappingSave.outputs.id).")
}

// keyedRowsetURL is the rowset endpoint of a V1 payload's data extension:
// by key when it has one, else by id.
func keyedRowsetURL(s *destkit.Settings, p *fastjson.Value) (string, error) {
	if key := p.GetStringBytes("key"); len(key) > 0 {
		return restURL(s, "/hub/v1/dataevents/key:"+escapePath(string(key))+"/rowset")
	}
	if id := p.GetStringBytes("id"); len(id) > 0 {
		return rowsetURL(s, string(id))
	}
	return "", destkit.ValidationErrorf("key", "Either the Data Extension Key or the Data Extension ID is required.")
}

func rowsetURL(s *destkit.Settings, id string) (string, error) {
	return restURL(s, "/hub/v1/dataevents/"+escapePath(id)+"/rowset")
}

// writeRow writes {keys, values}.
func writeRow(w *destkit.JSONWriter, p *fastjson.Value) {
	w.ObjectStart()
	w.Field("keys", p.Get("keys"))
	w.Field("values", p.Get("values"))
	w.ObjectEnd()
}

func checkRow(p *fastjson.Value) error {
	for _, k := range []string{"keys", "values"} {
		if p.Get(k) == nil {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}

// upsertOne upserts one payload's row at u, reading SFMC's lock error as
// retryable.
func upsertOne(ctx context.Context, d destkit.Doer, u string, p *fastjson.Value) error {
	if err := checkRow(p); err != nil {
		return err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ArrayStart()
	writeRow(w, p)
	w.ArrayEnd()
	r := destkit.NewJSONRequest("POST", u, w.Bytes())
	resp, err := d.Do(ctx, &r)
	return rowsetError(resp, err)
}

// upsertBatch writes every valid payload's row to u in one request; url
// picks the data extension from the batch's first valid payload (they all
// share it: its fields are batch keys).
func upsertBatch(in *destkit.BatchInput, url func(p *fastjson.Value) (string, error)) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 256*len(in.Payloads)))
	w.ArrayStart()
	u := ""
	for i, p := range in.Payloads {
		if err := checkRow(p); err != nil {
			in.Reject(i, err)
			continue
		}
		if u == "" {
			var err error
			if u, err = url(p); err != nil {
				return nil, err
			}
		}
		writeRow(w, p)
	}
	w.ArrayEnd()
	if u == "" {
		return nil, nil
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
}

// rowsetStatus applies a rowset response to every row of the request.
func rowsetStatus(resp *destkit.Response, events []int, _ *destkit.BatchInput) []error {
	err := rowsetError(resp, destkit.StatusError(resp))
	out := make([]error, len(events))
	for i := range out {
		out[i] = err
	}
	return out
}

// rowsetError turns SFMC's transient "Unable to save rows" answer (400,
// errorcode 10006, no additionalErrors) into a retry.
func rowsetError(resp *destkit.Response, err error) error {
	var api *destkit.APIError
	if err == nil || resp == nil || !errors.As(err, &api) || api.Status != 400 {
		return err
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil || v.GetInt("errorcode") != 10006 || present(v.Get("additionalErrors")) ||
		!bytes.Contains(v.GetStringBytes("message"), []byte("Unable to save rows for data extension ID")) {
		return err
	}
	return &destkit.RetryableError{Err: err}
}

// present reports whether v is set to something other than null.
func present(v *fastjson.Value) bool { return v != nil && v.Type() != fastjson.TypeNull }

// escapePath escapes a data extension key or id for a URL path segment.
func escapePath(s string) string { return url.PathEscape(s) }
