package saleswings

// SubmitScreenEvent submits screen events.
var SubmitScreenEvent = customEventAction(customEvent{
	key: "submitScreenEvent", title: "Submit Screen Event", description: "Send a screen view to SalesWings.",
	eventType: "screen", kind: "Screen", dataDefault: `{"@path":"$.name"}`, valuesDefault: `{"@path":"$.properties"}`,
})
