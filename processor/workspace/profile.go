package workspace

import (
	"fmt"
	"regexp"

	"github.com/actuate/actuate/processor/config"
)

// ProfileFields are the fields of $.profile: the latest value of each trait, the userId,
// and the anonymous ids merged into the profile.
var ProfileFields = []string{"traits", "user_id", "anonymous_ids"}

// profileRef finds a path into the profile in mapping JSON ("$.profile.traits.email") and
// in filter-language text (profile.traits.plan), not a nested key such as
// properties.profile; the field after "profile." is captured, empty for the whole profile.
var (
	profileRefJSON = regexp.MustCompile(`\$\.profile\b(?:\.([A-Za-z0-9_$-]*))?`)
	profileRefFQL  = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.$\]])(\$\.)?profile\b(?:\.([A-Za-z0-9_$-]*))?`)
	// fqlString is a string literal of the filter language, whose text is no path.
	fqlString = regexp.MustCompile(`'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"`)
)

// ProfileRefs returns the profile paths text names, each as "profile" or
// "profile.<field>", once, in order. fql says text is in the filter language (a trigger or
// a filter's condition), where paths have no "$." before them; in mapping JSON they do.
func ProfileRefs(text string, fql bool) []string {
	var out []string
	add := func(field string) {
		ref := "profile"
		if field != "" {
			ref += "." + field
		}
		if !contains(out, ref) {
			out = append(out, ref)
		}
	}
	if fql {
		for _, m := range profileRefFQL.FindAllStringSubmatch(fqlString.ReplaceAllString(text, `""`), -1) {
			add(m[2])
		}
		return out
	}
	for _, m := range profileRefJSON.FindAllStringSubmatch(text, -1) {
		add(m[1])
	}
	return out
}

// checkProfilePaths reports every $.profile path, in mappings, triggers and destination
// filters, that is not one of the profile's fields, or that reads profiles while they are
// off.
func (c *compiler) checkProfilePaths(cfg *config.Workspace) {
	on := cfg.Profiles != nil && cfg.Profiles.Enabled
	check := func(path, text string, fql bool) {
		for _, ref := range ProfileRefs(text, fql) {
			switch {
			case !on:
				c.fail(path, "$.%s reads the user's profile, and profiles are off (profiles: {enabled: true})", ref)
			case ref == "profile":
			default:
				field := ref[len("profile."):]
				if !contains(ProfileFields, field) {
					c.fail(path, "$.%s is not a profile path: a profile has traits (profile.traits.<name>), user_id and anonymous_ids", ref)
				}
			}
		}
	}
	for i := range cfg.Destinations {
		d := &cfg.Destinations[i]
		for j := range d.Filters {
			check(fmt.Sprintf("destinations[%d].filters[%d].if", i, j), d.Filters[j].If, true)
		}
		for j := range d.Mappings {
			check(fmt.Sprintf("destinations[%d].mappings[%d].trigger", i, j), d.Mappings[j].Trigger, true)
			check(fmt.Sprintf("destinations[%d].mappings[%d].mapping", i, j), string(d.Mappings[j].Mapping), false)
		}
	}
}
