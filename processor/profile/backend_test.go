package profile_test

import (
	"testing"

	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/profile/profiletest"
)

// The memory backend with a cache of one profile; processor/profile/disk runs the same
// checks over the disk backend.
func TestStateAppliesOnlyCommittedWrites(t *testing.T) {
	profiletest.State(t, profile.NewState(profile.NewMemory(1)))
}

func TestMemoryKeepsMoreProfilesThanItsCache(t *testing.T) {
	profiletest.ManyProfiles(t, profile.NewMemory(100))
}
