// Package insider sends user profiles and e-commerce events to Insider's
// Unification API.
//
// Every action posts to https://unification.useinsider.com/api/user/v1/upsert
// with the account name in X-PARTNER-NAME, the API key in X-REQUEST-TOKEN
// and X-PLATFORM-NAME: segment. The body is {"users":[…],"platform":"segment"},
// one user per event (a batch sends up to 1000 users in one call).
//
// Payload rules, as in Segment's integration:
//   - Identifiers are uuid (the user id), custom.segment_anonymous_id plus
//     the mapped custom identifiers, and, when "Treat … as Identifier" is
//     on, the email address and phone number.
//   - not_append is the negation of "Append Array Fields".
//   - The event actions send one Insider event under the action's event
//     name (Track Event: the event name lower-cased, trimmed, spaces as
//     underscores), or one per mapped product, each carrying the product's
//     parameters and then the event's. Parameter and attribute keys are
//     normalised the same way; Insider's standard keys are sent as they are,
//     others under custom. The category (taxonomy) is sent as a list, the
//     locale with underscores (en_US).
package insider

import "github.com/actuate/actuate/destinations/destkit"

const (
	upsertURL = "https://unification.useinsider.com/api/user/v1/upsert"
	// maxUsers is the most users Insider's upsert call takes at once.
	maxUsers = 1000
)

// Definition is the Insider Cloud Mode (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "insider",
	SegmentSlug: "actions-insider-cloud",
	Name:        "Insider Cloud Mode (Actions)",
	Description: "Create and update Insider user profiles and record their e-commerce and custom events.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "account_name", Label: "Account Name", Type: destkit.String, Required: true,
			Description: "Insider account (partner) name, sent in the X-PARTNER-NAME header; found in Insider's InOne panel under account preferences."},
		{Key: "ucd_key", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Unification API key, sent in the X-REQUEST-TOKEN header; found in Insider's InOne panel under integration settings."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-PLATFORM-NAME", "segment")
		r.SetHeader("X-PARTNER-NAME", s.Str("account_name"))
		r.SetHeader("X-REQUEST-TOKEN", s.Str("ucd_key"))
		return nil
	},
	Actions: []*destkit.Action{
		UpdateUserProfile, TrackEvent, ProductListViewedEvent, ProductViewedEvent, ProductAddedEvent,
		ProductRemovedEvent, UserRegisteredEvent, CartViewedEvent, CheckoutEvent, OrderCompletedEvent,
	},
	Presets: []destkit.Preset{
		{Name: "Create or Update a User Profile", Action: "updateUserProfile", Trigger: `type = "identify"`,
			Mapping: destkit.JSON(UpdateUserProfile.DefaultMapping())},
	},
}

// eventAction is an action that records events under the Insider event
// name insiderEvent ("" for the mapped event name).
func eventAction(key, title, description, subscription, insiderEvent string, fields []destkit.Field) *destkit.Action {
	write := eventUser(insiderEvent)
	return &destkit.Action{
		Key:                 key,
		Title:               title,
		Description:         description,
		DefaultSubscription: subscription,
		Fields:              fields,
		Batch:               &destkit.Batch{MaxSize: maxUsers},
		Perform:             func(in *destkit.Input) ([]destkit.Request, error) { return upsert(in.Payload, write) },
		PerformBatch:        func(in *destkit.BatchInput) ([]destkit.Request, error) { return upsertBatch(in, write) },
	}
}
