package schemas

// The internal topics and their defaults, named once: every process and tool takes them
// from here.
const (
	// TopicConfig is the compacted topic holding the workspace, one record per object.
	TopicConfig = "actuate.config"
	// TopicConfigHistory holds every committed config write, secrets redacted.
	TopicConfigHistory = "actuate.config.history"
	// TopicDeliveryPrefix starts the name of each instance's delivery topic.
	TopicDeliveryPrefix = "actuate.delivery."
	// TopicRetry holds action requests waiting longer than a sender waits in process.
	TopicRetry = "actuate.retry"
	// TopicDLQ holds dead letters (DeadLetter records).
	TopicDLQ = "actuate.dlq"
	// TopicSamples holds discard and violation samples.
	TopicSamples = "actuate.samples"
	// TopicOverview holds every process's counter deltas for the Delivery Overview.
	TopicOverview = "actuate.overview"
	// TopicReplay (compacted) marks the dead letters replays have taken (processor/replay).
	TopicReplay = "actuate.replay"
	// TopicRegulations (compacted) holds privacy requests and their deletion statuses (processor/regulation).
	TopicRegulations = "actuate.regulations"
	// TopicRegulationsLeader (one partition, always empty) elects the one `actuate serve`
	// that runs the regulations' deletions: the member of GroupDeleter assigned its
	// partition (processor/kgroup.Lead).
	TopicRegulationsLeader = "actuate.regulations.leader"
	// GroupDeleter is the consumer group of the processes that may run the deletions.
	GroupDeleter = "actuate-deleter"
	// TopicModelPrefix starts the name of each data model's compacted rows topic.
	TopicModelPrefix = "actuate.model."
	// TopicProfilesChangelog (compacted) holds every profile, keyed by the user's key and
	// partitioned like the events topics: the processor writes each update in the
	// transaction that routes its event, and restores a partition's profiles from it
	// (processor/profile).
	TopicProfilesChangelog = "actuate.profiles.changelog"
	// TopicProfilesRepartition carries profile commands (merges across partitions,
	// erasures) to the partition that owns their key, partitioned like the events topics.
	TopicProfilesRepartition = "actuate.profiles.repartition"
	// DefaultPartitions is the partition count of the topics Actuate creates.
	DefaultPartitions = 12
)

// DeliveryTopic is the topic that holds an instance's action requests.
func DeliveryTopic(instanceID string) string { return TopicDeliveryPrefix + instanceID }
