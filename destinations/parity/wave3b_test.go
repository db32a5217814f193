package parity

import "encoding/json"

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

func init() {
	held = append(held, "qualtrics")
	destinationSettings["qualtrics"] = map[string]any{"apiToken": "qualtrics-api-token", "datacenter": "iad1"}
	mappingExtras["qualtrics/addContactToXmd"] = `{"directoryId":"POOL_parity"}`
	mappingExtras["qualtrics/upsertContactTransaction"] = `{"directoryId":"POOL_parity","mailingListId":"CG_parity","transactionData":{"@path":"$.properties"}}`
	mappingExtras["qualtrics/triggerXflowWorkflow"] = `{"workflowUrl":"https://iad1.qualtrics.com/inbound-event/v1/events/json/triggers?token=parity"}`
	// The directory search finds one contact.
	scriptedReplies["qualtrics/upsertContactTransaction"] = []reply{
		{Method: "POST", URL: `/contacts/search$`, Body: json.RawMessage(`{"result":{"elements":[{"id":"CID_parity"}]},"meta":{"httpStatus":"200 - OK"}}`)},
	}
	// No contact matches (it is created), or several do (both fail).
	transaction := []string{eventNamed("Transaction Created")}
	extraCases["qualtrics/upsertContactTransaction"] = []extraCase{
		{Label: "contact created", Events: transaction, Replies: []reply{
			{Method: "POST", URL: `/contacts/search$`, Body: json.RawMessage(`{"result":{"elements":[]}}`)},
			{Method: "POST", URL: `/contacts$`, Body: json.RawMessage(`{"result":{"id":"CID_created"}}`)}}},
		{Label: "two contacts match", Events: transaction, Replies: []reply{
			{Method: "POST", URL: `/contacts/search$`, Body: json.RawMessage(`{"result":{"elements":[{"id":"CID_1"},{"id":"CID_2"}]}}`)}}},
	}
	knownDifferences = append(knownDifferences, known{"qualtrics", "upsertContactTransaction", "req[] body $.",
		"Segment keys each transaction with a random 16-character id (Math.random), and so does Actuate, so the two " +
			"bodies never share their one key; the transaction under it is checked request-exact by the qualtrics tests"})
}

func init() {
	held = append(held, "friendbuy")
	destinationSettings["friendbuy"] = map[string]any{"authKey": "5c2b6b4e-3c1d-4b7a-9a51-0d6f2f1e8c01", "authSecret": "friendbuy-parity-secret"}
	// Friendbuy's actions suggest no trigger.
	caseTriggers["friendbuy/trackCustomer"] = `type = "identify"`
	caseTriggers["friendbuy/trackPurchase"] = `event = "Order Completed"`
	caseTriggers["friendbuy/trackSignUp"] = `event = "Signed Up"`
	// The MAPI token both sides fetch before their first call (and keep).
	scriptedReplies["friendbuy"] = []reply{{Method: "POST", URL: `/v1/authorization$`,
		Body: json.RawMessage(`{"token":"fb-parity-token","expires":"2099-01-01T00:00:00.000Z"}`)}}
	// Customers with Friendbuy's camel-case traits, a birthday, an age as text and
	// custom attributes; events with the buyer's email and attributes.
	eventEdits["friendbuy"] = func(ev map[string]any) {
		attrs := map[string]any{"favoriteColor": "green", "vip": true, "visits": 12, "tags": []any{"a", "b"}, "firstName": "Janet"}
		if traits, ok := ev["traits"].(map[string]any); ok && ev["type"] == "identify" {
			traits["firstName"], traits["lastName"], traits["age"] = "Jane", "Doe", "36"
			traits["loyaltyStatus"], traits["customerSince"] = "in", "2025-11-01T09:00:00.000Z"
			traits["friendbuyAttributes"] = attrs
		}
		if props, ok := ev["properties"].(map[string]any); ok && ev["type"] == "track" {
			props["email"], props["birthday"], props["age"] = "jane.doe@example.com", "1990-04-12", 36
			props["friendbuyAttributes"] = attrs
		}
	}
}

func init() {
	held = append(held, "actable-predictive")
	destinationSettings["actable-predictive"] = map[string]any{"client_id": "actable-client", "client_secret": "actable-secret"}
	// Actable's actions suggest no trigger; a transaction is an order.
	caseTriggers["actable-predictive/sendTransactionEvent"] = `event = "Order Completed"`
	mappingExtras["actable-predictive/sendTransactionEvent"] = `{"discount_code":{"@path":"$.properties.coupon"}}`
	mappingExtras["actable-predictive/sendEmailEvent"] = `{"opened_flag":1,"clicked_flag":"0"}`
	extraCases["actable-predictive/sendCustomEvent"] = []extraCase{{Label: "unix seconds as text",
		Events: []string{sample("track", "Signed Up")}, Mapping: `{"timestamp":"1772446542"}`}}
	knownDifferences = append(knownDifferences, known{"actable-predictive", "sendCustomEvent", "req[] body $.data[].timestamp", unixText})
}

func init() {
	held = append(held, "blackbaud-raisers-edge-nxt")
	destinationSettings["blackbaud-raisers-edge-nxt"] = map[string]any{"bbApiSubscriptionKey": "bb-subscription-key"}
	// Constituents with Raiser's Edge's camel-case names; donations with their fund and
	// payment.
	eventEdits["blackbaud-raisers-edge-nxt"] = func(ev map[string]any) {
		if traits, ok := ev["traits"].(map[string]any); ok && ev["type"] == "identify" {
			traits["firstName"], traits["lastName"], traits["title"] = "Jane", "Doe", "Dr."
		}
		if props, ok := ev["properties"].(map[string]any); ok && ev["type"] == "track" {
			props["firstName"], props["lastName"], props["email"] = "Jane", "Doe", "jane.doe@example.com"
			props["revenue"], props["fundId"], props["paymentMethod"] = 50, "12", "Cash"
			props["summary"], props["location"] = "Thank-you call", "Phone"
		}
	}
	mappingExtras["blackbaud-raisers-edge-nxt/createGift"] = `{"date":{"@path":"$.timestamp"}}`
	// Segment requires a category of each action, one of its choices; the sample events'
	// categories ("Shoes") are none of them.
	mappingExtras["blackbaud-raisers-edge-nxt/createConstituentAction"] = `{"category":"Phone Call"}`
	// A known constituent: updated, with a new address, its inactive email address
	// reactivated and its phone (the same digits) left alone.
	extraCases["blackbaud-raisers-edge-nxt/createOrUpdateIndividualConstituent"] = []extraCase{{Label: "update with related records",
		Events: []string{sample("identify", "")},
		Mapping: `{"address":{"address_lines":{"@path":"$.traits.address.street"},"city":{"@path":"$.traits.address.city"},` +
			`"postal_code":{"@path":"$.traits.address.postal_code"},"state":{"@path":"$.traits.address.state"},"type":"Home"},` +
			`"email":{"address":{"@path":"$.traits.email"},"type":"Email","primary":true},"phone":{"number":{"@path":"$.traits.phone"},"type":"Mobile"}}`,
		Replies: []reply{
			{Method: "GET", URL: `/constituents/search`, Body: json.RawMessage(`{"count":1,"value":[{"id":"280"}]}`)},
			{Method: "GET", URL: `/addresses\?include_inactive=true$`, Body: json.RawMessage(`{"count":0,"value":[]}`)},
			{Method: "GET", URL: `/emailaddresses\?include_inactive=true$`, Body: json.RawMessage(`{"count":1,"value":[{"id":"e-1","address":"JANE.DOE@example.com","type":"Email","inactive":true}]}`)},
			{Method: "GET", URL: `/phones\?include_inactive=true$`, Body: json.RawMessage(`{"count":1,"value":[{"id":"p-1","number":"1 415 555 0123","type":"Mobile"}]}`)},
		}}}
	// The constituent search finds nobody, so the constituent is created.
	scriptedReplies["blackbaud-raisers-edge-nxt"] = []reply{
		{Method: "GET", URL: `/constituents/search`, Body: json.RawMessage(`{"count":0,"value":[]}`)},
		{Method: "POST", URL: `/constituent/v1/constituents$`, Body: json.RawMessage(`{"id":"280"}`)},
	}
}

func init() {
	held = append(held, "livelike-cloud")
	destinationSettings["livelike-cloud"] = map[string]any{"clientId": "livelike-client", "producerToken": "livelike-producer-token"}
	// Identify calls from an Engage audience: the user entered "vip_users".
	eventEdits["livelike-cloud"] = func(ev map[string]any) {
		if traits, ok := ev["traits"].(map[string]any); ok && ev["type"] == "identify" {
			traits["vip_users"] = true
			traits["livelike_profile_id"] = "ll-profile-7"
			ev["context"].(map[string]any)["personas"] = map[string]any{"computation_id": "aud_2abc", "computation_key": "vip_users", "computation_class": "audience"}
		}
	}
	// The user leaves the audience; and a flag that is no boolean.
	left := edited(sample("identify", ""), func(ev map[string]any) {
		ev["context"].(map[string]any)["personas"] = map[string]any{"computation_id": "aud_2abc", "computation_key": "vip_users"}
		ev["traits"].(map[string]any)["vip_users"] = false
	})
	notBoolean := edited(left, func(ev map[string]any) { ev["traits"].(map[string]any)["vip_users"] = "yes" })
	extraCases["livelike-cloud/syncToUserGroup"] = []extraCase{
		{Label: "user leaves the audience", Events: []string{left}},
		{Label: "flag not a boolean", Events: []string{notBoolean}},
	}
	// An event of nobody LiveLike can identify.
	extraCases["livelike-cloud/trackEvent"] = []extraCase{{Label: "no user id", Events: []string{sample("track", "Report Exported")}}}
}

func init() {
	held = append(held, "toplyne")
	destinationSettings["toplyne"] = map[string]any{"apiKey": "toplyne-api-key"}
	// A time given as epoch milliseconds, and as Unix seconds in a string.
	extraCases["toplyne/sendEvents"] = []extraCase{
		{Label: "epoch milliseconds", Events: []string{sample("track", "Signed Up")}, Mapping: `{"timestamp":1772446542999}`},
		{Label: "unix seconds as text", Events: []string{sample("track", "Signed Up")}, Mapping: `{"timestamp":"1772446542"}`},
	}
	knownDifferences = append(knownDifferences, known{"toplyne", "sendEvents", "req[] body $.events[].timestamp", unixText})
}

// unixText is why a time given as a string of digits differs (toplyne and actable-predictive).
const unixText = "a string of digits is Unix seconds, as Actuate's validation of datetimes reads it, and is sent as " +
	"those seconds; Segment's date library (dayjs) reads it as a compact year-month-day and sends a time in 1775"
