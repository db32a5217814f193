package appfit

import "github.com/actuate/actuate/destinations/destkit"

// Track sends one event.
var Track = &destkit.Action{
	Key:         "track",
	Title:       "Track",
	Description: "Send an event to AppFit.",
	Fields: []destkit.Field{
		{Key: "userId", Label: "External User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "occurredAt", Label: "Time", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "name", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Identifier of the user before they signed in."},
		{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event, sent as they are."},
		{Key: "appVersion", Label: "App Version", Type: destkit.String,
			Default:     `{"@path":"$.context.app.version"}`,
			Description: "Version of the app that sent the event."},
		{Key: "deviceId", Label: "Device ID", Type: destkit.String,
			Default:     `{"@path":"$.context.device.id"}`,
			Description: "Identifier of the user's device."},
		{Key: "deviceType", Label: "Device Type", Type: destkit.String,
			Default:     `{"@path":"$.context.device.type"}`,
			Description: "Kind of device (ios, android, …); accepted but not sent, as in Segment."},
		{Key: "deviceManufacturer", Label: "Device Manufacturer", Type: destkit.String,
			Default:     `{"@path":"$.context.device.manufacturer"}`,
			Description: "Maker of the device."},
		{Key: "deviceModel", Label: "Device Model", Type: destkit.String,
			Default:     `{"@path":"$.context.device.model"}`,
			Description: "Model of the device."},
		{Key: "deviceAdvertisingId", Label: "Device Advertising ID", Type: destkit.String,
			Default:     `{"@path":"$.context.device.advertisingId"}`,
			Description: "Advertising identifier of the device (IDFA or Google advertising ID)."},
		{Key: "ipAddress", Label: "IP Address", Type: destkit.String,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the client."},
		{Key: "osName", Label: "OS Name", Type: destkit.String,
			Default:     `{"@path":"$.context.os.name"}`,
			Description: "Operating system of the device."},
		{Key: "osVersion", Label: "OS Version", Type: destkit.String,
			Default:     `{"@path":"$.context.os.version"}`,
			Description: "Version of the operating system."},
		{Key: "eventId", Label: "Event ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Unique identifier of the event, for deduplication."},
	},
	Perform: track,
}

func track(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.StringField("eventSource", "segment")
	w.Field("occurredAt", p.Get("occurredAt"))
	w.StringField("version", "2")
	w.Key("payload")
	w.ObjectStart()
	w.Field("sourceEventId", p.Get("eventId"))
	w.Field("eventName", p.Get("name"))
	w.Field("userId", p.Get("userId"))
	w.Field("anonymousId", p.Get("anonymousId"))
	w.Field("properties", p.Get("properties"))
	w.Key("systemProperties")
	w.ObjectStart()
	w.Field("appVersion", p.Get("appVersion"))
	w.Field("ipAddress", p.Get("ipAddress"))
	w.Key("os")
	w.ObjectStart()
	w.Field("name", p.Get("osName"))
	w.Field("version", p.Get("osVersion"))
	w.ObjectEnd()
	w.Key("device")
	w.ObjectStart()
	w.Field("id", p.Get("deviceId"))
	w.Field("advertisingId", p.Get("deviceAdvertisingId"))
	w.Field("manufacturer", p.Get("deviceManufacturer"))
	w.Field("model", p.Get("deviceModel"))
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", apiBase+"/metric-events", w.Bytes())
	r.SetHeader("Authorization", "Basic "+in.Settings.Str("apiKey"))
	return []destkit.Request{r}, nil
}
