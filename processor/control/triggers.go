package control

import (
	"net/http"

	"github.com/actuate/actuate/processor/fql"
)

// convertTrigger turns builder conditions into FQL text, or FQL text into conditions when
// a condition builder can show it, so the mapping editor switches between its ALL/ANY
// builder and raw FQL without a second FQL parser in the browser. Conditions are checked
// against this server's per-trigger limit.
func (a *API) convertTrigger(w http.ResponseWriter, r *http.Request) {
	var b mappingBody
	if err := decode(r, &b); err != nil {
		a.fail(w, err)
		return
	}
	if b.Conditions == nil && b.Trigger == "" {
		a.fail(w, badField("trigger", "give trigger (FQL) or conditions"))
		return
	}
	text := b.Trigger
	if b.Conditions != nil {
		t, err := a.trigger(&b, "body")
		if err != nil {
			a.fail(w, err)
			return
		}
		text = t
	} else if _, err := fql.Parse(text); err != nil {
		a.fail(w, badField("trigger", "%v", err))
		return
	}
	out := map[string]any{"trigger": text, "max_conditions": a.opts.MaxConditions}
	g, err := fql.ParseTrigger(text)
	if err != nil {
		out["builder_error"] = err.Error()
	} else {
		out["conditions"] = g
	}
	writeJSON(w, http.StatusOK, out)
}
