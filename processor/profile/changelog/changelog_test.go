package changelog

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actuate/actuate/internal/testenv"
)

// Without a changelog topic no profile was ever kept: a read finds none and an erasure
// is told so (the deleter counts it done). A broker that cannot answer is an error, never
// taken for "no profiles": an erasure counted done on it would be a false success.
func TestNoChangelogTopicMeansNoProfiles(t *testing.T) {
	brokers := testenv.Kafka(t)
	sfx := testenv.Suffix()
	c := &Client{Brokers: brokers, Changelog: "no.changelog." + sfx, Repartition: "no.repartition." + sfx}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if p, err := c.Get(ctx, "ada"); p != nil || err != nil {
		t.Fatalf("Get without a changelog: %v, %v", p, err)
	}
	if err := c.Erase(ctx, "ada"); !errors.Is(err, ErrNoProfiles) {
		t.Fatalf("Erase without a changelog: %v, want ErrNoProfiles", err)
	}

	away := &Client{Brokers: []string{"127.0.0.1:1"}, Changelog: c.Changelog, Repartition: c.Repartition}
	short, cancelShort := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelShort()
	if err := away.Erase(short, "ada"); err == nil || errors.Is(err, ErrNoProfiles) {
		t.Fatalf("Erase with no broker: %v, want an error other than ErrNoProfiles", err)
	}
}
