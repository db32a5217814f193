package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/ingest"
	"github.com/actuate/actuate/processor/kgroup"
	"github.com/actuate/actuate/processor/profile/changelog"
	"github.com/actuate/actuate/processor/regulation"
	"github.com/actuate/actuate/processor/tokens"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// startRegulations follows the regulations topic (processor/regulation) until ctx ends,
// returning once what it held at the start has been read, so no suppressed user's event
// gets through while a process starts.
func startRegulations(ctx context.Context, kafka kafkaConn, log *zap.Logger) (*regulation.Store, error) {
	store, err := regulation.NewStore(regulation.Config{Brokers: kafka.brokers, ClientOptions: kafka.opts, Logger: log})
	if err != nil {
		return nil, err
	}
	go func() {
		if err := store.Run(ctx); err != nil {
			log.Error("the regulations store stopped", zap.Error(err))
		}
	}()
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		err := store.CatchUp(wait)
		if err == nil {
			return store, nil
		}
		if isKafkaSignInFailure(err) {
			return nil, fmt.Errorf("reading the regulations topic: %w", kafka.explain(err))
		}
		select {
		case <-wait.Done():
			return nil, fmt.Errorf("reading the regulations topic: %w", kafka.explain(err))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// startDeleter carries out the regulations' deletions through the destination kit, with
// the OAuth tokens the senders share through Redis, and erases the users' profiles
// through profiles.
func startDeleter(ctx context.Context, kafka kafkaConn, store *regulation.Store, ws func() *workspace.Workspace, rdb redis.UniversalClient, profiles *changelog.Client, reg prometheus.Registerer, log *zap.Logger) {
	runDeleter(ctx, kafka, store, ws, destkit.NewClient(destkit.WithTokenStore(tokens.New(rdb, tokens.Options{}))), profiles, reg, log)
}

// runDeleter carries out the regulations' deletions with client, and their profiles'
// erasures with profiles, until ctx ends, counted in reg's
// actuate_regulation_deletions_total. Every serve process runs one, and only the group's
// leader (kgroup.Lead) deletes, so a deletion is not sent once per replica.
func runDeleter(ctx context.Context, kafka kafkaConn, store *regulation.Store, ws func() *workspace.Workspace, client *destkit.Client, profiles *changelog.Client, reg prometheus.Registerer, log *zap.Logger) {
	d := &regulation.Deleter{Store: store, Workspace: ws, Client: client, Profiles: profileEraser{profiles}, Logger: log, Counter: regulation.NewCounter()}
	if err := reg.Register(d.Counter); err != nil {
		log.Warn("deletion counter not registered", zap.Error(err))
	}
	go func() {
		run := func(ctx context.Context) { d.Run(ctx) }
		if err := kgroup.Lead(ctx, kafka.brokers, kafka.opts, schemas.GroupDeleter, schemas.TopicRegulationsLeader, run, log.Named("deleter")); err != nil {
			log.Error("the regulations' deleter stopped: no deletions run from this process", zap.Error(err))
		}
	}()
}

// profileEraser erases regulated users' profiles through the processors that own them.
type profileEraser struct{ profiles *changelog.Client }

// Erase treats a missing changelog topic as done: no processor has kept a profile yet, so
// there is none to erase.
func (e profileEraser) Erase(ctx context.Context, userID string) error {
	if err := e.profiles.Erase(ctx, userID); err != nil && !errors.Is(err, changelog.ErrNoProfiles) {
		return err
	}
	return nil
}

// withSuppression makes the ingest handler drop suppressed users' events.
func withSuppression(h *ingest.Handler, s ingest.Suppression) *ingest.Handler {
	h.SetSuppression(s)
	return h
}
