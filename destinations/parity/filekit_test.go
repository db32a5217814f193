package parity

// The file-delivery destinations (acoustic-s3tc, liveramp-audiences, the-trade-desk-crm)
// and amazon-amc: their tables, added to the shared ones. Files written to S3 or SFTP are
// compared by their own packages' tests against real servers; here, what goes through
// HTTP on both sides.

// acousticObject is why Acoustic's object address differs.
const acousticObject = "Actuate puts the file on the access point's regional endpoint (Segment: the global one, " +
	"which redirects buckets outside us-east-1) under a name made of the prefix, the event's time and the file's digest, " +
	"so that a retry replaces its own file (Segment: the time of sending, a new file per attempt; acoustics3tc package doc)"

func init() {
	held = append(held, "acoustic-s3tc")
	destinationSettings["acoustic-s3tc"] = map[string]any{"fileNamePrefix": "acme_prod_",
		"s3_bucket_accesspoint_alias": "acme-ap-1a2b3c4d5e6f-s3alias", "s3_access_key": "AKIDPARITY",
		"s3_secret": "parity-secret", "s3_region": "us-east-1", "version": "Version 2.3"}
	// Acoustic takes the sections a user maps; its default mapping maps none (and fails on
	// both sides, which the case without extras would show alone).
	mappingExtras["acoustic-s3tc/receiveEvents"] = `{"properties":{"@path":"$.properties"},"traits":{"@path":"$.traits"},"context":{"@path":"$.context"}}`
	knownDifferences = append(knownDifferences,
		known{"acoustic-s3tc", "receiveEvents", "req[] url", acousticObject},
		known{"acoustic-s3tc", "receiveEvents", "req[] content-type", "the file is stored as application/json, its type; " +
			"Segment's signing library labels it a form (application/x-www-form-urlencoded)"},
		// Segment labels the body a form, so the harness compares it as text, not by value.
		known{"acoustic-s3tc", "receiveEvents", "req[] body", "Segment adds \"undefined\": \"Audience Exited\" to the " +
			"file of every event that is not an audience event; Actuate adds no audience member to it (acoustics3tc package doc). " +
			"Read side by side, that member is the only difference of the bodies; acoustics3tc's tests hold the rest of the document"},
	)
}
