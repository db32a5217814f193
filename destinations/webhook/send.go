package webhook

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Send posts the mapped data to the URL of the payload.
var Send = &destkit.Action{
	Key:         "send",
	Title:       "Send",
	Description: "Send an HTTP request with the mapped data as its JSON body.",
	Fields: []destkit.Field{
		{Key: "url", Label: "URL", Type: destkit.String, Required: true, Format: "uri",
			Description: "Where to send the request."},
		{Key: "method", Label: "Method", Type: destkit.String, Required: true, Default: `"POST"`,
			Choices:     destkit.ChoiceValues("POST", "PUT", "PATCH"),
			Description: "HTTP method of the request."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `0`,
			Description: "Largest number of events per batched request (at most 4000)."},
		{Key: "headers", Label: "Headers", Type: destkit.Object,
			Description: "Extra request headers, as header name to value."},
		{Key: "data", Label: "Data", Type: destkit.Object, Default: `{"@path":"$."}`,
			Description: "The JSON body; by default the whole event."},
		{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true,
			Default:     `["url","method","headers"]`,
			Description: "Fields whose values must match for events to share a batch."},
	},
	Batch:        &destkit.Batch{MaxSize: 4000, Keys: []string{"url", "method", "headers"}},
	Perform:      perform,
	PerformBatch: performBatch,
}

func perform(in *destkit.Input) ([]destkit.Request, error) {
	var body []byte
	if d := in.Payload.Get("data"); d != nil {
		body = destkit.AppendValue(nil, d)
	}
	return []destkit.Request{request(in.Payload, body)}, nil
}

// performBatch sends the data of every event as one JSON array. URL, method
// and headers come from the first event: they are batch keys, so every
// event of the batch shares them.
func performBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 256*len(in.Payloads)))
	w.ArrayStart()
	for _, p := range in.Payloads {
		w.Value(p.Get("data"))
	}
	w.ArrayEnd()
	return []destkit.Request{request(in.Payloads[0], w.Bytes())}, nil
}

func request(p *fastjson.Value, body []byte) destkit.Request {
	r := destkit.NewJSONRequest(string(p.GetStringBytes("method")), string(p.GetStringBytes("url")), body)
	if h := p.GetObject("headers"); h != nil {
		h.Visit(func(k []byte, v *fastjson.Value) {
			switch v.Type() {
			case fastjson.TypeString:
				r.Header.Set(string(k), string(v.GetStringBytes()))
			case fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
				r.Header.Set(string(k), v.String())
			}
		})
	}
	return r
}
