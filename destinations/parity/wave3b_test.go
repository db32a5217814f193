package parity

// Wave 3 (second half): insider, algolia-insights, qualtrics, friendbuy,
// actable-predictive, blackbaud-raisers-edge-nxt, livelike-cloud, toplyne. Their
// tables live here so each destination's cases stay with the others of its wave.
func init() {
	held = append(held, "insider")
	destinationSettings["insider"] = map[string]any{"account_name": "acme", "ucd_key": "insider-ucd-key"}
}
