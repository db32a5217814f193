package pipedrive

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// Dynamic fields: the match fields list the fields of the item they search
// (their key, named as Pipedrive names them), and an activity's type lists
// the account's activity types by key string.

// listChoices reads GET path's data as choices of value key, named by name.
func listChoices(ctx context.Context, d destkit.Doer, s *destkit.Settings, path, key string) ([]destkit.Choice, error) {
	u, err := apiURL(s, path, "")
	if err != nil {
		return nil, err
	}
	v, err := destkit.GetJSON(ctx, d, u, "Pipedrive's "+path+" answer")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, f := range v.GetArray("data") {
		cs = append(cs, destkit.Choice{Value: string(f.GetStringBytes(key)), Label: string(f.GetStringBytes("name"))})
	}
	return cs, nil
}

// fieldChoices lists the fields of item (person, organization, deal).
func fieldChoices(item string) destkit.DynamicChoices {
	return func(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
		return listChoices(ctx, d, in.Settings, item+"Fields", "key")
	}
}

// activityTypeChoices lists the account's activity types.
func activityTypeChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	return listChoices(ctx, d, in.Settings, "activityTypes", "key_string")
}
