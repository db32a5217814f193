package encharge

import (
	"context"
	"net/http"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// schemasURL is where Segment's Encharge destination reads the account's
// object schemas (the REST API's root, without /v1).
const schemasURL = "https://api.encharge.io/schemas"

// objectTypeChoices lists the account's custom objects (objectType of
// Create or Update Object) by name, labelled with their singular display name.
func objectTypeChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	resp, err := d.Do(ctx, &destkit.Request{Method: http.MethodGet, URL: schemasURL})
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Encharge's schemas are not JSON"}
	}
	var cs []destkit.Choice
	for _, o := range v.GetArray("objects") {
		cs = append(cs, destkit.Choice{Value: string(o.GetStringBytes("name")), Label: string(o.GetStringBytes("displayNameSingular"))})
	}
	return cs, nil
}
