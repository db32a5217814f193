package schemas

// StageSuppressed: the event's user is suppressed by a privacy regulation
// (processor/regulation); it counts as filtered for every instance and is never sampled.
const StageSuppressed Stage = "suppressed"
