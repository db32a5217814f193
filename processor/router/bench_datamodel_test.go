package router

import (
	"fmt"
	"strings"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/bench/workload"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/datamodel"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/profile"
)

// BenchmarkPipelineWorkloadDataModel is BenchmarkPipelineWorkload with one data model: an
// accounts table keyed by $.userId with a row for each of the workload's 5,000 users, and
// every mapping rendering one more field from it ($.enrichments.accounts.tier). Its cost
// per event beside BenchmarkPipelineWorkload's is the cost of the enrichment.
func BenchmarkPipelineWorkloadDataModel(b *testing.B) {
	benchEnriched(b, false)
}

// BenchmarkPipelineWorkloadProfiles is BenchmarkPipelineWorkloadDataModel with profiles
// on: every event reads and updates its user's profile (the workload's identifies and
// context.traits set name, plan and email), every mapping renders the user's email from it
// ($.profile.traits.email), and the profiles' updates are committed every 250 events, as
// transactions do. Its cost per event beside BenchmarkPipelineWorkload's is the cost of
// profiles and one data model.
func BenchmarkPipelineWorkloadProfiles(b *testing.B) {
	benchEnriched(b, true)
}

func benchEnriched(b *testing.B, profiles bool) {
	text := workload.Workspace("events", "http://127.0.0.1:9/bench")
	fields := `"account_tier":{"@path":"$.enrichments.accounts.tier"},`
	if profiles {
		fields += `"email":{"@path":"$.profile.traits.email"},`
		text += "profiles: { enabled: true }\n"
	}
	text = strings.ReplaceAll(text, "data: {", "data: {"+fields)
	text += "data_models: [{ id: accounts, key: \"$.userId\" }]\n"
	ws := testws.Compile(b, text)
	rows := datamodel.NewTables()
	for i := range 5000 {
		row, err := datamodel.ParseRow(fmt.Appendf(nil, `{"userId":"user-%05d","tier":"enterprise","seats":%d,"region":"eu-west","owner":"owner-%d@example.com"}`, i, i%90+10, i))
		if err != nil {
			b.Fatal(err)
		}
		rows.Set("accounts", fmt.Sprintf("user-%05d", i), row)
	}
	events := workload.Events(5000, 1)
	// Each event in the partition of its user, as the ingest API keys them.
	partitions := make([]int32, len(events))
	for i, e := range events {
		partitions[i] = profile.PartitionOf(fastjson.MustParseBytes(e).GetStringBytes("userId"), 12)
	}
	p := NewPipeline("dlq", event.Limits{}, NewTally())
	p.SetRows(rows)
	state := profile.NewState(nil)
	if profiles {
		p.SetProfiles(state, func(k []byte) int32 { return profile.PartitionOf(k, 12) }, "", "")
	}
	key := []byte("u")
	// Every request carries the account's tier (and, with profiles, every request after
	// its user's email is known carries it): checked before timing.
	var outputs, enriched, emailed int
	for i := range 2000 {
		in := Input{Topic: "events", Partition: partitions[i], Value: events[i], Key: key}
		p.Process(ws, &in, func(out Output) {
			if strings.HasPrefix(out.Topic, "actuate.profiles.") {
				return
			}
			outputs++
			if strings.Contains(string(out.Value), `"account_tier":"enterprise"`) {
				enriched++
			}
			if strings.Contains(string(out.Value), `@example.com`) {
				emailed++
			}
		})
		if err := state.Commit(nil); err != nil {
			b.Fatal(err)
		}
	}
	if outputs == 0 || enriched != outputs {
		b.Fatalf("%d of %d requests carry the account's tier", enriched, outputs)
	}
	if profiles && emailed < outputs/2 {
		b.Fatalf("%d of %d requests carry the email from the profile", emailed, outputs)
	}
	outputs = 0
	var bytesOut, changes, forwards int
	emit := func(out Output) {
		switch out.Topic {
		case "actuate.profiles.changelog":
			changes++
			return
		case "actuate.profiles.repartition": // an identify's merge of its anonymous id
			forwards++
			return
		}
		outputs++
		bytesOut += len(out.Value)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		j := i % len(events)
		in := Input{Topic: "events", Partition: partitions[j], Value: events[j], Key: key}
		p.Process(ws, &in, emit)
		if i%250 == 249 {
			if err := state.Commit(nil); err != nil {
				b.Fatal(err)
			}
		}
		if j == len(events)-1 {
			p.tally.Reset()
		}
	}
	b.ReportMetric(float64(outputs)/float64(b.N), "requests/event")
	b.ReportMetric(float64(bytesOut)/float64(b.N), "bytes/event")
	cpu.report(b)
	if profiles {
		b.ReportMetric(float64(changes)/float64(b.N), "profile-writes/event")
		b.ReportMetric(float64(forwards)/float64(b.N), "merges-forwarded/event")
	}
}
