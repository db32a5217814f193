package insider

// ProductAddedEvent records a product added to the cart.
var ProductAddedEvent = eventAction("productAddedEvent", "Product Added Event",
	"Record a product added to the cart in Insider (item_added_to_cart).",
	`type = "track" and event = "Product Added"`, "item_added_to_cart",
	eventFields(timestampField, productParameters(), attributesField))
