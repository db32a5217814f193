package control

import (
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/configstore"
)

// A mapping's secret literal (LiveRamp's SFTP password is an action field) is never shown:
// mapping views, the destination view and history show the placeholder; a mapping written
// back with the placeholder keeps the stored password, and a new value replaces it.
func TestMappingSecretLiteralsAreNotShown(t *testing.T) {
	c, mem := newAPI(t, Options{})
	c.must(201, "POST", "/v1/sources", `{"id":"web","topics":["events"]}`)
	c.must(201, "POST", "/v1/destinations", `{"id":"lr","type":"liveramp-audiences","sources":["web"],"enabled":true}`)
	mapping := `{"sftp_username":"acme","sftp_password":"sftp-pass-999","sftp_folder_path":"/in","audience_key":{"@path":"$.context.personas.computation_key"},"filename":{"@path":"$.context.personas.computation_key"}}`
	created := c.must(201, "POST", "/v1/destinations/lr/mappings", `{"id":"m1","action":"audienceEnteredSFTP","trigger":"type = \"identify\"","mapping":`+mapping+`}`)
	for _, r := range []reply{created, c.must(200, "GET", "/v1/destinations/lr/mappings/m1", ""), c.must(200, "GET", "/v1/destinations/lr/mappings", ""),
		c.must(200, "GET", "/v1/destinations/lr", ""), c.must(200, "GET", "/v1/history?limit=5", "")} {
		if strings.Contains(r.body, "sftp-pass-999") {
			t.Fatalf("an answer shows the password: %s", r.body)
		}
	}
	if !strings.Contains(created.body, `"sftp_password": "`+destkit.Redacted+`"`) {
		t.Errorf("the view does not say the password is there: %s", created.body)
	}
	stored := func() string {
		o, _ := mem.Snapshot().Object(configstore.Key(configstore.KindDestination, "lr"))
		return string(o.Value)
	}
	// The editor sends back what it was shown, with another folder.
	shown := strings.Replace(strings.Replace(mapping, "sftp-pass-999", destkit.Redacted, 1), `"/in"`, `"/incoming"`, 1)
	c.must(200, "PATCH", "/v1/destinations/lr/mappings/m1", `{"mapping":`+shown+`}`)
	if s := stored(); !strings.Contains(s, "sftp-pass-999") || !strings.Contains(s, "/incoming") {
		t.Fatalf("stored after writing back the placeholder: %s", s)
	}
	c.must(200, "PATCH", "/v1/destinations/lr/mappings/m1", `{"mapping":`+strings.Replace(mapping, "sftp-pass-999", "new-pass-123", 1)+`}`)
	if s := stored(); !strings.Contains(s, "new-pass-123") || strings.Contains(s, "sftp-pass-999") {
		t.Fatalf("a new password did not replace the old: %s", s)
	}
}
