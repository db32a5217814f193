package overview

import (
	"testing"
	"time"

	"github.com/actuate/actuate/schemas"
)

func TestAggregatorForgetsCountsPastTheRetention(t *testing.T) {
	now := time.Now()
	a := &Aggregator{records: []schemas.OverviewDeltas{
		{To: now.Add(-8 * 24 * time.Hour)}, {To: now.Add(-7*24*time.Hour - time.Minute)}, {To: now.Add(-time.Hour)}, {To: now},
	}}
	a.prune(now.Add(-overviewRetention))
	if len(a.records) != 2 || !a.records[1].To.Equal(now) {
		t.Fatalf("kept %d records: %+v", len(a.records), a.records)
	}
}
