package optimizelyfeatureexperimentationactions

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// eventKeyChoices lists the keys of the events the project's datafile
// defines, the choices of eventKey.
func eventKeyChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	df, err := fetchDatafile(ctx, d, in.Settings.Str("dataFileUrl"))
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, e := range df.GetArray("events") {
		k := string(e.GetStringBytes("key"))
		cs = append(cs, destkit.Choice{Value: k, Label: k})
	}
	return cs, nil
}
