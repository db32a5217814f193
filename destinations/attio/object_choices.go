package attio

import (
	"context"
	"net/http"
	"sort"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// objectChoices lists the workspace's objects (object of Assert Record):
// their slug, named by their singular noun and sorted by it.
func objectChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	resp, err := d.Do(ctx, &destkit.Request{Method: http.MethodGet, URL: apiBase + "/objects"})
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Attio's object list is not JSON"}
	}
	var cs []destkit.Choice
	for _, o := range v.GetArray("data") {
		cs = append(cs, destkit.Choice{Value: string(o.GetStringBytes("api_slug")), Label: string(o.GetStringBytes("singular_noun"))})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Label < cs[j].Label })
	return cs, nil
}
