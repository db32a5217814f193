package destkit

import "github.com/valyala/fastjson"

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
// Running the hook itself is not part of destkit: whoever saves the mapping
// (a person, or the control API) writes the outputs. Inputs document what
// the hook would ask for.
type Hook struct {
	// Key is the mapping key and Segment's hook name ("onMappingSave").
	Key         string
	Label       string
	Description string
	Inputs      []Field
	Outputs     []Field
}

// HookOutput returns output key of hook from a validated payload, or nil.
func HookOutput(payload *fastjson.Value, hook, key string) *fastjson.Value {
	return payload.Get(hook, "outputs", key)
}

// hookField returns the field that validates the mapping entry of the hook
// named key, or nil when the action has no such hook. Hooks are few and
// only met on mapped payloads that carry them, so nothing is cached.
func (a *Action) hookField(key string) *Field {
	for i := range a.Hooks {
		h := &a.Hooks[i]
		if h.Key != key {
			continue
		}
		return &Field{Key: h.Key, Label: h.Label, Type: Object, Properties: []Field{{
			Key: "outputs", Label: h.Label + " outputs", Type: Object, Required: true, Properties: h.Outputs,
		}}}
	}
	return nil
}
