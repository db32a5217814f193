// Package filekit delivers files: the destinations that hand their vendor a file instead of
// calling an API (LiveRamp's audience files on S3 or SFTP, Acoustic's event files on S3) build
// the file's bytes themselves and leave the upload to this package.
//
// The one promise: a retry after a failed upload never leaves a partial file, nor a second
// copy of the same file, where the vendor reads. It rests on two rules.
//
//  1. A file's final name is decided by its content (Name: the base name a mapping gives,
//     with the first 16 hex digits of the content's SHA-256 before the extension). A batch
//     that is sent again after a failure, or after an answer that was lost, writes the same
//     bytes under the same name, so it replaces itself instead of adding a duplicate.
//  2. A file appears under its final name whole or not at all:
//     - S3 (S3Object): one PUT of the whole body, signed with AWS Signature Version 4 and
//     carrying its Content-MD5. S3 stores an object only once the full body arrived and its
//     digest matched, so a dropped connection or a refused request leaves no object, and a
//     retry overwrites the same key. The body is at most a batch (LiveRamp's 50,000 rows),
//     far below the 5 GB a single PUT takes, so multipart uploads, whose parts could be left
//     behind, are not needed. The request is an ordinary destkit.Request: it is sent by the
//     destination's client, through the egress guard, and its errors are classified like any
//     HTTP answer (403 fails, 503 SlowDown retries).
//     - SFTP (SFTP.Upload): the bytes go to a temporary name beside the final one (a dot
//     before it and ".part" after it; deterministic too, so a retry overwrites what a broken
//     attempt left instead of leaving a second fragment), then one rename, which OpenSSH's
//     posix-rename extension makes atomic and allowed to replace an existing file. A
//     connection lost before the rename leaves only the hidden temporary file, which the
//     next attempt truncates, rewrites and renames.
//
// Errors follow destkit's taxonomy: refused credentials are an *destkit.AuthError (never
// retried; the message never holds the password or key), a missing folder is a
// *destkit.PayloadValidationError naming the field that gave it, and lost connections are
// retried.
package filekit
