package encharge

import "github.com/actuate/actuate/destinations/destkit"

// tagFields are the fields of both tag actions.
var tagFields = []destkit.Field{
	{Key: "tag", Label: "Tag", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.traits.tag"}`,
		Description: "Tags to add or remove, separated by commas."},
	{Key: "email", Label: "Email", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
		Description: "Email address of the user."},
	{Key: "userId", Label: "User ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Your identifier of the user."},
	{Key: "segmentAnonymousId", Label: "Anonymous ID", Type: destkit.String,
		Default:     `{"@path":"$.anonymousId"}`,
		Description: "Segment's anonymous id of the user."},
}

// AddTag adds tags to a user.
var AddTag = &destkit.Action{
	Key:         "addTag",
	Title:       "Tag User",
	Description: "Add tags to a user in Encharge.",
	Fields:      tagFields,
	Perform:     func(in *destkit.Input) ([]destkit.Request, error) { return tagRequest("POST", in) },
}

// RemoveTag removes tags from a user.
var RemoveTag = &destkit.Action{
	Key:         "removeTag",
	Title:       "Untag User",
	Description: "Remove tags from a user in Encharge.",
	Fields:      tagFields,
	Perform:     func(in *destkit.Input) ([]destkit.Request, error) { return tagRequest("DELETE", in) },
}

// tagRequest sends the payload as it is to /v1/tags.
func tagRequest(method string, in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if p.Get("email") == nil && p.Get("userId") == nil && p.Get("segmentAnonymousId") == nil {
		return nil, destkit.ValidationErrorf("userId", "No user ID, email, or anonymous ID provided.")
	}
	if len(p.GetStringBytes("tag")) == 0 {
		return nil, destkit.ValidationErrorf("tag", "Missing tag.")
	}
	var body destkit.JSObject
	body.Assign(p, notInternal)
	return []destkit.Request{destkit.NewJSONRequest(method, restBase+"/tags", body.AppendJSON(nil))}, nil
}
