// Package molocormp sends commerce events to Moloco Commerce Media (MCM,
// formerly Retail Media Platform) through its Segment events endpoint.
//
// Every action posts one event to
// https://<platform>-evt.rmp-api.moloco.com/cdp/SEGMENT, where <platform> is
// the platform name when set, else the platform id, with underscores made
// hyphens; the API key goes in x-api-key and the platform id in
// x-platform-id. The platform part must be letters, digits and hyphens (an
// API key must not follow a setting to another host).
//
// The body is Moloco's event: event_type (per action), the instance's
// channel_type, timestamp, id, user_id, device (os upper-cased, IPADOS read
// as IOS), session_id, revenue and shipping_charge as {amount, currency},
// search_query, referrer_page_id, items ({id, quantity, seller_id, price:
// {amount, currency}}, an item's currency defaulting to default_currency)
// and page_id (else the page identifier tokens as key:value pairs joined by
// ";"). An item with a price but no currency, or a currency but no price,
// is refused, as in Segment.
package molocormp

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Moloco MCM destination.
var Definition = &destkit.Definition{
	Slug:        "moloco-rmp",
	SegmentSlug: "actions-moloco-rmp",
	Name:        "Moloco MCM",
	Description: "Send shopping events (views, searches, carts, purchases) to Moloco Commerce Media for ad targeting and attribution.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "platformId", Label: "Platform ID", Type: destkit.String, Required: true,
			Description: "Your platform's id in Moloco MCM."},
		{Key: "platformName", Label: "Platform Name", Type: destkit.String, Default: `""`,
			Description: "Your platform's name, when Moloco's endpoint is named after it rather than the id."},
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The MCM events API key Moloco issued."},
		{Key: "channel_type", Label: "Channel Type", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "APP", Label: "App"}, {Value: "SITE", Label: "Site"}},
			Description: "Whether the events come from an app or a web site."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("x-api-key", s.Str("apiKey"))
		r.SetHeader("x-platform-id", s.Str("platformId"))
		return nil
	},
	Actions: []*destkit.Action{Home, Search, AddToWishlist, ItemPageView, PageView, Land, Purchase, AddToCart},
	Presets: []destkit.Preset{
		preset("Search", Search), preset("Purchase", Purchase), preset("Page View", PageView), preset("Land", Land),
		preset("Item Page View", ItemPageView), preset("Home", Home), preset("Add to Wishlist", AddToWishlist), preset("Add to Cart", AddToCart),
	},
}

// preset subscribes an action with its default mapping to its own trigger.
func preset(name string, a *destkit.Action) destkit.Preset {
	return destkit.Preset{Name: name, Action: a.Key, Trigger: a.DefaultSubscription, Mapping: destkit.JSON(a.DefaultMapping())}
}

// endpoint is the platform's events URL.
func endpoint(s *destkit.Settings) (string, error) {
	name := s.Str("platformName")
	if name == "" {
		name = s.Str("platformId")
	}
	host := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_':
			c = '-'
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-':
		default:
			return "", &destkit.IntegrationError{Code: "INVALID_SETTINGS",
				Message: "settings platformName and platformId: the endpoint's platform part may hold only letters, digits, hyphens and underscores"}
		}
		host = append(host, c)
	}
	if len(host) == 0 {
		return "", &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "setting platformId is required"}
	}
	return "https://" + string(host) + "-evt.rmp-api.moloco.com/cdp/SEGMENT", nil
}
