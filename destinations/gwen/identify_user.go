package gwen

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// IdentifyUser records a session of a player, with its IP and user agent.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Record a user session in GWEN.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true, Format: "uuid",
			Default:     `{"@path":"$.userId"}`,
			Description: "The player's identifier, a UUID."},
		{Key: "ip", Label: "User IP Address", Type: destkit.String,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the player's device."},
		{Key: "userAgent", Label: "User Agent", Type: destkit.String,
			Default:     `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the player's browser or app."},
	},
	Run: identifyUser,
}

const userSessionQuery = "mutation UserSession($userId: UUID!, $session: UserSessionInput) {\n" +
	"          userSession(userId: $userId, data: $session) {\n" +
	"            timestamp\n" +
	"          }\n" +
	"        }"

func identifyUser(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.StringField("operationName", "UserSession")
	w.StringField("query", userSessionQuery)
	w.Key("variables")
	w.ObjectStart()
	w.Field("userId", p.Get("userId"))
	w.Key("session")
	w.ObjectStart()
	w.Field("ip", p.Get("ip"))
	w.Field("userAgent", p.Get("userAgent"))
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	return mutate(ctx, d, w.Bytes())
}
