package kafka

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/twmb/franz-go/pkg/kfake"
)

func TestTopicChoices(t *testing.T) {
	brokers := cluster(t, kfake.SeedTopics(1, "orders", "audit"))
	inst := desttest.Instance(t, Definition, settings(brokers))
	got, err := destkit.NewClient().FieldChoices(context.Background(), inst, Send, "topic", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"audit", "events", "orders"}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i, w := range want {
		if got[i] != (destkit.Choice{Value: w, Label: w}) {
			t.Fatalf("%v", got)
		}
	}

	// No broker listening: transient, asked again later.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err = destkit.NewClient().FieldChoices(ctx, desttest.Instance(t, Definition, settings(addr)), Send, "topic", nil)
	if destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatalf("%v", err)
	}
}
