package segmentimport

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/fql"
)

// TestDivergencesAgainstSegment holds Divergences to Segment's own answers: for every
// expression of processor/fql's golden file that Segment's engine accepts and Actuate
// parses, a trigger Divergences passes must match exactly the events Segment matches.
// Expressions it flags must really be ones where the two can disagree: every one that
// disagrees on some event is flagged, and the flagged ones are counted.
type golden struct {
	Events []struct {
		Event json.RawMessage `json:"event"`
	} `json:"events"`
	Cases []struct {
		FQL     string `json:"fql"`
		Error   string `json:"error"`
		Results []any  `json:"results"`
	} `json:"cases"`
}

// loadGolden reads processor/fql's golden file: Segment's engine's answers for each
// expression on each event.
func loadGolden(t *testing.T) *golden {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "fql", "testdata", "segment_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

func TestDivergencesAgainstSegment(t *testing.T) {
	g := loadGolden(t)
	events := make([]*fastjson.Value, len(g.Events))
	for i, e := range g.Events {
		events[i] = fastjson.MustParseBytes(e.Event)
	}
	var passed, flagged, flaggedAgreeing int
	for _, c := range g.Cases {
		if c.Error != "" {
			continue
		}
		expr, err := fql.Parse(c.FQL)
		if err != nil {
			continue // not imported: the parse error is the reason
		}
		disagree := false
		for i, want := range c.Results {
			if want != expr.Match(events[i]) {
				disagree = true
			}
		}
		reasons := Divergences(c.FQL)
		switch {
		case len(reasons) == 0 && disagree:
			t.Errorf("%q: no divergence found, but it matches other events than Segment's engine", c.FQL)
		case len(reasons) == 0:
			passed++
		default:
			flagged++
			if !disagree {
				flaggedAgreeing++
			}
		}
	}
	t.Logf("%d accepted expressions pass unchanged, %d are flagged (%d of them agree on the golden events anyway)", passed, flagged, flaggedAgreeing)
	if passed < 100 {
		t.Errorf("only %d expressions passed; the check flags too much", passed)
	}
}

// TestDivergencesOfPresets: the triggers Segment ships in the catalog's presets and
// default subscriptions parse here, and none is read differently.
func TestDivergencesOfPresets(t *testing.T) {
	n := 0
	for _, def := range destinations.All() {
		var triggers []string
		for _, p := range def.Presets {
			triggers = append(triggers, p.Trigger)
		}
		for _, a := range def.Actions {
			if a.DefaultSubscription != "" {
				triggers = append(triggers, a.DefaultSubscription)
			}
		}
		for _, tr := range triggers {
			if _, err := fql.Parse(tr); err != nil {
				continue // the registry lint owns these
			}
			n++
			if r := Divergences(tr); len(r) > 0 {
				t.Errorf("%s: %q flagged: %q", def.Slug, tr, r)
			}
		}
	}
	t.Logf("%d catalog triggers checked", n)
}

func TestDivergences(t *testing.T) {
	for _, c := range []struct {
		trigger string
		want    int // number of reasons
	}{
		{`type = "track" and event = "Order Completed"`, 0},
		{`type = "identify" or type = "group"`, 0},
		{`match(event, "Order*") and properties.total > 10`, 0},
		{`!contains(event, "test") and context.page.path != null`, 0},
		{`type = 'track'`, 1},
		{`type = "track" and event = "A" or type = "page"`, 1},
		{`match(event, "Order")`, 1},
		{`match(event, "*Order*")`, 1},
		{`type != null`, 1},
		{`userId = 123`, 1},
		{`properties.in_stock != true`, 1},
		{`properties.shipped_at > "2023-04-21T00:00:00Z"`, 1},
		{`type in ["track", "page"]`, 1},
		{`!(type = "track" or type = "page")`, 1},
		{`properties.coupon exists or properties.discount exists`, 1},
		{`properties.nested\.level = "yes"`, 1},
		{`contains(properties.title, properties.currency)`, 1},
		{`event.foo = "x"`, 1},
		{`type = "track" and (match(event, "Order*") or match(event, "Product*"))`, 1},
		{`properties.revenue >=10`, 1},
		{`properties.constructor != null`, 1},
		{`anonymousId = "a"`, 1},
		{`lowercase(event) = "x"`, 1},
		{`type = "track" and ((event = "a") or event = "b")`, 1},
	} {
		got := Divergences(c.trigger)
		if len(got) != c.want {
			t.Errorf("%q: %d reasons %q, want %d", c.trigger, len(got), got, c.want)
		}
	}
}
