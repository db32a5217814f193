package router

import (
	"fmt"
	"strings"
	"testing"

	"github.com/actuate/actuate/bench/workload"
	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/workspace"
)

// BenchmarkPipelineWorkloadDataModel is BenchmarkPipelineWorkload with one data model: an
// accounts table keyed by $.userId with a row for each of the workload's 5,000 users, and
// every mapping rendering one more field from it ($.enrichments.accounts.tier). Its cost
// per event beside BenchmarkPipelineWorkload's is the cost of the enrichment.
func BenchmarkPipelineWorkloadDataModel(b *testing.B) {
	text := workload.Workspace("events", "http://127.0.0.1:9/bench")
	text = strings.ReplaceAll(text, "data: {", `data: {"account_tier":{"@path":"$.enrichments.accounts.tier"},`)
	text += "data_models: [{ id: accounts, key: \"$.userId\" }]\n"
	cfg, err := config.Parse([]byte(text))
	if err != nil {
		b.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		b.Fatal(err)
	}
	rows := datamodel.NewTables()
	for i := range 5000 {
		row, err := datamodel.ParseRow(fmt.Appendf(nil, `{"userId":"user-%05d","tier":"enterprise","seats":%d,"region":"eu-west","owner":"owner-%d@example.com"}`, i, i%90+10, i))
		if err != nil {
			b.Fatal(err)
		}
		rows.Set("accounts", fmt.Sprintf("user-%05d", i), row)
	}
	events := workload.Events(5000, 1)
	p := NewPipeline("dlq", event.Limits{}, NewTally())
	p.SetRows(rows)
	key := []byte("u")
	// Every request carries the account's tier: checked before timing.
	var outputs, bytesOut, enriched int
	for i := range 200 {
		in := Input{Topic: "events", Value: events[i], Key: key}
		p.Process(ws, &in, func(out Output) {
			outputs++
			if strings.Contains(string(out.Value), `"account_tier":"enterprise"`) {
				enriched++
			}
		})
	}
	if outputs == 0 || enriched != outputs {
		b.Fatalf("%d of %d requests carry the account's tier", enriched, outputs)
	}
	outputs = 0
	emit := func(out Output) { outputs++; bytesOut += len(out.Value) }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := Input{Topic: "events", Value: events[i%len(events)], Key: key}
		p.Process(ws, &in, emit)
		if i%len(events) == len(events)-1 {
			p.tally.Reset()
		}
	}
	b.ReportMetric(float64(outputs)/float64(b.N), "requests/event")
	b.ReportMetric(float64(bytesOut)/float64(b.N), "bytes/event")
}
