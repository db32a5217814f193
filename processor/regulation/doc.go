// Package regulation is privacy requests (Segment's regulations) for user ids:
//
//  1. A regulation has a type — SUPPRESS_ONLY, SUPPRESS_WITH_DELETE, DELETE_ONLY or
//     UNSUPPRESS (ParseType also takes suppress, suppress_with_delete, delete and
//     unsuppress) — and user ids. Store.Create writes it to the compacted topic
//     schemas.TopicRegulations ("regulation/<id>", JSON), with, for the deleting types,
//     one status per destination instance of the workspace ("status/<id>/<instance>"):
//     pending where the destination has a delete operation (destkit.Definition.Delete),
//     not_supported where it has none; and one for the erasure of the users' profiles
//     ("profiles/<id>"): pending when the workspace keeps profiles, skipped when not.
//  2. Every process follows the topic (Store.Run). The suppressed users are those of the
//     suppressing regulations, in creation order, less those a later UNSUPPRESS names;
//     Store.Suppressed answers for a user id. Ingest refuses their events
//     (processor/ingest) and the processor filters them for every instance with stage
//     "suppressed" (processor/route), from the moment the process has read the regulation.
//  3. The Deleter takes each pending or retrying status whose time has come and calls the
//     destination's delete operation for every user id,
//     through the destination kit (credentials, OAuth), or erases every user id's profile
//     (ProfileEraser: the processor owning the profile writes its tombstone). Success:
//     succeeded. An error the kit classifies as retryable, and any erasure's error:
//     retrying, with exponential backoff (or the destination's Retry-After), up to
//     MaxAttempts; any other: failed, with the error.
//     Each change is a new status record, so every process shows the same status. Every
//     `actuate serve` runs a Deleter, but only the one leading the deleter group
//     (processor/kgroup.Lead) deletes, so a deletion is sent once however many replicas
//     serve.
//  4. Store.Get shows a regulation with each destination's status and its profiles'.
package regulation
