package control

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/actuate/actuate/processor/workspace"
)

// Mapping hooks and dynamic fields: the two calls to a destination's API that a person
// makes while editing a mapping rather than the pipeline per event.
//
//   - POST /v1/destinations/{id}/mappings/{mapping}/hooks/{hook} runs the hook (Segment's
//     onMappingSave; the audience hook of audience destinations) with the instance's
//     credentials, and saves {"inputs", "outputs"} under the hook's key in the mapping: one
//     compare-and-set write of the destination, recorded in the history like any edit. The
//     pipeline reads the outputs from there (destkit.HookOutput). Editor: it changes the
//     mapping, and usually creates something at the vendor.
//   - GET /v1/destinations/{id}/actions/{action}/fields/{field}/choices lists a dynamic
//     field's choices from the vendor. Viewer, as every GET: it reads what the instance's
//     credentials may read and writes nothing, here or at the vendor.
//
// Both use the instance in force (the compiled workspace), so the settings are the
// validated ones; both go through the egress guard (destkit.NewTransport unless the Event
// Tester's options give a client), and their answers and errors pass the instance's masker,
// so a vendor echoing a key never shows it.

// hookTimeout bounds one hook or choices call, vendor round trips included.
const hookTimeout = time.Minute

type hookBody struct {
	Inputs json.RawMessage `json:"inputs"`
}

// destClient is the destkit client hooks and choices use: the Event Tester's HTTP client,
// token store and options, so an OAuth refresh here is shared with the senders.
func (a *API) destClient() *destkit.Client {
	t := a.opts.Tester
	tr := http.RoundTripper(nil)
	if t.HTTPClient != nil {
		tr = t.HTTPClient.Transport
	}
	if tr == nil {
		tr = destkit.NewTransport() // through the egress guard
	}
	opts := append([]destkit.Option{destkit.WithHTTPClient(&http.Client{Transport: tr})}, t.DestOptions...)
	if t.Tokens != nil {
		opts = append(opts, destkit.WithTokenStore(t.Tokens))
	}
	return destkit.NewClient(opts...)
}

// instanceInForce returns the compiled instance of the path's destination, answering 404.
func (a *API) instanceInForce(w http.ResponseWriter, r *http.Request) (*workspace.Instance, bool) {
	id := r.PathValue("id")
	inst := a.opts.Store.Workspace().Instance(id)
	if inst == nil {
		writeError(w, http.StatusNotFound, "no destination instance has the id "+id+" in the config in force", nil)
		return nil, false
	}
	return inst, true
}

func (a *API) runHook(w http.ResponseWriter, r *http.Request) {
	var b hookBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	inst, ok := a.instanceInForce(w, r)
	if !ok {
		return
	}
	d, _, ok := a.readDestination(w, r)
	if !ok {
		return
	}
	mappingID, hookKey := r.PathValue("mapping"), r.PathValue("hook")
	i := mappingIndex(d, mappingID)
	if i < 0 {
		writeError(w, http.StatusNotFound, "destination "+d.ID+" has no mapping "+mappingID, nil)
		return
	}
	actionKey := d.Mappings[i].Action
	action := inst.Definition.Action(actionKey)
	if action == nil || action.Hook(hookKey) == nil {
		writeError(w, http.StatusNotFound, "action "+actionKey+" of "+inst.Definition.Slug+" has no hook "+hookKey, nil)
		return
	}
	var previous []byte
	if v, err := fastjson.ParseBytes(d.Mappings[i].Mapping); err == nil {
		if h := v.Get(hookKey); h != nil {
			previous = jsvalue.AppendParsed(nil, h)
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), hookTimeout)
	defer cancel()
	entry, err := a.destClient().RunHook(ctx, inst.Dest, action, hookKey, b.Inputs, previous)
	if err != nil {
		a.failDestination(w, inst, "inputs", err)
		return
	}
	// Keep the inputs beside the outputs, as Segment does, so an editor can show what
	// produced them; validation keeps only the outputs for the pipeline.
	saved := savedHook(b.Inputs, entry)
	var out config.Mapping
	_, ok = a.withDestination(w, r, "run hook "+hookKey+" of mapping "+mappingID, func(d *destination) error {
		i := mappingIndex(d, mappingID)
		if i < 0 {
			return errorf(http.StatusNotFound, "destination %s has no mapping %s", d.ID, mappingID)
		}
		m := &d.Mappings[i]
		if m.Action != actionKey {
			return errorf(http.StatusConflict, "mapping %s changed to action %s while the hook ran; run it again", mappingID, m.Action)
		}
		updated, err := setMember(m.Mapping, hookKey, saved)
		if err != nil {
			return badField("mapping", "%v", err)
		}
		m.Mapping = config.JSONText(updated)
		out = *m
		return nil
	})
	if !ok {
		return
	}
	body, _ := json.Marshal(map[string]any{"mapping": mappingView(inst.Definition, &out, i), "hook": json.RawMessage(saved)})
	writeJSON(w, http.StatusOK, json.RawMessage(inst.Masker().MaskBytes(body)))
}

// savedHook is the mapping entry of a hook run: {"inputs": …, "outputs": …}.
func savedHook(inputs json.RawMessage, entry []byte) []byte {
	var w destkit.JSONWriter
	w.ObjectStart()
	if len(inputs) > 0 && string(inputs) != "null" {
		w.Key("inputs")
		w.Raw(inputs)
	}
	v := fastjson.MustParseBytes(entry)
	w.Field("outputs", v.Get("outputs"))
	w.ObjectEnd()
	return w.Bytes()
}

// setMember sets key of the JSON object doc to value, keeping the other members and
// their order (a mapping's key order is what people wrote).
func setMember(doc []byte, key string, value []byte) ([]byte, error) {
	var p, q fastjson.Parser
	v, err := p.ParseBytes(doc)
	if err != nil {
		return nil, err
	}
	o, err := v.Object()
	if err != nil {
		return nil, errors.New("the mapping is not a JSON object")
	}
	nv, err := q.ParseBytes(value)
	if err != nil {
		return nil, err
	}
	o.Set(key, nv)
	return jsvalue.AppendParsed(nil, v), nil
}

func (a *API) fieldChoices(w http.ResponseWriter, r *http.Request) {
	inst, ok := a.instanceInForce(w, r)
	if !ok {
		return
	}
	actionKey, fieldKey := r.PathValue("action"), r.PathValue("field")
	action := inst.Definition.Action(actionKey)
	if action == nil {
		writeError(w, http.StatusNotFound, inst.Definition.Slug+" has no action "+actionKey, nil)
		return
	}
	d, _, ok := a.readDestination(w, r)
	if !ok {
		return
	}
	payload, err := knownValues(r, d)
	if err != nil {
		a.fail(w, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), hookTimeout)
	defer cancel()
	choices, err := a.destClient().FieldChoices(ctx, inst.Dest, action, fieldKey, payload)
	if err != nil {
		a.failDestination(w, inst, "field", err)
		return
	}
	if choices == nil {
		choices = []destkit.Choice{}
	}
	body, _ := json.Marshal(map[string]any{"choices": choices})
	writeJSON(w, http.StatusOK, json.RawMessage(inst.Masker().MaskBytes(body)))
}

// knownValues is the payload a dynamic field sees: the literal mapping of ?mapping=ID,
// with the JSON object of ?values= laid over it (values a person picked but has not saved).
func knownValues(r *http.Request, d *destination) ([]byte, error) {
	doc := []byte("{}")
	q := r.URL.Query()
	if id := q.Get("mapping"); id != "" {
		i := mappingIndex(d, id)
		if i < 0 {
			return nil, errorf(http.StatusNotFound, "destination %s has no mapping %s", d.ID, id)
		}
		doc = d.Mappings[i].Mapping
	}
	if raw := q.Get("values"); raw != "" {
		var over map[string]json.RawMessage
		if err := json.Unmarshal([]byte(raw), &over); err != nil {
			return nil, badField("values", "must be a JSON object: %v", err)
		}
		for k, v := range over {
			var err error
			if doc, err = setMember(doc, k, v); err != nil {
				return nil, badField("mapping", "%v", err)
			}
		}
	}
	return doc, nil
}

// failDestination answers an error of a hook or dynamic field: the person's input (400,
// naming the field under prefix), a hook that cannot run (501), or the vendor (502, with
// what Classify makes of it). Messages pass the instance's masker.
func (a *API) failDestination(w http.ResponseWriter, inst *workspace.Instance, prefix string, err error) {
	mask := inst.Masker().Mask
	var pve *destkit.PayloadValidationError
	var ie *destkit.IntegrationError
	var ee *destkit.EgressError
	switch {
	case errors.As(err, &pve):
		path := prefix
		if pve.Field != "" {
			path += "." + pve.Field
		}
		writeError(w, http.StatusBadRequest, "invalid request", []Problem{{Path: path, Reason: mask(pve.Message)}})
	case errors.As(err, &ie) && ie.Code == "NotImplemented":
		writeError(w, http.StatusNotImplemented, mask(ie.Message), nil)
	case errors.As(err, &ee):
		writeError(w, http.StatusBadGateway, "the egress guard refused the connection: "+mask(ee.Error()), nil)
	default:
		v := destkit.Classify(err)
		writeError(w, http.StatusBadGateway, inst.Definition.Slug+" answered with an error ("+v.Outcome.String()+"): "+mask(err.Error()), nil)
	}
}
