// Package slack posts messages to Slack through incoming webhooks.
package slack

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Slack destination. It has no settings: the secret is the
// incoming-webhook URL, which is part of each mapping.
var Definition = &destkit.Definition{
	Slug:        "slack",
	SegmentSlug: "actions-slack",
	Name:        "Slack",
	Description: "Post a message to a Slack channel when an event matches.",
	Auth:        destkit.AuthNone,
	Actions:     []*destkit.Action{PostToChannel},
}
