package parity

import "encoding/json"

// Wave 3 (third share): Salesforce Marketing Cloud, Airship, Moloco MCM, Segment Profiles,
// Kameleoon, Voucherify and Pardot, all in @segment/action-destinations 3.497.0.
func init() {
	held = append(held, "salesforce-marketing-cloud", "airship", "moloco-rmp", "segment-profiles", "kameleoon", "voucherify", "actions-pardot")

	destinationSettings["salesforce-marketing-cloud"] = map[string]any{
		"subdomain": "mc563885gzs27c5t9-63k636ttgm", "account_id": "510000123", "client_id": "sfmc-client", "client_secret": "sfmc-secret",
	}
	sfmcHook := `"onMappingSave":{"inputs":{"operation":"select","dataExtensionId":"6a7b-c8d9"},"outputs":{"id":"6a7b-c8d9","name":"Parity"}}`
	for k, v := range map[string]string{
		"salesforce-marketing-cloud/apiEvent":               `{"eventDefinitionKey":"APIEvent-parity","data":{"plan":{"@path":"$.traits.plan"},"event":{"@path":"$.event"}}}`,
		"salesforce-marketing-cloud/dataExtension":          `{"key":"Parity Events","keys":{"id":{"@path":"$.messageId"}},"values":{"event":{"@path":"$.event"},"email":{"@path":"$.context.traits.email"}}}`,
		"salesforce-marketing-cloud/contactDataExtension":   `{"id":"6a7b-c8d9","values":{"email":{"@path":"$.traits.email"},"plan":{"@path":"$.traits.plan"}}}`,
		"salesforce-marketing-cloud/dataExtensionV2":        `{` + sfmcHook + `,"keys":{"id":{"@path":"$.messageId"}},"values":{"event":{"@path":"$.event"}}}`,
		"salesforce-marketing-cloud/contactDataExtensionV2": `{` + sfmcHook + `,"values":{"email":{"@path":"$.traits.email"}}}`,
		"salesforce-marketing-cloud/asyncDataExtension":     `{` + sfmcHook + `,"keys":{"id":{"@path":"$.messageId"}},"values":{"event":{"@path":"$.event"},"id":{"@path":"$.userId"}}}`,
	} {
		mappingExtras[k] = v
	}

	// Airship keeps custom events of the past 90 days: these happened an hour ago, but for the
	// extra cases' events that keep their old time (airshipOld).
	eventEdits["airship"] = func(ev map[string]any) {
		if ev["messageId"] != airshipOld {
			recent(ev)
		}
	}
	oldTrack := edited(sample("track", "Signed Up"), func(ev map[string]any) { ev["messageId"] = airshipOld })
	oldIdentify := edited(sample("identify", ""), func(ev map[string]any) { ev["messageId"] = airshipOld })
	extraCases["airship/customEvents"] = []extraCase{{Label: "event older than 90 days", Events: []string{oldTrack}}}
	extraCases["airship/setAttributes"] = []extraCase{{Label: "attributes older than 90 days", Events: []string{oldIdentify}}}
	extraCases["airship/registerAndAssociate"] = []extraCase{{Label: "click tracking opt-in dates", Events: []string{
		trackEvent("Address Registered", "user-1042", `{"address":"jane.doe@example.com","click_tracking_opted_in":"2026-03-01T08:00:00.000Z","click_tracking_opted_out":"2026-03-02T08:00:00.000Z"}`),
	}, Replies: airshipRegistered}}
	destinationEvents["airship"] = []string{
		trackEvent("Address Registered", "user-1042", `{"address":"jane.doe@example.com","commercial_opted_in":"2026-03-01T08:00:00.000Z","transactional_opted_in":"2026-03-01T08:00:00.000Z"}`),
		edited(sample("identify", ""), func(ev map[string]any) {
			ev["traits"].(map[string]any)["airship_tags"] = map[string]any{"vip": true, "churned": "false"}
		}),
	}
	knownDifferences = append(knownDifferences,
		known{"airship", "customEvents", "requests", "an event older than 90 days fails in Actuate before sending: Airship " +
			"refuses it, and Segment sends it with \"occurred\": false (airship package doc)"},
		known{"airship", "setAttributes", "req[] body $.attributes[].timestamp", "an attribute older than 90 days goes " +
			"without its timestamp (Airship takes the time of receipt), where Segment sends \"timestamp\": false (airship package doc)"},
		known{"airship", "registerAndAssociate", "req[] body $.channel.", "the click-tracking opt-in and opt-out dates go to " +
			"click_tracking_opted_in and click_tracking_opted_out; Segment writes them over commercial_opted_in and " +
			"click_tracking_opted_in (airship package doc)"},
		known{"airship", "customEvents", "error", "a batch's event with neither named user nor channel (an anonymous " +
			"track) fails on its own in Actuate and the rest is sent; Segment's 3.497.0 drops it from the batch unreported " +
			"(named_user_id was required then), and Segment's current code fails the whole batch for it"},
	)
	scriptedReplies["airship"] = airshipRegistered

	// Moloco's Home and Land actions take pages of those names; a wish list's revenue is required
	// once its currency is mapped.
	destinationEvents["moloco-rmp"] = []string{
		trackEvent("Product Added to Wishlist", "user-1042", `{"product_id":"sku-100","name":"Trail Shoe","price":89.99,"quantity":1,"currency":"USD","revenue":89.99}`),
		edited(sample("page", ""), func(ev map[string]any) { ev["name"] = "Home"; ev["properties"].(map[string]any)["name"] = "Home" }),
		edited(sample("page", ""), func(ev map[string]any) { ev["name"] = "Land"; ev["properties"].(map[string]any)["name"] = "Land" }),
	}

	// Segment Profiles hands its calls to Segment's pipeline: no HTTP on Segment's side.
	notHTTP["segment-profiles"] = true
	mappingExtras["segment-profiles/*"] = `{"engage_space":"spa_parity","user_id":{"@path":"$.userId"},"anonymous_id":{"@path":"$.anonymousId"}}`
	mappingExtras["segment-profiles/sendTrack"] = `{"event_name":{"@path":"$.event"},"properties":{"@path":"$.properties"}}`
	mappingExtras["segment-profiles/sendSubscription"] = `{"email":{"@path":"$.traits.email"},"email_subscription_status":"subscribed",` +
		`"subscription_groups":{"newsletter":"true","offers":"unsubscribed"},"phone":{"@path":"$.traits.phone"},"sms_subscription_status":"did-not-subscribe","traits":{"@path":"$.traits"}}`
	mappingExtras["segment-profiles/sendIdentify"] = `{"traits":{"@path":"$.traits"}}`
	mappingExtras["segment-profiles/sendGroup"] = `{"group_id":{"@path":"$.groupId"},"traits":{"@path":"$.traits"}}`
	knownDifferences = append(knownDifferences, known{"segment-profiles", "*", "requests", "Segment's action returns the call to " +
		"Segment's own pipeline (the harness sees no request); Actuate posts that same batch, compared as the body, to the " +
		"tracking API's /v1/batch with the Profile Space's write key"})
}

// airshipRegistered answers an email registration with the new channel.
var airshipRegistered = []reply{
	{Method: "POST", URL: `/api/channels/email$`, Status: 201, Body: json.RawMessage(`{"ok":true,"channel_id":"5d3e7e6f-0b1c-4a5f-9d8e-2f1a3b4c5d6e"}`)},
}

// airshipOld marks the events whose time the airship edit keeps.
const airshipOld = "msg-airship-old"
