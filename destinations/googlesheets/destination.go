// Package googlesheets keeps rows of a Google Sheet in step with records:
// one row per record identifier, in column A, with the mapped fields in the
// columns after it and their names in row 1.
//
// Each batch (or single event) is one read-modify-write against the Sheets
// API v4, as Segment's implementation does it:
//
//  1. GET values/{sheet}!A2:A reads the identifiers already in the sheet.
//     A sheet whose rows × mapped columns exceed 600,000 cells fails the
//     batch without writing.
//  2. POST values:batchUpdate rewrites the rows whose identifier was found
//     (range A{row}:{one column past the last}{row}, as Segment sends it),
//     then the header row A1:{last}1 ("id" and the field names of the
//     first event). It is sent even when no row changes, so the header
//     follows the mapping.
//  3. POST values/{sheet}!A2:append?valueInputOption=…&insertDataOption=INSERT_ROWS
//     adds the identifiers not found, when there are any.
//
// A batch holds one spreadsheet, sheet and data format (they are the batch
// keys; Segment takes them from the first event of whatever it batched).
// Which rows may be written depends on the action: Post Sheet uses each
// event's operation_type ("deleted" writes nothing), Post Sheet V2 the
// subscription's sync mode (upsert, add, update). Within a batch the last
// event of an identifier wins, at the position of its first.
//
// Differences from Segment's code, each deliberate: the sheet name is
// percent-escaped in URLs (Segment inserts it raw, so a name holding "#",
// "?" or "/" addresses the wrong resource); Post Sheet V2 rejects the
// delete and mirror sync modes with a validation error instead of writing
// only the header; the requests go one after another (batchUpdate, then
// append) where Segment starts both at once; Segment's 30 s request timeout
// is the sender's to set, not the definition's.
package googlesheets

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Google Sheets destination.
var Definition = &destkit.Definition{
	Slug:        "google-sheets",
	SegmentSlug: "actions-google-sheets",
	Name:        "Google Sheets",
	Description: "Write records as rows of a Google Sheet, updating rows that already exist.",
	Auth:        destkit.AuthOAuth2,
	OAuth:       &destkit.OAuthConfig{TokenURL: "https://www.googleapis.com/oauth2/v4/token"},
	Actions:     []*destkit.Action{PostSheet, PostSheet2},
}
