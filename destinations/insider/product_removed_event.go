package insider

// ProductRemovedEvent records a product removed from the cart.
var ProductRemovedEvent = eventAction("productRemovedEvent", "Product Removed Event",
	"Record a product removed from the cart in Insider (item_removed_from_cart).",
	`type = "track" and event = "Product Removed"`, "item_removed_from_cart",
	eventFields(timestampField, productParameters(), attributesField))
