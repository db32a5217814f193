// Package destkit is the framework every destination is written against.
//
// A destination is a [Definition]: its settings (typed [Field]s, some marked
// Secret), its [Authentication] scheme, its [Action]s and its [Preset]s. An
// action declares its payload fields as data and turns one validated payload
// (or a batch of them) into [Request] descriptions; it never sends anything
// itself. The [Client] owns the HTTP client, timeouts, credentials, token
// refresh and the mapping of responses onto the error taxonomy in errors.go,
// which [Classify] turns into one of three outcomes: deliver, retry, or give
// up (dead letter).
//
// The processor calls [Action.Validate] for every mapped event on its hot
// path, so validation works on fastjson values and appends normalised JSON
// without reflection. The sender calls [Client.Send] or [Client.SendBatch]
// with those normalised bytes.
//
// Audience destinations share audience.go: membership read from an event
// ([MembershipFields], [SplitMembership]), the vendor's audience created or
// found ([AudienceConfig]) and its id kept per instance ([Audiences], over
// an [AudienceStore] that is Redis in production). Work a person starts
// while editing a mapping is in hook.go: hooks that run and save outputs on
// the mapping ([Client.RunHook]) and dynamic fields ([Client.FieldChoices]),
// both served by the control API.
//
// Field keys, types and default mappings mirror Segment's action-destinations
// so a mapping written for Segment renders the same payload here.
package destkit
