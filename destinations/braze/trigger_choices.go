package braze

import (
	"context"
	"sort"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
)

// listPages bounds the pages of campaigns or canvases a choice list reads.
const listPages = 100

// campaignChoices lists the workspace's campaigns (campaign_id of Trigger
// Campaign), in Braze's order.
func campaignChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	return pagedChoices(ctx, d, endpoint(in.Settings, "/campaigns/list"), "campaigns")
}

// canvasChoices lists the workspace's Canvases (canvas_id of Trigger
// Canvas), sorted by name.
func canvasChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	choices, err := pagedChoices(ctx, d, endpoint(in.Settings, "/canvas/list"), "canvases")
	sort.SliceStable(choices, func(i, j int) bool { return choices[i].Label < choices[j].Label })
	return choices, err
}

// pagedChoices reads ?page=0, 1, … of a Braze list endpoint until a page
// has no items under key, each item a choice of its id named by its name.
func pagedChoices(ctx context.Context, d destkit.Doer, u, key string) ([]destkit.Choice, error) {
	var choices []destkit.Choice
	for page := 0; page < listPages; page++ {
		v, err := destkit.GetJSON(ctx, d, u+"?page="+strconv.Itoa(page), "Braze's "+key+" list")
		if err != nil {
			return nil, err
		}
		items := v.GetArray(key)
		if len(items) == 0 {
			break
		}
		for _, c := range items {
			choices = append(choices, destkit.Choice{Value: string(c.GetStringBytes("id")), Label: string(c.GetStringBytes("name"))})
		}
	}
	return choices, nil
}
