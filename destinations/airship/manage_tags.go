package airship

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// ManageTags adds and removes tags of one tag group.
var ManageTags = &destkit.Action{
	Key:         "manageTags",
	Title:       "Manage Tags",
	Description: "Add or remove tags of a tag group on a named user or channel: true adds a tag, false removes it.",
	Fields: []destkit.Field{
		namedUserField, channelIDField, channelTypeField,
		{Key: "tags", Label: "Tag Name", Type: destkit.Object, Default: `{"@path":"$.traits.airship_tags"}`,
			Description: "Tags by name, each true (add) or false (remove); the strings \"true\" and \"false\" count too, other values are ignored."},
		{Key: "tag_group", Label: "Tag Group", Type: destkit.String, Required: true, Default: `"segment-integration"`,
			Description: "The tag group, created in Airship beforehand."},
	},
	Perform: manageTags,
}

func manageTags(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	group := string(p.GetStringBytes("tag_group"))
	if group == "" {
		return nil, destkit.ValidationErrorf("tag_group", "The field tag_group is required.")
	}
	var add, remove []string
	if o := p.GetObject("tags"); o != nil {
		o.Visit(func(k []byte, v *fastjson.Value) {
			switch {
			case v.Type() == fastjson.TypeTrue, v.Type() == fastjson.TypeString && strings.EqualFold(string(v.GetStringBytes()), "true"):
				add = append(add, string(k))
			case v.Type() == fastjson.TypeFalse, v.Type() == fastjson.TypeString && strings.EqualFold(string(v.GetStringBytes()), "false"):
				remove = append(remove, string(k))
			}
		})
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("audience")
	if err := writeAudience(w, p); err != nil {
		return nil, err
	}
	for _, op := range []struct {
		key  string
		tags []string
	}{{"add", add}, {"remove", remove}} {
		if len(op.tags) == 0 {
			continue
		}
		w.Key(op.key)
		w.ObjectStart()
		w.Key(group)
		w.ArrayStart()
		for _, t := range op.tags {
			w.String(t)
		}
		w.ArrayEnd()
		w.ObjectEnd()
	}
	w.ObjectEnd()
	path := "/api/named_users/tags"
	if len(p.GetStringBytes("channel_id")) > 0 {
		path = "/api/channels/tags"
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", baseURL(in.Settings)+path, w.Bytes())}, nil
}
