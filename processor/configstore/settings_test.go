package configstore

import (
	"testing"

	"github.com/actuate/actuate/destinations"
)

func TestProfilesSettingIsAnObject(t *testing.T) {
	objects, err := ObjectsFromFile([]byte("sources: [{ id: web, topics: [events] }]\nprofiles: { enabled: true }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if string(objects["setting/profiles"]) != `{"enabled":true}` {
		t.Fatalf("objects: %q", objects)
	}
	ws, err := Compile(objects, destinations.Get)
	if err != nil || !ws.Profiles {
		t.Fatalf("compiled: %v (profiles %v)", err, ws != nil && ws.Profiles)
	}
	delete(objects, "setting/profiles")
	if ws, err := Compile(objects, destinations.Get); err != nil || ws.Profiles {
		t.Fatalf("without the setting: %v", err)
	}
	if kind, id, ok := SplitKey("setting/profiles"); !ok || kind != KindSetting || id != "profiles" {
		t.Fatal("setting/profiles is not a key")
	}
	if _, _, ok := SplitKey("setting/other"); ok {
		t.Fatal("an unknown setting is a key")
	}
}
