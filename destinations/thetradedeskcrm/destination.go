// Package thetradedeskcrm syncs Engage audiences to The Trade Desk's CRM data segments.
//
// Each batch becomes one data drop, through TTD's drop endpoint: POST
// /v3/crmdata/segment/{advertiser}/{crmDataId} opens the drop and answers with an upload
// URL; the batch's emails, one per line, are then PUT there as text/plain. Segment's
// current flow hands the file to Segment's own AWS service, which drops it later; Actuate
// drops it itself, as Segment's earlier ("legacy") flow did, with its rules: the drop
// replaces the segment's members (MergeMode Replace, with retention), and a drop needs
// 1,500 events or more. So a batch must hold the whole audience: the destination is
// meant for Engage's full syncs (__segment_internal_engage_force_full_sync), whose batch
// carries every member, up to batch_size; give the instance a delivery batch_wait long
// enough for a sync's events to gather into one batch.
//
// Emails are written as they are (PII type Email) or as TTD's hashed email
// (EmailHashedUnifiedId2): the base64 SHA-256 of the address trimmed and lower-cased,
// with dots and any +suffix removed from a gmail.com user name; an address already given
// as a hex SHA-256 is re-encoded in base64, and one already in base64 is kept. Addresses
// that do not look like one are left out of the drop.
//
// The CRM data segment is the event's external_audience_id, or the one the mapping's
// audience hook created (POST /v3/crmdata/targeting/segment, named after the audience,
// in the audience's region) or checked (the advertiser's segments, page by page).
//
// The TTD-Auth token goes only to api.thetradedesk.com, not to the upload URL, a
// pre-signed address of TTD's storage that needs no token (Segment sends it there too).
package thetradedeskcrm

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

// apiHost is TTD's API; tests redirect it.
const apiHost = "api.thetradedesk.com"

const baseURL = "https://" + apiHost + "/v3"

// Definition is The Trade Desk CRM destination.
var Definition = &destkit.Definition{
	Slug:        "the-trade-desk-crm",
	SegmentSlug: "actions-the-trade-desk-crm",
	Name:        "The Trade Desk CRM",
	Description: "Sync Engage audiences to The Trade Desk's CRM data segments as data drops.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "auth_token", Label: "Authentication Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "A long-lived Trade Desk API token (Manage API Tokens in the developer portal)."},
		{Key: "advertiser_id", Label: "Advertiser ID", Type: destkit.String, Required: true,
			Description: "The platform id of the advertiser whose CRM data segments are synced."},
		{Key: "__segment_internal_engage_force_full_sync", Label: "Force Full Sync", Type: destkit.Boolean, Required: true,
			Default: `true`, Description: "Segment Engage sends the whole audience on every sync."},
		{Key: "__segment_internal_engage_batch_sync", Label: "Supports batch sync via ADS", Type: destkit.Boolean, Required: true,
			Default: `true`, Description: "Segment Engage sends audiences in batches."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		if u, err := url.Parse(r.URL); err == nil && u.Host == apiHost {
			r.SetHeader("TTD-Auth", s.Str("auth_token"))
		}
		return nil
	},
	Audience: audienceConfig,
	Actions:  []*destkit.Action{SyncAudience},
}
