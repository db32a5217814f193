package segmentimport

import (
	"bytes"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/actuate/actuate/processor/config"
)

// The workspace file's shape, written with only the fields an import sets.
type fileDoc struct {
	Sources      []fileSource      `yaml:"sources,omitempty"`
	Destinations []fileDestination `yaml:"destinations"`
}

type fileSource struct {
	ID     string   `yaml:"id"`
	Topics []string `yaml:"topics,flow"`
}

type fileDestination struct {
	ID       string         `yaml:"id"`
	Type     string         `yaml:"type"`
	Sources  []string       `yaml:"sources,flow"`
	Enabled  bool           `yaml:"enabled"`
	Settings map[string]any `yaml:"settings,omitempty"`
	Filters  []fileFilter   `yaml:"filters,omitempty"`
	Mappings []fileMapping  `yaml:"mappings,omitempty"`
}

type fileFilter struct {
	ID          string             `yaml:"id"`
	Title       string             `yaml:"title,omitempty"`
	Description string             `yaml:"description,omitempty"`
	If          string             `yaml:"if"`
	Actions     []fileFilterAction `yaml:"actions"`
	Enabled     *bool              `yaml:"enabled,omitempty"`
}

type fileFilterAction struct {
	Type    string              `yaml:"type"`
	Percent float64             `yaml:"percent,omitempty"`
	Path    string              `yaml:"path,omitempty"`
	Fields  map[string][]string `yaml:"fields,omitempty"`
}

type fileMapping struct {
	ID      string     `yaml:"id"`
	Name    string     `yaml:"name,omitempty"`
	Enabled bool       `yaml:"enabled"`
	Action  string     `yaml:"action"`
	Trigger string     `yaml:"trigger"`
	Mapping *yaml.Node `yaml:"mapping"`
}

// WriteYAML writes sources and destinations as a workspace file. Each mapping keeps its
// keys in order and its strings JSON-quoted, so the file reads back (config.Parse) to the
// same mapping JSON.
func WriteYAML(w io.Writer, header string, sources []config.Source, dests []config.Destination) error {
	doc := fileDoc{}
	for _, s := range sources {
		doc.Sources = append(doc.Sources, fileSource{ID: s.ID, Topics: s.Topics})
	}
	for _, d := range dests {
		fd := fileDestination{ID: d.ID, Type: d.Type, Sources: d.Sources, Enabled: d.Enabled, Settings: d.Settings}
		for _, f := range d.Filters {
			ff := fileFilter{ID: f.ID, Title: f.Title, Description: f.Description, If: f.If, Enabled: f.Enabled}
			for _, a := range f.Actions {
				ff.Actions = append(ff.Actions, fileFilterAction(a))
			}
			fd.Filters = append(fd.Filters, ff)
		}
		for _, m := range d.Mappings {
			node, err := jsonNode(m.Mapping)
			if err != nil {
				return fmt.Errorf("mapping %s of %s: %v", m.ID, d.ID, err)
			}
			fd.Mappings = append(fd.Mappings, fileMapping{ID: m.ID, Name: m.Name, Enabled: m.Enabled, Action: m.Action, Trigger: m.Trigger, Mapping: node})
		}
		doc.Destinations = append(doc.Destinations, fd)
	}
	var b bytes.Buffer
	for _, line := range bytes.Split([]byte(header), []byte("\n")) {
		if len(line) > 0 {
			b.WriteString("# ")
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// jsonNode reads JSON as a YAML node: objects and arrays in block style, scalars as JSON
// wrote them (strings double-quoted), so nothing is re-typed on the way back.
func jsonNode(j []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(j, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("not one JSON value")
	}
	n := doc.Content[0]
	blockStyle(n)
	return n, nil
}

func blockStyle(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		if len(n.Content) > 0 {
			n.Style = 0
		}
		for _, c := range n.Content {
			blockStyle(c)
		}
	}
}
