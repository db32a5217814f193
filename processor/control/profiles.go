package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/profile/changelog"
)

// Profiles is what the API needs of the profiles: processor/profile's Client.
type Profiles interface {
	// Get returns the committed profile of key, nil when none.
	Get(ctx context.Context, key string) (*profile.Profile, error)
	// Erase asks the processor that owns key's profile to erase it.
	Erase(ctx context.Context, key string) error
}

// profileBody is a profile as the API answers it.
type profileBody struct {
	Key     string          `json:"key"`
	Profile json.RawMessage `json:"profile"`
}

// profileKey reads the request's key, or answers why it cannot be one.
func (a *API) profileKey(w http.ResponseWriter, r *http.Request) (string, bool) {
	if a.opts.Profiles == nil {
		writeError(w, http.StatusNotImplemented, "profiles are not served by this process", nil)
		return "", false
	}
	if !a.opts.Store.Workspace().Profiles {
		writeError(w, http.StatusNotFound, "profiles are off in the config in force (profiles: {enabled: true})", nil)
		return "", false
	}
	key := r.PathValue("key")
	if key == "" || len(key) > profile.MaxKeyLength {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("a profile key is a userId or an anonymousId of 1 to %d bytes", profile.MaxKeyLength), nil)
		return "", false
	}
	return key, true
}

func (a *API) getProfile(w http.ResponseWriter, r *http.Request) {
	key, ok := a.profileKey(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	p, err := a.opts.Profiles.Get(ctx, key)
	if err != nil {
		a.log.Error("reading a profile", zap.Error(err)) // the error names no trait
		writeError(w, http.StatusServiceUnavailable, "the profiles topic is not available; retry later", nil)
		return
	}
	if p == nil {
		writeError(w, http.StatusNotFound, "no profile has the key "+fmt.Sprintf("%q", key), nil)
		return
	}
	writeJSON(w, http.StatusOK, profileBody{Key: key, Profile: p.JSON()})
}

// deleteProfile erases a profile (a deletion request): the processor that owns it writes
// a tombstone to the changelog in its next transaction, so the answer is 202.
func (a *API) deleteProfile(w http.ResponseWriter, r *http.Request) {
	key, ok := a.profileKey(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	if err := a.opts.Profiles.Erase(ctx, key); err != nil {
		if errors.Is(err, changelog.ErrNoProfiles) {
			writeError(w, http.StatusNotFound, "no profile has the key "+fmt.Sprintf("%q", key)+" (no profile is kept yet)", nil)
			return
		}
		a.log.Error("erasing a profile", zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "the profiles topic is not available; retry later", nil)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"key": key,
		"status": "accepted: the processor that owns the profile erases it (a tombstone on the changelog) with its next transaction"})
}
