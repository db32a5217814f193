package sendgrid

import (
	"context"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// Dynamic fields of Send Email, read as Segment's read them. Choices carry
// their label as value where Segment's do ("Welcome - v2 [d-…]",
// "Newsletter [123]"): templateID and groupID read the id back out.

// getJSON reads a SendGrid GET answer.
func getJSON(ctx context.Context, d destkit.Doer, u string) (*fastjson.Value, error) {
	return destkit.GetJSON(ctx, d, u, "SendGrid's answer")
}

// nameLength is how much of a template or version name a choice shows.
const nameLength = 25

// shorten cuts s to nameLength UTF-16 units and marks the cut with "...".
func shorten(s string) string {
	if jsvalue.UTF16Len(s) <= nameLength {
		return s
	}
	n := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if n+w > nameLength {
			return s[:i] + "..."
		}
		n += w
	}
	return s
}

// templateChoices lists the active versions of the dynamic templates.
func templateChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := getJSON(ctx, d, endpoint(in.Settings)+"/v3/templates?generations=dynamic&page_size=200")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, t := range v.GetArray("result") {
		if string(t.GetStringBytes("generation")) != "dynamic" {
			continue
		}
		for _, ver := range t.GetArray("versions") {
			if ver.GetInt("active") != 1 {
				continue
			}
			s := shorten(string(t.GetStringBytes("name"))) + " - " + shorten(string(ver.GetStringBytes("name"))) + " [" + string(ver.GetStringBytes("template_id")) + "]"
			cs = append(cs, destkit.Choice{Value: s, Label: s})
		}
	}
	return cs, nil
}

// ipPoolChoices lists the account's IP pools by name.
func ipPoolChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := getJSON(ctx, d, endpoint(in.Settings)+"/v3/ips/pools")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, p := range v.GetArray() {
		name := string(p.GetStringBytes("name"))
		cs = append(cs, destkit.Choice{Value: name, Label: name})
	}
	return cs, nil
}

// domainChoices lists the account's validated sender domains.
func domainChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := getJSON(ctx, d, endpoint(in.Settings)+"/v3/whitelabel/domains?limit=200")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, dom := range v.GetArray() {
		if dom.GetBool("valid") {
			name := string(dom.GetStringBytes("domain"))
			cs = append(cs, destkit.Choice{Value: name, Label: name})
		}
	}
	return cs, nil
}

// groupChoices lists the unsubscribe groups as "name [id]".
func groupChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := getJSON(ctx, d, endpoint(in.Settings)+"/v3/asm/groups")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, g := range v.GetArray() {
		s := string(g.GetStringBytes("name")) + " [" + strconv.FormatInt(g.GetInt64("id"), 10) + "]"
		cs = append(cs, destkit.Choice{Value: s, Label: s})
	}
	return cs, nil
}
