package launchdarkly

import "github.com/actuate/actuate/destinations/destkit"

// AliasUser links an anonymous context to an identified user.
var AliasUser = &destkit.Action{
	Key:                 "aliasUser",
	Title:               "Alias User",
	Description:         "Alias an anonymous user to an identified user key.",
	DefaultSubscription: `type = "identify" or type = "alias"`,
	Fields: []destkit.Field{
		{Key: "user_key", Label: "User key", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "The identified user's key."},
		{Key: "previous_key", Label: "Anonymous ID", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.previousId"},"then":{"@path":"$.previousId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "The key the user had before signing in."},
		{Key: "timestamp", Label: "Event Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the alias happened; now when unset."},
	},
	Perform: aliasUser,
}

func aliasUser(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := required(p, "user_key", "previous_key"); err != nil {
		return nil, err
	}
	u, err := eventsURL(in.Settings)
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 192))
	w.ArrayStart()
	w.ObjectStart()
	w.Key("kind")
	w.String("alias")
	w.Field("key", p.Get("user_key"))
	w.Field("previousKey", p.Get("previous_key"))
	w.Key("contextKind")
	w.String("user")
	w.Key("previousContextKind")
	w.String("anonymousUser")
	w.Key("creationDate")
	w.Int(creationDate(p.Get("timestamp")))
	w.ObjectEnd()
	w.ArrayEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
}
