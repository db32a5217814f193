// Package workload is the engine benchmarks' fixed work: nine triggers, a 21-field mapping
// and deterministic Segment-spec events shaped like a web shop's traffic (~920 bytes each).
package workload

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// Triggers is a JSON array of nine trigger expressions.
//
//go:embed triggers.json
var Triggers []byte

// Mapping is a 21-field mapping: paths, @if, @template and @arrayPath over products.
//
//go:embed mapping.json
var Mapping []byte

// Events returns n events as compact JSON; the same seed gives the same bytes.
func Events(n int, seed uint64) [][]byte {
	g := generator{rng: rand.New(rand.NewPCG(seed, 0x5eed))}
	events := make([][]byte, n)
	for i := range events {
		line, err := json.Marshal(g.event(i))
		if err != nil {
			panic(fmt.Sprintf("workload: marshalling a generated event: %v", err)) // our own literals; cannot fail
		}
		events[i] = line
	}
	return events
}

type generator struct{ rng *rand.Rand }

var (
	trackNames = []string{"Order Completed", "Product Added", "Product Viewed", "Checkout Started", "Signed Up", "Coupon Applied"}
	pages      = []string{"/", "/products/shoes", "/cart", "/checkout/payment", "/checkout/review", "/blog/how-to-run"}
	campaigns  = []string{"newsletter", "google", "facebook", "partner"}
	cities     = []string{"Lisbon", "Austin", "Osaka", "Nairobi"}
	products   = []string{"Trail Runner 2", "Road Racer", "Wool Socks", "Rain Shell", "Water Bottle"}
	currencies = []string{"USD", "EUR", "JPY"}
)

// event returns an ordered document so the output bytes do not depend on map order.
func (g *generator) event(i int) orderedObject {
	base := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * 1373 * time.Millisecond)
	userID := fmt.Sprintf("user-%05d", g.rng.IntN(5000))
	ctx := orderedObject{
		{"ip", fmt.Sprintf("203.0.%d.%d", g.rng.IntN(256), g.rng.IntN(256))},
		{"locale", "en-US"},
		{"userAgent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/124.0 Safari/537.36"},
		{"library", orderedObject{{"name", "analytics.js"}, {"version", "2.11.1"}}},
		{"os", orderedObject{{"name", "Mac OS X"}, {"version", "10.15.7"}}},
		{"device", orderedObject{{"type", "desktop"}, {"model", "MacBookPro18,3"}}},
		{"page", orderedObject{
			{"path", pages[i%len(pages)]},
			{"title", "Shop - " + pages[i%len(pages)]},
			{"url", "https://shop.example.com" + pages[i%len(pages)]},
			{"referrer", "https://www.example.org/"},
		}},
		{"campaign", orderedObject{{"name", "spring-sale"}, {"source", campaigns[g.rng.IntN(len(campaigns))]}, {"medium", "email"}}},
	}
	if g.rng.IntN(3) == 0 {
		ctx = append(ctx, field{"location", orderedObject{{"city", cities[g.rng.IntN(len(cities))]}, {"country", "PT"}}})
	}
	if g.rng.IntN(2) == 0 {
		ctx = append(ctx, field{"traits", orderedObject{{"plan", "pro"}, {"email", userID + "@example.com"}}})
	}
	ev := orderedObject{
		{"messageId", fmt.Sprintf("msg-%08d", i)},
		{"anonymousId", fmt.Sprintf("anon-%06x", g.rng.IntN(1<<24))},
		{"userId", userID},
		{"timestamp", base.Format("2006-01-02T15:04:05.000Z")},
		{"receivedAt", base.Add(412 * time.Millisecond).Format("2006-01-02T15:04:05.000Z")},
		{"context", ctx},
	}
	switch kind := g.rng.IntN(10); {
	case kind < 7:
		ev = append(ev, field{"type", "track"}, field{"event", trackNames[g.rng.IntN(len(trackNames))]}, field{"properties", g.orderProperties(i)})
	case kind < 9:
		ev = append(ev, field{"type", "page"}, field{"name", "Shop"}, field{"properties", orderedObject{{"path", pages[i%len(pages)]}}})
	default:
		traits := orderedObject{{"name", "Ada " + userID}, {"plan", "pro"}}
		if g.rng.IntN(2) == 0 {
			traits = append(traits, field{"email", userID + "@example.com"})
		}
		ev = append(ev, field{"type", "identify"}, field{"traits", traits})
	}
	return ev
}

func (g *generator) orderProperties(i int) orderedObject {
	n := 1 + g.rng.IntN(3)
	items := make([]any, n)
	revenue := 0.0
	for j := range items {
		price := float64(5+g.rng.IntN(120)) + float64(g.rng.IntN(100))/100
		qty := 1 + g.rng.IntN(3)
		revenue += price * float64(qty)
		items[j] = orderedObject{
			{"product_id", fmt.Sprintf("sku-%04d", g.rng.IntN(800))},
			{"name", products[g.rng.IntN(len(products))]},
			{"price", price},
			{"quantity", qty},
		}
	}
	props := orderedObject{
		{"order_id", fmt.Sprintf("order-%07d", i)},
		{"revenue", float64(int(revenue*100)) / 100},
		{"products", items},
	}
	if g.rng.IntN(2) == 0 {
		props = append(props, field{"currency", currencies[g.rng.IntN(len(currencies))]})
	}
	switch g.rng.IntN(3) {
	case 0:
		props = append(props, field{"coupon", "SPRING10"})
	case 1:
		props = append(props, field{"coupon", nil})
	}
	return props
}

type field struct {
	key   string
	value any
}

// orderedObject marshals its fields in order, as an SDK would send them.
type orderedObject []field

func (o orderedObject) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, f := range o {
		if i > 0 {
			buf = append(buf, ',')
		}
		k, _ := json.Marshal(f.key)
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		buf = append(append(append(buf, k...), ':'), v...)
	}
	return append(buf, '}'), nil
}
