package slack

import (
	"regexp"

	"github.com/actuate/actuate/destinations/destkit"
)

// PostToChannel posts one message per event.
var PostToChannel = &destkit.Action{
	Key:         "postToChannel",
	Title:       "Post Message",
	Description: "Post a message to a Slack channel through an incoming webhook.",
	Fields: []destkit.Field{
		{Key: "url", Label: "Webhook URL", Type: destkit.String, Required: true, Format: "uri",
			Description: "The incoming-webhook URL Slack issued for the workspace (https://hooks.slack.com/...)."},
		{Key: "text", Label: "Message", Type: destkit.Text, Required: true,
			Description: "The message text; Slack's mrkdwn formatting applies."},
		{Key: "channel", Label: "Channel", Type: destkit.String,
			Description: "Channel to post to instead of the webhook's default."},
		{Key: "username", Label: "User", Type: destkit.String,
			Default:     `"Segment"`,
			Description: "Name the message is posted under."},
		{Key: "icon_url", Label: "Icon URL", Type: destkit.String,
			Default:     `"https://logo.clearbit.com/segment.com"`,
			Description: "Image shown as the poster's avatar."},
	},
	Perform: postToChannel,
}

// webhookURL admits Slack hosts only, so a mapping cannot turn this
// destination into a way to post events to arbitrary servers.
var webhookURL = regexp.MustCompile(`^https://[a-zA-Z0-9.-]+\.slack\.com[/a-zA-Z0-9]+$`)

func postToChannel(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	url := string(p.GetStringBytes("url"))
	if !webhookURL.MatchString(url) {
		return nil, destkit.ValidationErrorf("url", "Invalid Slack URL provided.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Field("channel", p.Get("channel"))
	w.Field("text", p.Get("text"))
	w.Field("username", p.Get("username"))
	w.Field("icon_url", p.Get("icon_url"))
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", url, w.Bytes())}, nil
}
