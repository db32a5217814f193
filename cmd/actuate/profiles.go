package main

import (
	"fmt"
	"os"
	"strconv"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/profile/disk"
)

// openProfiles returns the state the processor keeps profiles in: on disk (Pebble) in
// ACTUATE_PROFILES_DIR when it is set, for more profiles than memory, with at most
// ACTUATE_PROFILES_CACHE decoded profiles in memory (default 100,000); in memory
// otherwise. The directory is emptied at start: profiles are restored from the changelog.
func openProfiles(log *zap.Logger) (*profile.State, error) {
	dir := os.Getenv("ACTUATE_PROFILES_DIR")
	if dir == "" {
		return profile.NewState(nil), nil
	}
	opts := disk.Options{Logger: log.Named("profiles")}
	if v := os.Getenv("ACTUATE_PROFILES_CACHE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("ACTUATE_PROFILES_CACHE: %q is not a positive number of profiles", v)
		}
		opts.CacheProfiles = n
	}
	store, err := disk.Open(dir, opts)
	if err != nil {
		return nil, err
	}
	return profile.NewState(store), nil
}
