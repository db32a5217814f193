package workload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Workspace is the pipeline benchmarks' workspace config (YAML): source "web" reading
// topic, and 5 webhook instances × 3 mappings posting to url, each mapping rendering
// Mapping under one of Triggers. Instance ids are the topic's name with dots as dashes,
// then -0 … -4.
func Workspace(topic, url string) string {
	var triggers []string
	if err := json.Unmarshal(Triggers, &triggers); err != nil {
		panic("workload: triggers.json: " + err.Error())
	}
	var mapping bytes.Buffer
	if err := json.Compact(&mapping, Mapping); err != nil {
		panic("workload: mapping.json: " + err.Error())
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "sources: [{ id: web, topics: [%s] }]\ndestinations:\n", topic)
	for i := range 5 {
		fmt.Fprintf(&sb, "  - id: %s-%d\n    type: webhook\n    sources: [web]\n    enabled: true\n    mappings:\n", strings.ReplaceAll(topic, ".", "-"), i)
		for j := range 3 {
			tr, _ := json.Marshal(triggers[(i+j)%len(triggers)])
			fmt.Fprintf(&sb, "      - { id: m%d, enabled: true, action: send, trigger: %s, mapping: { url: %q, method: POST, data: %s } }\n",
				j, tr, url, mapping.Bytes())
		}
	}
	return sb.String()
}
