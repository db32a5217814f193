package insider

// ProductViewedEvent records a product page view.
var ProductViewedEvent = eventAction("productViewedEvent", "Product Viewed Event",
	"Record a product page view in Insider (product_detail_page_view).",
	`type = "track" and event = "Product Viewed"`, "product_detail_page_view",
	eventFields(timestampField, productParameters(), attributesField))
