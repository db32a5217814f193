package control

import (
	"context"
	"errors"
	"net/http"

	"github.com/actuate/actuate/processor/regulation"
	"github.com/actuate/actuate/processor/workspace"
)

// RegulationStore creates and shows privacy requests (processor/regulation.Store).
type RegulationStore interface {
	Create(ctx context.Context, typ regulation.Type, userIDs []string, ws *workspace.Workspace) (*regulation.Regulation, error)
	Get(id string) (*regulation.Regulation, bool)
	List() []*regulation.Regulation
}

// regulationBody is the body of POST /v1/regulations: type and user_ids, or Segment's
// Public API names (regulationType, subjectType USER_ID, subjectIds).
type regulationBody struct {
	Type           string   `json:"type"`
	UserIDs        []string `json:"user_ids"`
	RegulationType string   `json:"regulationType"`
	SubjectType    string   `json:"subjectType"`
	SubjectIDs     []string `json:"subjectIds"`
}

func (a *API) createRegulation(w http.ResponseWriter, r *http.Request) {
	var body regulationBody
	if err := decode(r, &body); err != nil {
		a.fail(w, err)
		return
	}
	name, field, ids := body.Type, "type", body.UserIDs
	if name == "" && body.RegulationType != "" {
		name, field, ids = body.RegulationType, "regulationType", body.SubjectIDs
		if body.SubjectType != "" && body.SubjectType != "USER_ID" {
			a.fail(w, badField("subjectType", "only USER_ID is supported"))
			return
		}
	}
	typ, ok := regulation.ParseType(name)
	if !ok {
		a.fail(w, badField(field, "%q is not suppress, delete, suppress_with_delete or unsuppress (or Segment's SUPPRESS_ONLY, DELETE_ONLY, SUPPRESS_WITH_DELETE, UNSUPPRESS)", name))
		return
	}
	if a.opts.Regulations == nil {
		writeError(w, http.StatusNotImplemented, "regulations are not available on this server", nil)
		return
	}
	reg, err := a.opts.Regulations.Create(r.Context(), typ, ids, a.opts.Store.Workspace())
	switch {
	case errors.Is(err, regulation.ErrInvalid):
		a.fail(w, badField("user_ids", "%v", err))
	case err != nil:
		a.fail(w, err)
	default:
		writeJSON(w, http.StatusCreated, reg)
	}
}

func (a *API) getRegulation(w http.ResponseWriter, r *http.Request) {
	if a.opts.Regulations == nil {
		writeError(w, http.StatusNotImplemented, "regulations are not available on this server", nil)
		return
	}
	reg, ok := a.opts.Regulations.Get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "no regulation has the id "+r.PathValue("id"), nil)
		return
	}
	writeJSON(w, http.StatusOK, reg)
}

func (a *API) listRegulations(w http.ResponseWriter, _ *http.Request) {
	if a.opts.Regulations == nil {
		writeError(w, http.StatusNotImplemented, "regulations are not available on this server", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": a.opts.Regulations.List()})
}
