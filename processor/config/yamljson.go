package config

import (
	"fmt"
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/actuate/actuate/processor/jsvalue"
)

// YAMLToJSON appends n as JSON, keeping the order of mapping keys: a mapping's output
// lists its keys in the order the mapping does.
func YAMLToJSON(dst []byte, n *yaml.Node) ([]byte, error) { return yamlToJSON(dst, n) }

func yamlToJSON(dst []byte, n *yaml.Node) ([]byte, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return append(dst, "null"...), nil
		}
		return yamlToJSON(dst, n.Content[0])
	case yaml.AliasNode:
		return yamlToJSON(dst, n.Alias)
	case yaml.MappingNode:
		dst = append(dst, '{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(jsvalue.AppendQuoted(dst, n.Content[i].Value), ':')
			var err error
			if dst, err = yamlToJSON(dst, n.Content[i+1]); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	case yaml.SequenceNode:
		dst = append(dst, '[')
		for i, c := range n.Content {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = yamlToJSON(dst, c); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case yaml.ScalarNode:
		return scalarToJSON(dst, n)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

func scalarToJSON(dst []byte, n *yaml.Node) ([]byte, error) {
	switch n.ShortTag() {
	case "!!null":
		return append(dst, "null"...), nil
	case "!!bool":
		b, err := strconv.ParseBool(n.Value)
		if err != nil {
			// YAML 1.1 spellings such as "yes" are strings in YAML 1.2, as here.
			return jsvalue.AppendQuoted(dst, n.Value), nil
		}
		return strconv.AppendBool(dst, b), nil
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: %q is not a JSON number", n.Line, n.Value)
		}
		if n.ShortTag() == "!!int" {
			if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
				return strconv.AppendInt(dst, i, 10), nil
			}
		}
		return jsvalue.AppendNumber(dst, f), nil
	default:
		return jsvalue.AppendQuoted(dst, n.Value), nil
	}
}
