package klaviyo

import "github.com/actuate/actuate/destinations/destkit"

// RemoveProfile removes the profiles matching the identifiers from a list;
// unlike RemoveProfileFromList it reads identify calls and a fixed list.
var RemoveProfile = &destkit.Action{
	Key:                 "removeProfile",
	Title:               "Remove Profile",
	Description:         "Remove the profiles matching the email, phone number or external ID from a Klaviyo list.",
	DefaultSubscription: `type = "Identify"`,
	Fields: []destkit.Field{
		emailField(`{"@path":"$.traits.email"}`),
		externalIDField(0),
		listIDField("List", true, ""),
		enableBatchingField(`true`),
		batchSizeField(100, 1000, `1000`),
		phoneField(`{"@path":"$.traits.phone"}`),
		countryCodeField,
		batchKeysField(`["list_id"]`),
	},
	Batch:    &destkit.Batch{MaxSize: 1000, Keys: []string{"list_id"}},
	Run:      removeFromList,
	RunBatch: removeFromListBatch,
}
