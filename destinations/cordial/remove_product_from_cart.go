package cordial

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// RemoveProductFromCart removes a quantity of a product from the contact's cart in Cordial.
var RemoveProductFromCart = relay(&destkit.Action{
	Key:                 "removeProductFromCart",
	Title:               "Remove Product from Cart",
	Description:         "Remove a quantity of a product from the contact's cart in Cordial.",
	DefaultSubscription: `type = "track" and event = "Product Removed"`,
	Fields: slices.Concat(identityFields, []destkit.Field{
		{Key: "productID", Label: "Product ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.product_id"}`,
			Description: "ID of the product."},
		{Key: "qty", Label: "Quantity", Type: destkit.Integer, Required: true,
			Default:     `{"@path":"$.properties.quantity"}`,
			Description: "Quantity of the product to remove."},
	}),
}, identified("productID", "qty")...)
