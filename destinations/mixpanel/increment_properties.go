package mixpanel

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// IncrementProperties adds to numeric user profile properties.
var IncrementProperties = &destkit.Action{
	Key:                 "incrementProperties",
	Title:               "Increment Properties",
	Description:         "Increment numeric properties of a user profile.",
	DefaultSubscription: `type = "track"`,
	Fields:              []destkit.Field{ip, userIDAlt, anonymousIDAlt, increment},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		distinct := p.Get("user_id")
		if distinct == nil {
			distinct = p.Get("anonymous_id")
		}
		inc := p.GetObject("increment")
		if distinct == nil || inc == nil || inc.Len() == 0 {
			return nil, destkit.ValidationErrorf("increment", "A user or anonymous ID and at least one property to increment are required.")
		}
		return []destkit.Request{engage(in.Settings, distinct, p.Get("ip"), "$add", p.Get("increment"))}, nil
	},
}
