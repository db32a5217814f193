package route

import (
	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// Segment's per-event routing controls, applied per instance before its filters, consent
// first (as Segment reconciles the two):
//
//   - Consent. An instance may name consent categories. An event that carries
//     context.consent is sent to the instance only if its categoryPreferences grants
//     every one of them (true); a category missing from the preferences is not granted.
//     An event without context.consent is not subject to consent, as on Segment.
//   - The integrations object. The event's integrations object names destinations with
//     true or false (or an options object, which counts as true). The instance takes the
//     value of the first of its names (workspace.Instance.IntegrationNames) present in the
//     object; when none is, the value of "All"; when "All" is absent too, it is included.

var (
	// Filtered at the destination by its consent categories.
	blockedByConsent = Outcome{Kind: metrics.OutcomeFiltered, Stage: schemas.StageConsent}
	// Filtered at the destination by the event's integrations object.
	excludedByIntegrations = Outcome{Kind: metrics.OutcomeFiltered, Stage: schemas.StageIntegrations}
)

// controls are the parts of the current event that the per-event controls read.
type controls struct {
	integrations *fastjson.Object // nil: none, or not an object
	consent      *fastjson.Value  // context.consent; nil when the event carries none
}

func (c *controls) load(ev *fastjson.Value) {
	*c = controls{}
	if v := ev.Get("integrations"); v != nil && v.Type() == fastjson.TypeObject {
		c.integrations, _ = v.Object()
	}
	if v := ev.Get("context", "consent"); v != nil && v.Type() != fastjson.TypeNull {
		c.consent = v
	}
}

// allows reports whether the controls let the event through to inst, and if not, the
// outcome.
func (c *controls) allows(inst *workspace.Instance) (Outcome, bool) {
	if c.consent != nil && len(inst.ConsentCategories) > 0 && !c.consented(inst.ConsentCategories) {
		return blockedByConsent, false
	}
	if c.integrations != nil && !c.included(inst.IntegrationNames) {
		return excludedByIntegrations, false
	}
	return Outcome{}, true
}

func (c *controls) consented(categories []string) bool {
	prefs := c.consent.Get("categoryPreferences")
	for _, cat := range categories {
		if prefs == nil || prefs.Get(cat) == nil || prefs.Get(cat).Type() != fastjson.TypeTrue {
			return false
		}
	}
	return true
}

func (c *controls) included(names []string) bool {
	for _, name := range names {
		if v := c.integrations.Get(name); v != nil && v.Type() != fastjson.TypeNull {
			return v.Type() != fastjson.TypeFalse
		}
	}
	if all := c.integrations.Get("All"); all != nil {
		return all.Type() != fastjson.TypeFalse
	}
	return true
}
