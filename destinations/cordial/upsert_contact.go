package cordial

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// UpsertContact creates or updates a Cordial contact and its attributes.
var UpsertContact = relay(&destkit.Action{
	Key:                 "upsertContact",
	Title:               "Upsert Contact",
	Description:         "Create or update a Cordial contact and its attributes.",
	DefaultSubscription: `type = "identify"`,
	Fields: slices.Concat(identityFields, []destkit.Field{
		{Key: "attributes", Label: "Contact Attributes", Type: destkit.Object,
			Description: "Contact attributes to set, keyed by Cordial attribute key."},
	}),
}, identified("attributes")...)
