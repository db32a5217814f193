package config

// DataModel is a table joined to the stream: its rows live on the compacted topic
// actuate.model.<id>, keyed by the row key, and each event is enriched with the row whose
// key is the event's value at Key. Mappings, triggers and filters read the row's columns
// as $.enrichments.<id>.<column>.
type DataModel struct {
	ID string `yaml:"id" json:"id"`
	// Key is the path of the event's value that looks a row up, "$.context.groupId".
	Key string `yaml:"key" json:"key"`
}
