// Package attio creates and updates records in Attio: people and users from
// identify calls, companies and workspaces from group calls, or any object.
package attio

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Attio (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "attio",
	SegmentSlug: "actions-attio",
	Name:        "Attio (Actions)",
	Description: "Create or update people, users, companies, workspaces and other records in Attio.",
	// The OAuth app is Attio's (managed); the access token is a Bearer
	// header like any OAuth 2 token.
	Auth:    destkit.AuthOAuthManaged,
	OAuth:   &destkit.OAuthConfig{TokenURL: "https://app.attio.com/oauth/token"},
	Actions: []*destkit.Action{IdentifyUser, GroupWorkspace, AssertRecord},
	Presets: []destkit.Preset{
		{Name: "Identify User", Action: "identifyUser", Trigger: `type = "identify"`,
			Mapping: `{"email_address":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}},"user_id":{"@path":"$.userId"},"user_attributes":{},"person_attributes":{},"enable_batching":false,"batch_size":1000,"received_at":{"@path":"$.receivedAt"}}`},
		{Name: "Group Workspace", Action: "groupWorkspace", Trigger: `type = "group"`,
			Mapping: `{"domain":{"@if":{"exists":{"@path":"$.traits.website"},"then":{"@path":"$.traits.website"},"else":{"@path":"$.website"}}},"workspace_id":{"@if":{"exists":{"@path":"$.groupId"},"then":{"@path":"$.groupId"},"else":{"@path":"$.context.group_id"}}},"user_id":{"@path":"$.userId"},"company_attributes":{},"workspace_attributes":{},"enable_batching":false,"batch_size":1000,"received_at":{"@path":"$.receivedAt"}}`},
	},
}

const apiBase = "https://api.attio.com/v2"
