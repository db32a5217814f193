package cordial

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// AddProductToCart adds a product to the contact's cart in Cordial.
var AddProductToCart = relay(&destkit.Action{
	Key:                 "addProductToCart",
	Title:               "Add Product to Cart",
	Description:         "Add a product to the contact's cart in Cordial.",
	DefaultSubscription: `type = "track" and event = "Product Added"`,
	Fields: slices.Concat(identityFields, []destkit.Field{
		{Key: "productID", Label: "Product ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.product_id"}`,
			Description: "ID of the product."},
		{Key: "sku", Label: "SKU", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.sku"}`,
			Description: "SKU of the product."},
		{Key: "qty", Label: "Quantity", Type: destkit.Integer, Required: true,
			Default:     `{"@path":"$.properties.quantity"}`,
			Description: "Quantity of the product."},
		{Key: "category", Label: "Category", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.category"}`,
			Description: "Category the product belongs to."},
		{Key: "name", Label: "Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.name"}`,
			Description: "Name of the product."},
		{Key: "description", Label: "Description", Type: destkit.String,
			Description: "Text describing the product."},
		{Key: "itemPrice", Label: "Price", Type: destkit.Number,
			Default:     `{"@path":"$.properties.price"}`,
			Description: "Unit price of the product."},
		{Key: "url", Label: "URL", Type: destkit.String,
			Default:     `{"@path":"$.properties.url"}`,
			Description: "URL of the product page."},
		{Key: "imageUrl", Label: "Image URL", Type: destkit.String,
			Default:     `{"@path":"$.properties.image_url"}`,
			Description: "URL of the product image."},
		{Key: "properties", Label: "Properties", Type: destkit.Object,
			Default:     `{"brand":{"@path":"$.properties.brand"},"variant":{"@path":"$.properties.variant"},"coupon":{"@path":"$.properties.coupon"}}`,
			Description: "More properties of the cart item (brand, variant, coupon)."},
	}),
}, identified("productID", "sku", "qty", "category", "name", "description", "itemPrice", "url", "imageUrl", "properties")...)
