package ripe

import "github.com/actuate/actuate/destinations/destkit"

// Page records a page view.
var Page = &destkit.Action{
	Key:                 "page",
	Title:               "Page",
	Description:         "Send a page call to Ripe.",
	DefaultSubscription: `type = "page"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor."},
		{Key: "userId", Label: "User ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "context", Label: "Context", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "Context of the page view; the page fields below replace its page object."},
		{Key: "properties", Label: "Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the page view."},
		{Key: "name", Label: "Page Name", Type: destkit.String,
			Default:     `{"@path":"$.properties.name"}`,
			Description: "Name of the page."},
		{Key: "url", Label: "Page URL", Type: destkit.String, AllowNull: true, Format: "uri",
			Default:     `{"@if":{"exists":{"@path":"$.context.page.url"},"then":{"@path":"$.context.page.url"},"else":{"@path":"$.properties.url"}}}`,
			Description: "Full URL of the page."},
		{Key: "path", Label: "Page Path", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.context.page.path"},"then":{"@path":"$.context.page.path"},"else":{"@path":"$.properties.path"}}}`,
			Description: "Path of the page."},
		{Key: "search", Label: "Page Query String", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.context.page.search"},"then":{"@path":"$.context.page.search"},"else":{"@path":"$.properties.search"}}}`,
			Description: "Query string of the page URL."},
		{Key: "referrer", Label: "Page Referrer", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.context.page.referrer"},"then":{"@path":"$.context.page.referrer"},"else":{"@path":"$.properties.referrer"}}}`,
			Description: "Referrer of the page."},
		{Key: "title", Label: "Page Title", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.context.page.title"},"then":{"@path":"$.context.page.title"},"else":{"@path":"$.properties.title"}}}`,
			Description: "Title of the page."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the page was viewed; the time of sending when empty."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message ID of the call."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		return call(in, "page", func(w *destkit.JSONWriter) {
			w.Field("anonymousId", p.Get("anonymousId"))
			w.Field("userId", p.Get("userId"))
			// {...context, page: {url, path, search, referrer, title}}: the
			// page fields replace the context's page, in its place.
			var page, ctx destkit.JSObject
			for _, k := range []string{"url", "path", "search", "referrer", "title"} {
				page.SetValue(k, p.Get(k))
			}
			ctx.Assign(p.Get("context"), nil)
			ctx.Set("page", page.AppendJSON(nil))
			w.Key("context")
			ctx.Write(w)
			w.Field("properties", p.Get("properties"))
			w.Field("name", p.Get("name"))
			w.Field("messageId", p.Get("messageId"))
			writeTimestamp(w, p)
		})
	},
}
