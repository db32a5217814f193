package config

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestYAMLToJSONWritesLikeJavaScript holds scalars to JSON.stringify's text: strings
// keep '<', '>', '&' and U+2028 raw, floats print as String(number) does.
func TestYAMLToJSONWritesLikeJavaScript(t *testing.T) {
	for in, want := range map[string]string{
		`"a<b&c>"`:          `"a<b&c>"`,
		`"tab\there\u2028"`: `"tab\there` + "\u2028" + `"`,
		`{"q\"k": 1}`:       `{"q\"k":1}`,
		`1234567.5`:         `1234567.5`,
		`0.00001`:           `0.00001`,
		`1.0e21`:            `1e+21`,
		`1.0e-7`:            `1e-7`,
		`1.50`:              `1.5`,
		`0x1F`:              `31`,
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(in), &n); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got, err := YAMLToJSON(nil, &n)
		if err != nil || string(got) != want {
			t.Errorf("YAMLToJSON(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
}
