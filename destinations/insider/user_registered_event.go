package insider

// UserRegisteredEvent records a sign-up.
var UserRegisteredEvent = eventAction("userRegisteredEvent", "User Registered Event",
	"Record a completed sign-up in Insider (sign_up_confirmation).",
	`type = "track" and event = "User Registered"`, "sign_up_confirmation",
	eventFields(timestampField, attributesField))
