package blackbaudraisersedgenxt

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateOrUpdateIndividualConstituent creates an individual constituent or
// updates the one the payload identifies (see constituent.go).
var CreateOrUpdateIndividualConstituent = &destkit.Action{
	Key:                 "createOrUpdateIndividualConstituent",
	Title:               "Create or Update Individual Constituent",
	Description:         "Create an individual constituent in Raiser's Edge NXT, or update the one with the same id, lookup id or email address.",
	DefaultSubscription: `type = "identify"`,
	Fields:              constituentFields,
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		_, err := upsertConstituent(ctx, d, in.Payload)
		return err
	},
}
