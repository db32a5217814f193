package disk

import (
	"testing"

	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/profile/profiletest"
)

func TestStateOnDisk(t *testing.T) {
	d, err := Open(t.TempDir()+"/store", Options{CacheProfiles: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	profiletest.State(t, profile.NewState(d))
}

func TestDiskKeepsMoreProfilesThanItsCache(t *testing.T) {
	d, err := Open(t.TempDir()+"/store", Options{CacheProfiles: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	profiletest.ManyProfiles(t, d)
}
