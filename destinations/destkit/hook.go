package destkit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"
)

// Hook declares a step that runs when a mapping is saved rather than per
// event (Segment's onMappingSave and retlOnMappingSave), such as picking or
// creating the Braze catalog that every later event writes to.
//
// The hook's saved result travels inside the mapping, under the hook's Key,
// as {"outputs": {...}}. That is where Segment keeps it, so a mapping
// exported from Segment works unchanged, and it keeps per-subscription
// state out of the destination's settings. The mapping engine renders the
// literal object as it is; Validate keeps the key (checking "outputs"
// against Outputs and dropping everything else, such as the hook's inputs),
// and the action reads the values back with HookOutput.
//
// The control API runs a hook (POST .../mappings/{m}/hooks/{hook}) through
// Client.RunHook with the instance's credentials and writes the outputs on
// the mapping. A hook without Run only documents its inputs: whoever saves
// the mapping writes the outputs by hand.
type Hook struct {
	// Key is the mapping key and Segment's hook name ("onMappingSave").
	Key         string  `json:"key"`
	Label       string  `json:"label"`
	Description string  `json:"description,omitempty"`
	Inputs      []Field `json:"inputs,omitempty"`
	Outputs     []Field `json:"outputs"`

	// Run performs the hook with the inputs a person gave (validated
	// against Inputs) and returns the outputs to save (checked against
	// Outputs). It may call the vendor through d, which adds credentials.
	Run func(ctx context.Context, d Doer, in *HookInput) (outputs map[string]any, err error) `json:"-"`
}

// MarshalJSON writes the hook as declared, with "runs": true when the
// control API can run it (otherwise its outputs are written by hand).
func (h Hook) MarshalJSON() ([]byte, error) {
	type declared Hook // without this method
	return json.Marshal(struct {
		declared
		Runs bool `json:"runs"`
	}{declared(h), h.Run != nil})
}

// HookInput is what Hook.Run receives.
type HookInput struct {
	// Inputs is the validated object of the hook's inputs, never nil.
	Inputs   *fastjson.Value
	Settings *Settings
	// Previous holds the outputs saved by an earlier run (nil the first
	// time), so a hook can update what it created instead of creating
	// again.
	Previous *fastjson.Value
}

// HookOutput returns output key of hook from a validated payload, or nil.
func HookOutput(payload *fastjson.Value, hook, key string) *fastjson.Value {
	return payload.Get(hook, "outputs", key)
}

// Hook returns the action's hook named key, or nil.
func (a *Action) Hook(key string) *Hook {
	for i := range a.Hooks {
		if a.Hooks[i].Key == key {
			return &a.Hooks[i]
		}
	}
	return nil
}

// hookField returns the field that validates the mapping entry of the hook
// named key, or nil when the action has no such hook. Hooks are few and
// only met on mapped payloads that carry them, so nothing is cached.
func (a *Action) hookField(key string) *Field {
	h := a.Hook(key)
	if h == nil {
		return nil
	}
	return &Field{Key: h.Key, Label: h.Label, Type: Object, Properties: []Field{{
		Key: "outputs", Label: h.Label + " outputs", Type: Object, Required: true, Properties: h.Outputs,
	}}}
}

// validateObject checks doc against fields as an action's payload is
// checked, and returns it normalised.
func validateObject(fields []Field, doc []byte) ([]byte, error) {
	if len(strings.TrimSpace(string(doc))) == 0 {
		doc = []byte("{}")
	}
	return (&Action{Fields: fields}).Validate(doc)
}

// RunHook runs the hook named hookKey of action a for instance inst: inputs
// (a JSON object) are validated against the hook's Inputs, Run is called
// with a Doer carrying the instance's credentials (an OAuth 401 refreshes
// the token and runs the hook once more), and the outputs are validated
// against Outputs. It returns the mapping entry to save under hookKey,
// {"outputs": {...}}, as JSON. previous is the entry saved before, or nil.
func (c *Client) RunHook(ctx context.Context, inst *Instance, a *Action, hookKey string, inputs, previous []byte) ([]byte, error) {
	h := a.Hook(hookKey)
	if h == nil {
		return nil, ValidationErrorf(hookKey, "Action %s has no hook %q.", a.Key, hookKey)
	}
	if h.Run == nil {
		return nil, &IntegrationError{Code: "NotImplemented", Message: "hook " + hookKey + " of " + a.Key + " cannot be run; write its outputs on the mapping"}
	}
	valid, err := validateObject(h.Inputs, inputs)
	if err != nil {
		return nil, err
	}
	var p fastjson.Parser
	in := &HookInput{Settings: inst.Settings}
	if in.Inputs, err = p.ParseBytes(valid); err != nil {
		return nil, err
	}
	if len(previous) > 0 {
		var pp fastjson.Parser
		if prev, err := pp.ParseBytes(previous); err == nil {
			in.Previous = prev.Get("outputs")
		}
	}
	var outputs map[string]any
	err = c.withCredentials(ctx, inst, func(d Doer) error {
		var err error
		outputs, err = h.Run(ctx, d, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(outputs)
	if err != nil {
		return nil, &IntegrationError{Code: "INVALID_RESPONSE", Message: "hook " + hookKey + " returned outputs that are not JSON: " + err.Error()}
	}
	checked, err := validateObject(h.Outputs, raw)
	if err != nil {
		return nil, err
	}
	var w JSONWriter
	w.ObjectStart()
	w.Key("outputs")
	w.Raw(checked)
	w.ObjectEnd()
	return w.Bytes(), nil
}

// InputRefused turns the vendor's refusal of what a person gave a hook or a
// dynamic field into a PayloadValidationError naming that input, so the
// control API answers 400 with the field: a 4xx other than 401 (the
// credentials) and 408, 423, 429 (try again later). msg says what was
// refused; the status is appended. Anything else (5xx, transport errors,
// credentials, errors that are not the vendor's answer) is returned as it is.
func InputRefused(err error, field, msg string) error {
	var api *APIError
	if !errors.As(err, &api) || api.Status < 400 || api.Status >= 500 {
		return err
	}
	switch api.Status {
	case http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusLocked, http.StatusTooManyRequests:
		return err
	}
	return &PayloadValidationError{Field: field, Message: msg + " (HTTP " + strconv.Itoa(api.Status) + ")"}
}

// DynamicInput is what a dynamic field's function receives.
type DynamicInput struct {
	Settings *Settings
	// Payload is the mapping's values as far as they are known (literals a
	// person already chose, such as an ad account), possibly empty, never
	// nil. Choices of one field often depend on another.
	Payload *fastjson.Value
}

// DynamicChoices is a dynamic field: it lists the field's choices from the
// vendor (its audiences, sheets, data extensions) with the instance's
// credentials. Set it on Field.Dynamic.
type DynamicChoices func(ctx context.Context, d Doer, in *DynamicInput) ([]Choice, error)

// FieldChoices runs the dynamic field fieldKey of action a for instance
// inst, with payload (a JSON object, possibly empty) as the mapping's known
// values. "parent.child" reaches one level into an object field, or into a
// hook's inputs when parent is a hook's key ("onMappingSave.selected_catalog_name").
func (c *Client) FieldChoices(ctx context.Context, inst *Instance, a *Action, fieldKey string, payload []byte) ([]Choice, error) {
	f := a.Field(fieldKey)
	if parent, child, nested := strings.Cut(fieldKey, "."); nested {
		if h := a.Hook(parent); h != nil {
			f = (&Field{Properties: h.Inputs}).Property(child)
		} else if f = a.Field(parent); f != nil {
			f = f.Property(child)
		}
	}
	if f == nil {
		return nil, ValidationErrorf(fieldKey, "Action %s has no field %q.", a.Key, fieldKey)
	}
	if f.Dynamic == nil {
		return nil, ValidationErrorf(fieldKey, "Field %s of %s is not dynamic; its choices are in the catalog.", fieldKey, a.Key)
	}
	if len(strings.TrimSpace(string(payload))) == 0 {
		payload = []byte("{}")
	}
	var p fastjson.Parser
	v, err := p.ParseBytes(payload)
	if err != nil || v.Type() != fastjson.TypeObject {
		return nil, ValidationErrorf("payload", "The mapping values must be a JSON object.")
	}
	var choices []Choice
	err = c.withCredentials(ctx, inst, func(d Doer) error {
		var err error
		choices, err = f.Dynamic(ctx, d, &DynamicInput{Settings: inst.Settings, Payload: v})
		return err
	})
	return choices, err
}

// withCredentials runs fn with a Doer that adds inst's credentials; on an
// OAuth destination a 401 refreshes the token and runs fn once more, as
// Send does for actions.
func (c *Client) withCredentials(ctx context.Context, inst *Instance, fn func(d Doer) error) error {
	return c.withToken(ctx, inst, func(tok *Token) error { return fn(&instanceDoer{c: c, inst: inst, tok: tok}) })
}

// withToken runs fn with inst's token; on an OAuth destination a 401
// refreshes the token and runs fn once more. A second 401, or a 401
// elsewhere, comes back as an *AuthError.
func (c *Client) withToken(ctx context.Context, inst *Instance, fn func(tok *Token) error) error {
	tok, err := c.token(ctx, inst)
	if err != nil {
		return err
	}
	err = fn(tok)
	if err != nil && inst.Def.Auth.IsOAuth() && unauthorized(err) {
		if tok, err = c.refresh(ctx, inst, tok); err != nil {
			return err
		}
		err = fn(tok)
	}
	return finalAuth(err)
}
