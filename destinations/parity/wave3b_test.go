package parity

// Wave 3 (second half): insider, algolia-insights, qualtrics, friendbuy,
// actable-predictive, blackbaud-raisers-edge-nxt, livelike-cloud, toplyne. Their
// tables live here so each destination's cases stay with the others of its wave.
func init() {
	held = append(held, "insider")
	destinationSettings["insider"] = map[string]any{"account_name": "acme", "ucd_key": "insider-ucd-key"}
}

func init() {
	held = append(held, "algolia-insights")
	destinationSettings["algolia-insights"] = map[string]any{"appId": "ALGOLIA01", "apiKey": "algolia-insights-key"}
	// Every event is about a record of the products index, found by a search; the
	// filtered list carries its filters.
	eventEdits["algolia-insights"] = func(ev map[string]any) {
		props, _ := ev["properties"].(map[string]any)
		if props == nil {
			return
		}
		props["search_index"] = "products"
		props["query_id"] = "43b15df305339e827f0ac0bdc5ebcaa7"
		if ev["event"] == "Product List Filtered" {
			props["filters"] = []any{map[string]any{"attribute": "color", "value": "black"}, map[string]any{"attribute": "size", "value": "42"}}
		}
	}
	// Extra properties under Algolia's own names are overwritten, or removed when the
	// field is unmapped; a timestamp that is no date is sent as null.
	extraCases["algolia-insights/productClickedEvents"] = []extraCase{{Label: "extra properties under Algolia's names",
		Events:  []string{eventNamed("Product Clicked")},
		Mapping: `{"extraProperties":{"positions":[9],"objectIDs":["stale"],"note":"kept"},"position":null,"timestamp":"yesterday"}`}}
	extraCases["algolia-insights/conversionEvents"] = []extraCase{{Label: "no per-record details",
		Events:  []string{sample("track", "Order Completed")},
		Mapping: `{"products":{"@arrayPath":["$.properties.products",{"product_id":{"@path":"$.product_id"}}]},"extraProperties":{"objectData":"stale"}}`}}
}
