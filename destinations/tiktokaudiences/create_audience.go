package tiktokaudiences

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateAudience creates a TikTok custom audience for the chosen advertiser
// (the legacy way of making the audience that Add Users then fills).
var CreateAudience = &destkit.Action{
	Key:                 "createAudience",
	Title:               "Create Audience (Legacy)",
	Description:         "Creates a new audience in TikTok.",
	DefaultSubscription: `event = "Create Audience"`,
	Fields: []destkit.Field{
		{Key: "selected_advertiser_id", Label: "Advertiser ID", Type: destkit.String, Required: true, Dynamic: advertiserChoices,
			Description: "TikTok advertiser the audience belongs to."},
		{Key: "custom_audience_name", Label: "Custom Audience Name", Type: destkit.String, Required: true,
			Description: "Name of the TikTok audience to create."},
	},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		_, err := createAudience(ctx, d, string(in.Payload.GetStringBytes("selected_advertiser_id")), string(in.Payload.GetStringBytes("custom_audience_name")))
		return err
	},
}
