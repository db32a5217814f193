package iterable

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateCart replaces a user's shopping cart.
var UpdateCart = &destkit.Action{
	Key:                 "updateCart",
	Title:               "Cart Updates",
	Description:         "Replace the shopping cart of an Iterable user.",
	DefaultSubscription: `type = "track" and event = "Cart Updated"`,
	Fields: []destkit.Field{
		commerceUser(emailField, withDefault(userIDField, `{"@path":"$.userId"}`), mergeField, userDataField, phoneField),
		itemsField,
	},
	Perform: updateCart,
}

// writeCommerceUser writes {...user without phoneNumber, dataFields}.
func writeCommerceUser(u *fastjson.Value) func(*destkit.JSONWriter) {
	return func(w *destkit.JSONWriter) {
		spread(w, u.GetObject(), []string{"phoneNumber"}, plain,
			member{"dataFields", userDataFields(u.Get("dataFields"), u.Get("phoneNumber"))})
	}
}

func updateCart(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	user := p.Get("user")
	if err := requireUser(user, "user"); err != nil {
		return nil, err
	}
	list := p.GetArray("items")
	if len(list) == 0 {
		return nil, destkit.ValidationErrorf("items", "The field items is required.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	w.Key("user")
	writeCommerceUser(user)(w)
	w.Key("items")
	items(list)(w)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/api/commerce/updateCart"), w.Bytes())}, nil
}
