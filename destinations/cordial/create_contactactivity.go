package cordial

import (
	"slices"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateContactactivity records a contact activity (an event or a page view) in Cordial.
var CreateContactactivity = relay(&destkit.Action{
	Key:                 "createContactactivity",
	Title:               "Create Contactactivity",
	Description:         "Record a contact activity (an event or a page view) in Cordial.",
	DefaultSubscription: `type = "track" or type = "page"`,
	Fields: slices.Concat(identityFields, []destkit.Field{
		{Key: "action", Label: "Event name", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":"pageView"}}`,
			Description: "Name of the contact activity; \"pageView\" for page calls by default."},
		{Key: "time", Label: "Event timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the activity happened (ISO 8601); Cordial uses the upload time when empty."},
		{Key: "properties", Label: "Event properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the activity."},
		{Key: "context", Label: "Event context", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "Context of the activity."},
	}),
}, identified("action", "time", "properties", "context")...)
