package salesforce

import (
	"context"
	"net/http"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// objectChoices lists the objects records can be created in (the describe
// of every sObject whose createable is true), the choices of
// customObjectName: the API name, labelled as Salesforce labels it.
func objectChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	base, err := instanceURL(in.Settings)
	if err != nil {
		return nil, err
	}
	resp, err := d.Do(ctx, &destkit.Request{Method: http.MethodGet, URL: base + "/services/data/" + apiVersion + "/sobjects"})
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Salesforce's object list is not JSON"}
	}
	var choices []destkit.Choice
	for _, o := range v.GetArray("sobjects") {
		if o.GetBool("createable") {
			choices = append(choices, destkit.Choice{Value: string(o.GetStringBytes("name")), Label: string(o.GetStringBytes("label"))})
		}
	}
	return choices, nil
}
