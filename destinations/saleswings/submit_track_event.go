package saleswings

// SubmitTrackEvent submits track events.
var SubmitTrackEvent = customEventAction(customEvent{
	key: "submitTrackEvent", title: "Submit Track Event", description: "Send a track event to SalesWings.",
	eventType: "track", kind: "Track", dataDefault: `{"@path":"$.event"}`, valuesDefault: `{"@path":"$.properties"}`,
})
