package control

import (
	"net/http"
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/config"
)

// duplicateMapping copies a mapping right after the original, disabled and named
// "<name> (copy)", as Segment's Duplicate does: a copy sends nothing until it is enabled.
func (a *API) duplicateMapping(w http.ResponseWriter, r *http.Request) {
	var out config.Mapping
	var pos int
	var def *destkit.Definition
	_, ok := a.withDestination(w, r, "duplicate mapping "+r.PathValue("mapping"), func(d *destination) error {
		i := mappingIndex(d, r.PathValue("mapping"))
		if i < 0 {
			return errorf(http.StatusNotFound, "destination %s has no mapping %s", d.ID, r.PathValue("mapping"))
		}
		if len(d.Mappings) >= config.MaxMappingsPerInstance {
			return errorf(http.StatusConflict, "destination %s has %d mappings, the most an instance may have", d.ID, config.MaxMappingsPerInstance)
		}
		out = d.Mappings[i]
		out.ID, out.Enabled = newID("m-"), false
		out.Mapping = slices.Clone(out.Mapping)
		name := out.Name
		if name == "" {
			name = out.Action
		}
		out.Name = name + " (copy)"
		pos = i + 1
		d.Mappings = slices.Insert(d.Mappings, pos, out)
		def, _ = a.opts.Lookup(d.Type)
		return nil
	})
	if ok {
		writeJSON(w, http.StatusCreated, mappingView(def, &out, pos))
	}
}
