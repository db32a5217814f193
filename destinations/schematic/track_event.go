package schematic

import "github.com/actuate/actuate/destinations/destkit"

// TrackEvent records one usage event of a user and company.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send a track event to Schematic.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "event_name", Label: "Event name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event; Schematic receives it lower-cased with spaces turned into underscores."},
		{Key: "company_keys", Label: "Company keys", Type: destkit.Object, AdditionalProperties: true,
			Description: "Keys that identify the company the event belongs to (e.g. organization_id: 123456)."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "user_keys", Label: "User keys", Type: destkit.Object, AdditionalProperties: true,
			Default:     `{"userId":{"@path":"$.userId"}}`,
			Description: "Keys that identify the user who performed the event (e.g. email)."},
		{Key: "traits", Label: "Traits", Type: destkit.Object, AdditionalProperties: true,
			Default:     `{"raw_event_name":{"@path":"$.event"}}`,
			Description: "Extra properties sent with the event.",
			Properties: []destkit.Field{
				{Key: "raw_event_name", Label: "Raw Event Name", Type: destkit.String,
					Description: "The event name before it is snake-cased."},
			}},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		name := string(p.GetStringBytes("event_name"))
		if name == "" {
			return nil, destkit.ValidationErrorf("event_name", "The root value is missing the required field 'event_name'.")
		}
		return capture(in, "track", func(w *destkit.JSONWriter) {
			w.Field("traits", p.Get("traits"))
			w.Field("company", p.Get("company_keys"))
			w.Field("user", p.Get("user_keys"))
			w.Key("event")
			w.String(snakeCase(name))
		})
	},
}
