package workspace

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/schemas"
)

// DataModel is a compiled data model: a table of rows, each event enriched with the row
// whose key is the event's value at Path.
type DataModel struct {
	ID  string
	Key string // as written, "$.context.groupId"
	// Path is Key split into object keys, for fastjson's Get.
	Path []string
	// Topic is the model's compacted rows topic, ModelTopic(ID).
	Topic string
}

// ModelTopic is the compacted topic that holds a data model's rows.
func ModelTopic(id string) string { return schemas.TopicModelPrefix + id }

// Data model ids name a topic and the object mappings read ($.enrichments.<id>.<column>):
// no dots, so a path says where the id ends.
var modelIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$`)

var keyPathPattern = regexp.MustCompile(`^[^.\[\]\s]+(\.[^.\[\]\s]+)*$`)

func (c *compiler) compileDataModels(cfgs []config.DataModel) []*DataModel {
	var out []*DataModel
	seen := map[string]bool{}
	for i := range cfgs {
		mc := &cfgs[i]
		path := fmt.Sprintf("data_models[%d]", i)
		ok := true
		switch {
		case mc.ID == "":
			c.fail(path+".id", "is required")
			ok = false
		case !modelIDPattern.MatchString(mc.ID):
			c.fail(path+".id", "%q may hold only letters, digits, '_' and '-', starting with a letter or digit", mc.ID)
			ok = false
		case seen[mc.ID]:
			c.fail(path+".id", "%q is used twice", mc.ID)
			ok = false
		}
		seen[mc.ID] = true
		key := strings.TrimPrefix(strings.TrimPrefix(mc.Key, "$"), ".")
		switch {
		case mc.Key == "":
			c.fail(path+".key", "is required: the event path whose value looks a row up, such as $.context.groupId")
			ok = false
		case !keyPathPattern.MatchString(key):
			c.fail(path+".key", "%q is not a path such as $.context.groupId (object keys separated by dots)", mc.Key)
			ok = false
		case key == "enrichments" || strings.HasPrefix(key, "enrichments."):
			c.fail(path+".key", "%q reads the enrichments themselves", mc.Key)
			ok = false
		}
		if ok {
			out = append(out, &DataModel{ID: mc.ID, Key: mc.Key, Path: strings.Split(key, "."), Topic: ModelTopic(mc.ID)})
		}
	}
	return out
}

// enrichmentRef finds the data model a path names in mapping JSON ("$.enrichments.accounts.tier")
// and in filter-language text (enrichments.accounts.tier), not a nested key such as
// properties.enrichments.
var enrichmentRef = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.$\]])(\$\.)?enrichments\.([A-Za-z0-9_-]+)`)

// EnrichmentRefs returns the data model ids that text's $.enrichments.<model> paths name,
// each once, in order.
func EnrichmentRefs(text string) []string {
	var out []string
	for _, m := range enrichmentRef.FindAllStringSubmatch(text, -1) {
		if !contains(out, m[2]) {
			out = append(out, m[2])
		}
	}
	return out
}

// checkEnrichments reports every $.enrichments.<model> path, in mappings, triggers and
// destination filters, whose model the workspace does not declare.
func (c *compiler) checkEnrichments(cfg *config.Workspace) {
	declared := make([]string, 0, len(cfg.DataModels))
	for _, m := range cfg.DataModels {
		declared = append(declared, m.ID)
	}
	check := func(path, text string) {
		for _, id := range EnrichmentRefs(text) {
			if contains(declared, id) {
				continue
			}
			if len(declared) == 0 {
				c.fail(path, "$.enrichments.%s names data model %q, and no data model is declared (data_models)", id, id)
			} else {
				c.fail(path, "$.enrichments.%s names data model %q, which is not declared (data_models: %s)", id, id, strings.Join(declared, ", "))
			}
		}
	}
	for i := range cfg.Destinations {
		d := &cfg.Destinations[i]
		for j := range d.Filters {
			check(fmt.Sprintf("destinations[%d].filters[%d].if", i, j), d.Filters[j].If)
		}
		for j := range d.Mappings {
			check(fmt.Sprintf("destinations[%d].mappings[%d].trigger", i, j), d.Mappings[j].Trigger)
			check(fmt.Sprintf("destinations[%d].mappings[%d].mapping", i, j), string(d.Mappings[j].Mapping))
		}
	}
}
