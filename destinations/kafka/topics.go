package kafka

import (
	"context"
	"errors"
	"net"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/twmb/franz-go/pkg/kadm"
)

// topicChoices lists the cluster's topics, internal ones left out, sorted:
// the choices of topic. It asks the brokers of the settings through the
// instance's shared producer client (so through the egress guard, with the
// same credentials); the Doer is unused.
func topicChoices(ctx context.Context, _ destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	cl, err := producerFor(in.Settings)
	if err != nil {
		return nil, err
	}
	// The admin client borrows the producer's connections; closing it would
	// close them, so it is not closed.
	topics, err := kadm.NewClient(cl).ListTopics(ctx)
	if err == nil {
		err = topics.Error()
	}
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) {
			return nil, &destkit.RetryableError{Err: err}
		}
		return nil, produceError(err)
	}
	var cs []destkit.Choice
	for _, name := range topics.Names() {
		cs = append(cs, destkit.Choice{Value: name, Label: name})
	}
	return cs, nil
}
