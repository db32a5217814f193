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

// Profiles is per-user state kept from the events themselves: each event updates its
// user's profile (the latest value of each trait, from identify traits and every event's
// context.traits; the userId), kept exactly once on the compacted changelog topic
// actuate.profiles.changelog. Mappings, triggers and filters read $.profile.traits.<name>,
// $.profile.user_id and $.profile.anonymous_ids.
type Profiles struct {
	Enabled bool `yaml:"enabled" json:"enabled"`
}
