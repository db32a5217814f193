package insider

// ProductListViewedEvent records a listing page view.
var ProductListViewedEvent = eventAction("productListViewedEvent", "Product List Viewed Event",
	"Record a product listing page view in Insider (listing_page_view).",
	`type = "track" and event = "Product List Viewed"`, "listing_page_view",
	eventFields(
		timestampField,
		parametersField(`{"url":`+pageURLDefault+`,"taxonomy":{"@path":"$.properties.category"},"referrer":`+referrerDefault+`}`,
			"url", "taxonomy", "referrer"),
		attributesField,
	))
