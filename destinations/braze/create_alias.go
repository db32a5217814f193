package braze

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CreateAlias adds an alias to a user, or creates an alias-only user.
var CreateAlias = &destkit.Action{
	Key:                 "createAlias",
	Title:               "Create Alias",
	Description:         "Create an alias-only user, or add an alias to a known user.",
	DefaultSubscription: `event = "Create Alias"`,
	Fields:              []destkit.Field{externalIDAlt, aliasName, aliasLabel},
	Perform:             createAlias,
}

func createAlias(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 128))
	w.ObjectStart()
	w.Key("user_aliases")
	w.ArrayStart()
	w.ObjectStart()
	if id := p.Get("external_id"); id != nil && id.Type() != fastjson.TypeNull {
		// A null external ID (allowed by the field) means an alias-only
		// user; Braze wants the key absent then.
		w.Field("external_id", id)
	}
	w.Field("alias_name", p.Get("alias_name"))
	w.Field("alias_label", p.Get("alias_label"))
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/users/alias/new"), w.Bytes())}, nil
}

// CreateAlias2 is CreateAlias behind a sync mode; "add" is its only mode.
var CreateAlias2 = &destkit.Action{
	Key:                 "createAlias2",
	Title:               "Create Alias V2",
	Description:         "Create an alias-only user, or add an alias to a known user.",
	DefaultSubscription: `event = "Create Alias"`,
	Fields:              []destkit.Field{externalIDAlt, aliasName, aliasLabel},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		if m := string(in.Payload.GetStringBytes(destkit.SyncModeKey)); m != "add" {
			return nil, destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use add.", m)
		}
		return createAlias(in)
	},
}
