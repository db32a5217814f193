package livelikecloud

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SyncToUserGroup adds users to or removes them from a LiveLike user
// group, as an Engage audience's members enter and leave it.
var SyncToUserGroup = &destkit.Action{
	Key:                 "syncToUserGroup",
	Title:               "Sync to User Group",
	Description:         "Add users to or remove them from a LiveLike user group, following an Engage audience.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "audience_id", Label: "Segment Audience ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.personas.computation_id"}`,
			Description: "Id of the Segment audience (computation id)."},
		{Key: "audience_name", Label: "Segment Audience Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.personas.computation_key"}`,
			Description: "Key of the Segment audience (computation key); the membership flag is read from the traits or properties member of that name."},
		{Key: "action", Label: "Action", Type: destkit.Boolean,
			Description: "true adds the user to the LiveLike user group, false removes them; leave it unmapped for Engage audiences, whose membership flag is read from the event."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the membership changed."},
		{Key: "additional_user_traits", Label: "Additional user traits", Type: destkit.Object,
			Default: `{"livelike_profile_id":{"@if":{"exists":{"@path":"$.traits.livelike_profile_id"},"then":{"@path":"$.traits.livelike_profile_id"},"else":{"@path":"$.properties.livelike_profile_id"}}},"email":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}}}`,
			Properties: []destkit.Field{
				{Key: "livelike_profile_id", Label: "LiveLike User Profile ID", Type: destkit.String,
					Description: "LiveLike's id of the user profile."},
				{Key: "email", Label: "Email", Type: destkit.String,
					Description: "Email address of the user."},
			},
			AdditionalProperties: true,
			Description:          "More traits of the user sent with the membership."},
		{Key: "traits_or_properties_hidden", Label: "Traits or Properties hidden", Type: destkit.Object,
			Default:     `{"@if":{"exists":{"@path":"$.traits"},"then":{"@path":"$.traits"},"else":{"@path":"$.properties"}}}`,
			Description: "The event's traits (or properties), which hold the audience membership flag."},
		{Key: "user_id", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id of the user."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Send memberships in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Min: 1, Max: 500,
			Default:     `100`,
			Description: "Largest number of memberships per batch."},
	},
	// Segment's default batch size; the mapping's batch_size is not read.
	Batch: &destkit.Batch{MaxSize: 100},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		m, err := membership(in.Payload)
		if err != nil {
			return nil, err
		}
		return []destkit.Request{syncRequest(in.Settings, [][]byte{m})}, nil
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		var ms [][]byte
		for i, p := range in.Payloads {
			m, err := membership(p)
			if err != nil {
				in.Reject(i, err)
				continue
			}
			ms = append(ms, m)
		}
		if len(ms) == 0 {
			return nil, nil
		}
		return []destkit.Request{syncRequest(in.Settings, ms)}, nil
	},
}

// audienceFlag reads an Engage audience's membership flag.
var audienceFlag = destkit.MembershipFields{Key: "audience_name", Props: "traits_or_properties_hidden"}

// membership is one member of the sync list.
func membership(p *fastjson.Value) ([]byte, error) {
	action := p.Get("action")
	if action == nil || (action.Type() != fastjson.TypeTrue && action.Type() != fastjson.TypeFalse) {
		flag, err := audienceFlag.Flag(p)
		if err != nil {
			return nil, err
		}
		if flag == nil || (flag.Type() != fastjson.TypeTrue && flag.Type() != fastjson.TypeFalse) {
			return nil, destkit.ValidationErrorf("action", "The action must be a boolean (true adds, false removes); for an Engage audience leave it unmapped and keep the audience id and name mappings, so the flag is read from the traits.")
		}
		action = flag
	}
	var o destkit.JSObject
	o.SetValue("audience_id", p.Get("audience_id"))
	o.SetValue("audience_name", p.Get("audience_name"))
	o.SetValue("action", action)
	o.SetValue("timestamp", p.Get("timestamp"))
	o.SetValue("user_id", p.Get("user_id"))
	o.Assign(p.Get("additional_user_traits"), nil)
	return o.AppendJSON(nil), nil
}

// syncRequest posts the memberships as a list.
func syncRequest(s *destkit.Settings, members [][]byte) destkit.Request {
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	for _, m := range members {
		w.Raw(m)
	}
	w.ArrayEnd()
	return destkit.NewJSONRequest("POST", endpoint(s, "segment-audience-sync/"), w.Bytes())
}
