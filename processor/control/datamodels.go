package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/workspace"
)

// DataModelRows is what the API needs of the data model rows: processor/datamodel's
// Store.
type DataModelRows interface {
	Get(model, key string) ([]byte, bool)
	// PutRows writes rows (a nil value deletes) and returns once they are readable here.
	PutRows(ctx context.Context, model *workspace.DataModel, rows []datamodel.Row) (int, error)
}

// MaxRowsBody bounds a POST of NDJSON rows; `actuate models load` sends larger files in
// parts.
const MaxRowsBody = 32 << 20

// rowBody is a row as the API answers it.
type rowBody struct {
	Model string          `json:"model"`
	Key   string          `json:"key"`
	Row   json.RawMessage `json:"row"`
}

// loadAnswer answers a POST of NDJSON rows.
type loadAnswer struct {
	Written int                   `json:"written"`
	Error   string                `json:"error,omitempty"`
	Lines   []datamodel.LineError `json:"lines,omitempty"`
}

// dataModel finds the model of the request in the workspace in force, or answers why not.
func (a *API) dataModel(w http.ResponseWriter, r *http.Request) *workspace.DataModel {
	if a.opts.DataModels == nil {
		writeError(w, http.StatusNotImplemented, "data model rows are not served by this process", nil)
		return nil
	}
	id := r.PathValue("id")
	for _, m := range a.opts.Store.Workspace().DataModels {
		if m.ID == id {
			return m
		}
	}
	writeError(w, http.StatusNotFound, "no data model has the id "+id+" in the config in force (declare it under data_models)", nil)
	return nil
}

func (a *API) getRow(w http.ResponseWriter, r *http.Request) {
	m := a.dataModel(w, r)
	if m == nil {
		return
	}
	key := r.PathValue("key")
	row, ok := a.opts.DataModels.Get(m.ID, key)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("data model %s has no row with the key %q", m.ID, key), nil)
		return
	}
	writeJSON(w, http.StatusOK, rowBody{Model: m.ID, Key: key, Row: row})
}

func (a *API) putRow(w http.ResponseWriter, r *http.Request) {
	m := a.dataModel(w, r)
	if m == nil {
		return
	}
	key := r.PathValue("key")
	if err := datamodel.CheckKey(key); err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, datamodel.MaxLineLength+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error(), nil)
		return
	}
	if len(body) > datamodel.MaxLineLength {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("a row is at most %d bytes", datamodel.MaxLineLength), nil)
		return
	}
	if _, err := datamodel.ParseRow(body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid row: "+err.Error(), nil)
		return
	}
	var compact bytes.Buffer
	json.Compact(&compact, body) // valid JSON: ParseRow said so
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	if _, err := a.opts.DataModels.PutRows(ctx, m, []datamodel.Row{{Key: key, Value: compact.Bytes()}}); err != nil {
		a.rowsFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rowBody{Model: m.ID, Key: key, Row: compact.Bytes()})
}

func (a *API) deleteRow(w http.ResponseWriter, r *http.Request) {
	m := a.dataModel(w, r)
	if m == nil {
		return
	}
	key := r.PathValue("key")
	if err := datamodel.CheckKey(key); err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	if _, err := a.opts.DataModels.PutRows(ctx, m, []datamodel.Row{{Key: key}}); err != nil {
		a.rowsFailed(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// loadRows writes NDJSON rows, each keyed by its key_column (default "key"). Every line is
// checked first: with any bad line nothing is written and the answer lists each by number.
func (a *API) loadRows(w http.ResponseWriter, r *http.Request) {
	m := a.dataModel(w, r)
	if m == nil {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRowsBody+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error(), nil)
		return
	}
	if len(body) > MaxRowsBody {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d MB: send the rows in parts (actuate models load does)", MaxRowsBody>>20), nil)
		return
	}
	rows, bad, err := datamodel.ReadLines(bytes.NewReader(body), r.URL.Query().Get("key_column"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the rows: "+err.Error(), nil)
		return
	}
	if len(bad) > 0 {
		writeJSON(w, http.StatusBadRequest, loadAnswer{Error: fmt.Sprintf("%d lines are not rows; nothing was written", len(bad)), Lines: bad})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	defer cancel()
	n, err := a.opts.DataModels.PutRows(ctx, m, rows)
	if err != nil {
		a.log.Error("writing data model rows", zap.String("model", m.ID), zap.Error(err))
		writeJSON(w, http.StatusServiceUnavailable, loadAnswer{Written: n,
			Error: fmt.Sprintf("writing the rows failed after %d of %d were written (the first %d are applied; send the rest again): %v", n, len(rows), n, err)})
		return
	}
	writeJSON(w, http.StatusOK, loadAnswer{Written: n})
}

func (a *API) rowsFailed(w http.ResponseWriter, err error) {
	a.log.Error("writing a data model row", zap.Error(err))
	writeError(w, http.StatusServiceUnavailable, "the data model topic is not available; retry later", nil)
}
