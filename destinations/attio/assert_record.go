package attio

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// AssertRecord creates or updates a record of any object.
var AssertRecord = &destkit.Action{
	Key:         "assertRecord",
	Title:       "Assert Record",
	Description: "Create or update a record of any Attio object, matched by one attribute.",
	Fields:      []destkit.Field{objectField, matchingAttribute, attributes, enableBatching, batchSize, receivedAtField},
	Batch:       &destkit.Batch{MaxSize: 1000},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return []destkit.Request{simpleRequest(recordAssertion(in.Payload))}, nil
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return batchRequest(in, recordAssertion), nil
	},
}

func recordAssertion(p *fastjson.Value) assertion {
	return assertion{
		object:   string(p.GetStringBytes("object")),
		matching: string(p.GetStringBytes("matching_attribute")),
		values:   func(w *destkit.JSONWriter) { spread(w, p.GetObject("attributes")) },
	}
}
