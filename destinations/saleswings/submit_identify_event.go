package saleswings

// SubmitIdentifyEvent submits identify events.
var SubmitIdentifyEvent = customEventAction(customEvent{
	key: "submitIdentifyEvent", title: "Submit Identify Event", description: "Send an identify event to SalesWings.",
	eventType: "identify", kind: "Identify", dataDefault: `{"@path":"$.traits.email"}`, valuesDefault: `{"@path":"$.traits"}`,
	emailRequired: true,
})
