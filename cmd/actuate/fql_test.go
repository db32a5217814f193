package main

import (
	"strings"
	"testing"
)

// TestFQLMatchExists: Segment's FIELD exists is true when the field is
// present and not null, and a field alone is an error naming the position
// where its operator is missing (Segment: "Value token is missing").
func TestFQLMatchExists(t *testing.T) {
	events := map[string]string{
		"coupon":  writeFile(t, "coupon.json", `{"type":"track","event":"Order Completed","properties":{"coupon":"SPRING10","discount":0}}`),
		"null":    writeFile(t, "null.json", `{"type":"track","event":"Order Completed","properties":{"coupon":null}}`),
		"missing": writeFile(t, "missing.json", `{"type":"track","event":"Order Completed","properties":{}}`),
	}
	cases := []struct{ expr, event, stdout string }{
		{`properties.coupon exists`, "coupon", "true\n"},
		{`properties.coupon exists`, "null", "false\n"},
		{`properties.coupon exists`, "missing", "false\n"},
		{`properties.discount exists`, "coupon", "true\n"},
		{`!(properties.coupon exists)`, "coupon", "false\n"},
		{`!(properties.coupon exists)`, "null", "true\n"},
		{`!(properties.coupon exists)`, "missing", "true\n"},
		{`properties.coupon exists or properties.discount exists`, "coupon", "true\n"},
		{`properties.coupon exists or type = "track"`, "null", "true\n"}, // or, where Segment reads and
		{`type = "track" and properties.coupon exists`, "coupon", "true\n"},
	}
	for _, tc := range cases {
		code, stdout, stderr := runCLI(t, "", "fql", "match", "--expr", tc.expr, "--event", events[tc.event])
		if code != exitOK || stdout != tc.stdout {
			t.Errorf("fql match %q on %s: exit %d stdout %q stderr %q; want %q", tc.expr, tc.event, code, stdout, stderr, tc.stdout)
		}
	}
	invalid := []struct{ expr, stderr string }{
		{`type`, `at position 4: expected an operator after field type`},
		{`properties.coupon`, `at position 17: expected an operator after field properties.coupon`},
		{`type = "track" and properties.coupon`, `at position 36: expected an operator after field properties.coupon`},
		{`!properties.coupon exists`, `at position 0: "!" applies to field properties.coupon alone`},
	}
	for _, tc := range invalid {
		code, stdout, stderr := runCLI(t, "", "fql", "match", "--expr", tc.expr, "--event", events["coupon"])
		if code != exitInvalid || stdout != "" || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("fql match %q: exit %d stdout %q stderr %q; want exit %d and stderr containing %q", tc.expr, code, stdout, stderr, exitInvalid, tc.stderr)
		}
	}
}
