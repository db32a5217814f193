package tokens

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/actuate/actuate/destinations/destkit"
)

// AudienceIDs is a destkit.AudienceStore on the same Redis as the tokens: the vendor's id
// of each audience an instance syncs, created on first use by whichever sender met the
// audience first (destkit/audience.go). Unlike a token, an id is kept without expiry:
// losing it would make the next sender create a second audience at the vendor, and the
// mapping's members would go to an audience nobody looks at. Creation is serialised by the
// store's lock, so concurrent first events of one audience create it once.
//
// Without Redis nothing is served from memory: a sender cannot know whether another
// already created the audience, so the event is retried (destkit caches ids it has read).
type AudienceIDs struct{ s *Store }

// Audiences returns the audience id store sharing s's Redis, prefix and lock.
func (s *Store) Audiences() *AudienceIDs { return &AudienceIDs{s: s} }

func (a *AudienceIDs) key(key string) string { return a.s.opts.Prefix + "audience:" + key }

// Get returns the id stored for key.
func (a *AudienceIDs) Get(ctx context.Context, key string) (string, bool, error) {
	id, err := a.s.rdb.Get(ctx, a.key(key)).Result()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("tokens: reading audience id: %w", err)
	}
	return id, true, nil
}

// SetIfAbsent stores id for key unless one is stored (SET NX, no expiry) and returns the
// id stored afterwards.
func (a *AudienceIDs) SetIfAbsent(ctx context.Context, key, id string) (string, error) {
	ok, err := a.s.rdb.SetNX(ctx, a.key(key), id, 0).Result()
	if err != nil {
		return "", fmt.Errorf("tokens: storing audience id: %w", err)
	}
	if ok {
		return id, nil
	}
	cur, _, err := a.Get(ctx, key)
	return cur, err
}

// Lock takes key's creation lock (the token store's Redis lock, on its own key).
func (a *AudienceIDs) Lock(ctx context.Context, key string) (func(), error) {
	return a.s.Lock(ctx, "audience:"+key)
}

var _ destkit.AudienceStore = (*AudienceIDs)(nil)
