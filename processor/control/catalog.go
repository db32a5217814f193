package control

import (
	"net/http"
	"sort"
	"strings"

	"github.com/actuate/actuate/destinations"
)

// The catalog is the destination registry as data, in the shapes of `actuate destinations
// list --json` and `show SLUG --json`, so the console and scripts read one contract.

// catalogItem is one row of GET /v1/catalog: the CLI's summary plus what a catalog page
// shows (description, presets count).
type catalogItem struct {
	destinations.SummaryView
	Description string `json:"description,omitempty"`
	Presets     int    `json:"presets"`
}

func (a *API) catalog(w http.ResponseWriter, r *http.Request) {
	q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	items := []catalogItem{}
	for _, def := range destinations.All() {
		if q != "" && !strings.Contains(strings.ToLower(def.Slug+" "+def.Name+" "+def.Description), q) {
			continue
		}
		items = append(items, catalogItem{SummaryView: destinations.Summary(def), Description: def.Description, Presets: len(def.Presets)})
	}
	sort.Slice(items, func(i, j int) bool { return strings.ToLower(items[i].Name) < strings.ToLower(items[j].Name) })
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (a *API) catalogEntry(w http.ResponseWriter, r *http.Request) {
	def, ok := destinations.Get(r.PathValue("slug"))
	if !ok {
		writeError(w, http.StatusNotFound, "no destination in the catalog has the slug "+r.PathValue("slug"), nil)
		return
	}
	writeJSON(w, http.StatusOK, destinations.View(def))
}
