package attio

import (
	"context"
	"sort"

	"github.com/actuate/actuate/destinations/destkit"
)

// objectChoices lists the workspace's objects (object of Assert Record):
// their slug, named by their singular noun and sorted by it.
func objectChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := destkit.GetJSON(ctx, d, apiBase+"/objects", "Attio's object list")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, o := range v.GetArray("data") {
		cs = append(cs, destkit.Choice{Value: string(o.GetStringBytes("api_slug")), Label: string(o.GetStringBytes("singular_noun"))})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Label < cs[j].Label })
	return cs, nil
}
