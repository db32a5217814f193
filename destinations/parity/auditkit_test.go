package parity

import "encoding/json"

// The audience destinations written on the audience kit: Braze Cohorts,
// LaunchDarkly Audiences, Insider Audiences, Optimizely Advanced Audience
// Targeting and Criteo Audiences. Their tables join the shared ones here.
func init() {
	held = append(held, "braze-cohorts", "launchdarkly-audiences", "insider-audiences",
		"optimizely-advanced-audience-targeting", "criteo-audiences")

	// Users entering and leaving "vip", by identify (traits) and by track
	// (properties), as Engage sends them.
	audienceEvents := []string{
		audienceIdentify(true), audienceIdentify(false),
		audienceTrack("Audience Entered", true), audienceTrack("Audience Exited", false),
	}
	for _, d := range []string{"braze-cohorts", "launchdarkly-audiences", "insider-audiences", "optimizely-advanced-audience-targeting", "criteo-audiences"} {
		destinationEvents[d] = audienceEvents
		// Every other event the actions' triggers take is made an audience
		// event too: these destinations read nothing else.
		eventEdits[d] = asAudienceEvent
	}

	knownDifferences = append(knownDifferences,
		known{"braze-cohorts", "syncAudiences", "requests", "the cohort is created once per instance and cohort name (the " +
			"audience kit's store); Segment keeps the name in its production request state, which the test harness does not " +
			"give it, so it creates the cohort again before every event"},
	)
	destinationSettings["braze-cohorts"] = map[string]any{"client_secret": "braze-client-secret", "endpoint": "https://rest.iad-01.braze.com"}
	// The audience key a user writes in, as Braze Cohorts asks.
	mappingExtras["braze-cohorts/syncAudiences"] = `{"personas_audience_key":"vip"}`

	// An anonymous user under "user id only": Segment sends an item without a
	// context key, which names no context; Actuate refuses the event.
	ldNoKey := "an event without the identifier the context key priority takes (an anonymous user under user_id_only) is refused, " +
		"naming context_key; Segment sends its item without a userId, which names no LaunchDarkly context " +
		"(launchdarklyaudiences.contextKey)"
	knownDifferences = append(knownDifferences,
		known{"launchdarkly-audiences", "syncAudience", "error", ldNoKey},
		known{"launchdarkly-audiences", "syncAudience", "requests", ldNoKey},
		known{"launchdarkly-audiences", "syncAudience", "req[] body $.batch[]", ldNoKey},
		known{"launchdarkly-audiences", "syncAudience", "req[] body $.batch[].userId", ldNoKey},
	)
	destinationSettings["launchdarkly-audiences"] = map[string]any{"apiKey": "api-ld-parity", "clientId": "env-client-parity"}
	destinationSettings["insider-audiences"] = map[string]any{"account_name": "acme", "ucd_key": "insider-parity-key"}
	destinationSettings["optimizely-advanced-audience-targeting"] = map[string]any{"apiKey": "opti-parity-key", "region": "EU"}

	destinationSettings["criteo-audiences"] = map[string]any{"client_id": "criteo-client", "client_secret": "criteo-secret", "advertiser_id": "4242"}
	// Criteo's token, and the advertiser's contact list named after the audience.
	scriptedReplies["criteo-audiences"] = []reply{
		{Method: "POST", URL: `/oauth2/token$`, Body: json.RawMessage(`{"access_token":"criteo-token","token_type":"Bearer","expires_in":900}`)},
		{Method: "POST", URL: `/audience-segments/search`, Body: json.RawMessage(`{"data":[{"id":"777","type":"AudienceSegment","attributes":{"name":"vip"}}],"meta":{"totalItems":1}}`)},
	}

	// A computed trait (not an audience) reaches Insider as a segment_io_ attribute.
	extraCases["insider-audiences/insiderAudiences"] = []extraCase{{Label: "computed trait", Events: []string{
		edited(audienceIdentify(true), func(ev map[string]any) {
			ev["traits"].(map[string]any)["lifetime_value"] = 420.5
			ev["context"].(map[string]any)["personas"] = map[string]any{"computation_class": "trait", "computation_key": "lifetime_value"}
		})}}}
	// Hashed emails; and an advertiser without the list, which is then created.
	extraCases["criteo-audiences/addUserToAudience"] = []extraCase{
		{Label: "hashed emails", Events: []string{audienceTrack("Audience Entered", true)}, Mapping: `{"hash_emails":true}`,
			Replies: scriptedReplies["criteo-audiences"]},
		{Label: "list created", Events: []string{audienceTrack("Audience Entered", true)}, Replies: []reply{
			{Method: "POST", URL: `/oauth2/token$`, Body: json.RawMessage(`{"access_token":"criteo-token"}`)},
			{Method: "POST", URL: `/audience-segments/search`, Body: json.RawMessage(`{"data":[],"meta":{"totalItems":0}}`)},
			{Method: "POST", URL: `/audience-segments/create$`, Body: json.RawMessage(`{"data":[{"id":"901","type":"AudienceSegment"}]}`)},
		}},
	}
	// An anonymous user goes to Optimizely by anonymous id.
	extraCases["optimizely-advanced-audience-targeting/syncAudience"] = []extraCase{{Label: "anonymous user", Events: []string{
		edited(audienceIdentify(true), func(ev map[string]any) { delete(ev, "userId") })}}}
}

// audienceIdentify is Engage's identify for a user entering or leaving the
// audience "vip" (audienceTrack's twin).
func audienceIdentify(member bool) string {
	return edited(sample("identify", ""), func(ev map[string]any) {
		ev["userId"] = "user-1042"
		ev["traits"].(map[string]any)["vip"] = member
		ctx := ev["context"].(map[string]any)
		ctx["personas"] = map[string]any{"computation_class": "audience", "computation_key": "vip", "computation_id": "aud_1",
			"space_id": "spa_1", "namespace": "spa_1"}
	})
}

// asAudienceEvent makes an event one of Engage's for the audience "vip":
// context.personas set, and a membership flag (entered, unless the event
// already says) in the traits of an identify or the properties of a track.
func asAudienceEvent(ev map[string]any) {
	ctx, _ := ev["context"].(map[string]any)
	if ctx == nil {
		ctx = map[string]any{}
		ev["context"] = ctx
	}
	if ctx["personas"] == nil {
		ctx["personas"] = map[string]any{"computation_class": "audience", "computation_key": "vip", "computation_id": "aud_1",
			"space_id": "spa_1", "namespace": "spa_1"}
	}
	obj := "properties"
	if ev["type"] == "identify" {
		obj = "traits"
	}
	m, _ := ev[obj].(map[string]any)
	if m == nil {
		m = map[string]any{}
		ev[obj] = m
	}
	if _, ok := m["vip"]; !ok {
		m["vip"] = ev["event"] != "Audience Exited"
	}
}
