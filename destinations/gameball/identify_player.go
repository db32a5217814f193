package gameball

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
)

// IdentifyPlayer creates or updates a player.
var IdentifyPlayer = &destkit.Action{
	Key:                 "identifyPlayer",
	Title:               "Identify Player",
	Description:         "Create or update a player in Gameball with their attributes.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		playerUniqueID, mobile, email,
		{Key: "displayName", Label: "Display Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.displayName"}`,
			Description: "Name shown for the player; when set, first and last names are taken from it."},
		{Key: "firstName", Label: "First Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.first_name"}`,
			Description: "First name of the player."},
		{Key: "lastName", Label: "Last Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.last_name"}`,
			Description: "Last name of the player."},
		{Key: "gender", Label: "Gender", Type: destkit.String,
			Default:     `{"@path":"$.traits.gender"}`,
			Description: "Gender of the player."},
		{Key: "dateOfBirth", Label: "Date Of Birth", Type: destkit.Datetime,
			Default:     `{"@path":"$.traits.birthday"}`,
			Description: "Birthday of the player."},
		{Key: "joinDate", Label: "Join Date", Type: destkit.Datetime,
			Default:     `{"@path":"$.traits.joinDate"}`,
			Description: "When the player joined."},
		{Key: "country", Label: "Country", Type: destkit.String,
			Default:     `{"@path":"$.traits.address.country"}`,
			Description: "Country of the player."},
		{Key: "city", Label: "City", Type: destkit.String,
			Default:     `{"@path":"$.traits.address.city"}`,
			Description: "City of the player."},
		{Key: "zip", Label: "Zip code", Type: destkit.String,
			Default:     `{"@path":"$.traits.location.postalCode"}`,
			Description: "Postal code of the player."},
		{Key: "preferredLanguage", Label: "Preferred language", Type: destkit.String,
			Default:     `{"@path":"$.context.locale"}`,
			Description: "Language of the player; only the part before a dash is sent (en for en-GB)."},
		{Key: "guest", Label: "Guest", Type: destkit.Boolean,
			Default:     `{"@if":{"exists":{"@path":"$.traits.is_guest"},"then":{"@path":"$.traits.is_guest"},"else":false}}`,
			Description: "Whether the player is a guest (no account)."},
		{Key: "utms", Label: "UTMs", Type: destkit.Object, Multiple: true,
			Default: `{"@arrayPath":["$.context.campaign",{"campaign":{"@path":"$.name"},"source":{"@path":"$.source"},"medium":{"@path":"$.medium"},"content":{"@path":"$.content"},"term":{"@path":"$.term"}}]}`,
			Properties: []destkit.Field{
				{Key: "campaign", Label: "Campaign", Type: destkit.String, Description: "Campaign name."},
				{Key: "source", Label: "Source", Type: destkit.String, Description: "Campaign source."},
				{Key: "medium", Label: "Medium", Type: destkit.String, Description: "Campaign medium."},
				{Key: "content", Label: "Content", Type: destkit.String, Description: "Campaign content."},
				{Key: "term", Label: "Term", Type: destkit.String, Description: "Campaign term."},
			},
			Description: "Campaigns the player came from."},
		{Key: "devices", Label: "Devices", Type: destkit.Object, Multiple: true,
			Default: `{"@arrayPath":["$.context",{"userAgent":{"@path":"$.userAgent"},"os":{"@path":"$.os.name"},"device":{"@path":"$.device.name"}}]}`,
			Properties: []destkit.Field{
				{Key: "userAgent", Label: "User Agent", Type: destkit.String, Description: "User agent of the player's browser."},
				{Key: "os", Label: "OS", Type: destkit.String, Description: "Operating system of the device."},
				{Key: "device", Label: "Player device", Type: destkit.String, Description: "Name of the device."},
			},
			Description: "Devices the player uses."},
		{Key: "totalSpent", Label: "Total Spent", Type: destkit.Number,
			Default:     `{"@path":"$.traits.totalSpent"}`,
			Description: "Total the player has spent."},
		{Key: "lastOrderDate", Label: "Last Order Date", Type: destkit.Datetime,
			Default:     `{"@path":"$.traits.lastOrderDate"}`,
			Description: "When the player last ordered."},
		{Key: "totalOrders", Label: "Total Orders", Type: destkit.Number,
			Default:     `{"@path":"$.traits.totalOrders"}`,
			Description: "Number of orders of the player."},
		{Key: "avgOrderAmount", Label: "Average Order Amount", Type: destkit.Number,
			Default:     `{"@path":"$.traits.avgOrderAmount"}`,
			Description: "Average amount of the player's orders."},
		{Key: "tags", Label: "Tags", Type: destkit.String,
			Default:     `{"@path":"$.traits.tags"}`,
			Description: "Comma-separated tags of the player."},
		{Key: "playerCustomAttributes", Label: "Player Custom Attributes", Type: destkit.Object,
			Default:     `{"@path":"$.traits.extra"}`,
			Description: "Custom attributes of the player."},
		{Key: "referrerCode", Label: "Referrer Code", Type: destkit.String,
			Default:     `{"@path":"$.traits.referrerCode"}`,
			Description: "Referral code of the player who referred this one."},
		{Key: "levelOrder", Label: "Level Order", Type: destkit.Number,
			Default:     `{"@path":"$.traits.levelOrder"}`,
			Description: "Level to put the player on."},
		{Key: "deviceToken", Label: "Device Token", Type: destkit.String,
			Default:     `{"@path":"$.traits.deviceToken"}`,
			Description: "Push notification token of the player's device."},
	},
	Perform: identifyPlayer,
}

func identifyPlayer(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	var body destkit.JSObject
	for _, k := range []string{"playerUniqueId", "mobile", "email", "playerCustomAttributes", "referrerCode", "levelOrder", "deviceToken"} {
		body.SetValue(k, p.Get(k))
	}
	// playerAttributes is the whole payload, with the language cut at its
	// first dash and the names completed from each other.
	var attrs destkit.JSObject
	attrs.Assign(p, notInternal)
	if lang := string(p.GetStringBytes("preferredLanguage")); lang != "" {
		attrs.Set("preferredLanguage", destkit.AppendJSONString(nil, strings.SplitN(lang, "-", 2)[0]))
	}
	first, last := p.Get("firstName"), p.Get("lastName")
	if display := string(p.GetStringBytes("displayName")); display != "" {
		parts := strings.Split(display, " ")
		if len(parts) > 1 {
			attrs.Set("firstName", destkit.AppendJSONString(nil, strings.Join(parts[:len(parts)-1], " ")))
			attrs.Set("lastName", destkit.AppendJSONString(nil, parts[len(parts)-1]))
		} else {
			attrs.Set("firstName", destkit.AppendJSONString(nil, parts[0]))
		}
	} else if len(first.GetStringBytes()) > 0 || len(last.GetStringBytes()) > 0 {
		f, l := string(first.GetStringBytes()), string(last.GetStringBytes())
		attrs.Set("firstName", destkit.AppendJSONString(nil, f))
		attrs.Set("lastName", destkit.AppendJSONString(nil, l))
		attrs.Set("displayName", destkit.AppendJSONString(nil, jsvalue.Trim(f+" "+l)))
	}
	body.Set("playerAttributes", attrs.AppendJSON(nil))
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"player", body.AppendJSON(nil))}, nil
}
