package salesforce

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// objectChoices lists the objects records can be created in (the describe
// of every sObject whose createable is true), the choices of
// customObjectName: the API name, labelled as Salesforce labels it.
func objectChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	base, err := instanceURL(in.Settings)
	if err != nil {
		return nil, err
	}
	v, err := destkit.GetJSON(ctx, d, base+"/services/data/"+apiVersion+"/sobjects", "Salesforce's object list")
	if err != nil {
		return nil, err
	}
	var choices []destkit.Choice
	for _, o := range v.GetArray("sobjects") {
		if o.GetBool("createable") {
			choices = append(choices, destkit.Choice{Value: string(o.GetStringBytes("name")), Label: string(o.GetStringBytes("label"))})
		}
	}
	return choices, nil
}
