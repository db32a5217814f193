package sendgrid

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// SendEmail sends one email with a dynamic template.
var SendEmail = &destkit.Action{
	Key:         "sendEmail",
	Title:       "Send Email with Dynamic Template",
	Description: "Send an email through SendGrid using a dynamic template.",
	Fields: []destkit.Field{
		{Key: "domain", Label: "Validated Domain", Type: destkit.String, Dynamic: domainChoices,
			Description: "Verified sending domain; the From address must belong to it."},
		{Key: "from", Label: "From", Type: destkit.Object, Required: true,
			Description: "Sender of the email.",
			Properties: []destkit.Field{
				{Key: "email", Label: "Email", Type: destkit.String, Required: true, Format: "email",
					Description: "Sender's email address."},
				{Key: "name", Label: "Name", Type: destkit.String,
					Description: "Sender's name."},
			}},
		{Key: "to", Label: "To", Type: destkit.Object, Required: true,
			Default:     `{"email":{"@path":"$.properties.email"},"name":{"@path":"$.properties.name"}}`,
			Description: "Recipient of the email.",
			Properties: []destkit.Field{
				{Key: "email", Label: "Email", Type: destkit.String, Required: true, Format: "email",
					Description: "Recipient's email address."},
				{Key: "name", Label: "Name", Type: destkit.String,
					Description: "Recipient's name."},
			}},
		{Key: "cc", Label: "CC", Type: destkit.Object, Multiple: true,
			Description: "Recipients to copy.",
			Properties: []destkit.Field{
				{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
					Description: "Email address to copy."},
				{Key: "name", Label: "Name", Type: destkit.String,
					Description: "Name of the copied recipient."},
			}},
		{Key: "bcc", Label: "BCC", Type: destkit.Object, Multiple: true,
			Description: "Recipients to blind-copy.",
			Properties: []destkit.Field{
				{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
					Description: "Email address to blind-copy."},
				{Key: "name", Label: "Name", Type: destkit.String,
					Description: "Name of the blind-copied recipient."},
			}},
		{Key: "headers", Label: "Headers", Type: destkit.Object, AdditionalProperties: true,
			Description: "Extra email headers; values are sent as text and reserved headers (To, From, Subject, ...) are refused."},
		{Key: "dynamic_template_data", Label: "Dynamic Template Data", Type: destkit.Object, AdditionalProperties: true,
			Description: "Values for the dynamic template's variables."},
		{Key: "template_id", Label: "Dynamic Template", Type: destkit.String, Dynamic: templateChoices, Required: true,
			Description: "Dynamic template to send: its ID (d-...), optionally followed by a space and its name, or a name with the ID in brackets."},
		{Key: "custom_args", Label: "Custom Args", Type: destkit.Object, AdditionalProperties: true,
			Description: "Custom arguments attached to the email and returned in SendGrid's events; values are sent as text."},
		{Key: "send_at", Label: "Send At", Type: destkit.String, Format: "date-time",
			Description: "When to send the email (ISO 8601), at most 72 hours ahead; sent as unix seconds."},
		{Key: "reply_to", Label: "Reply To", Type: destkit.Object,
			Description: "Address replies go to; the sender when empty.",
			Properties: []destkit.Field{
				{Key: "email", Label: "Email", Type: destkit.String, Format: "email",
					Description: "Reply-to email address."},
				{Key: "name", Label: "Name", Type: destkit.String,
					Description: "Reply-to name."},
			}},
		{Key: "categories", Label: "Categories", Type: destkit.String, Multiple: true,
			Description: "Categories to tag the email with (at most 255 characters each)."},
		{Key: "ip_pool_name", Label: "IP Pool", Type: destkit.String, Dynamic: ipPoolChoices,
			Description: "IP pool to send from (3 to 63 characters)."},
		{Key: "group_id", Label: "Group ID", Type: destkit.String, Dynamic: groupChoices,
			Description: "Unsubscribe group of the email: its numeric ID, optionally followed by its name, or a name with the ID in brackets."},
	},
	Perform: sendEmail,
}

// now is the clock send_at is checked against; tests replace it.
var now = time.Now

// reservedHeaders may not be set through the headers field (compared as
// typed, like Segment).
var reservedHeaders = []string{"x-sg-id", "x-sg-eid", "received", "dkim-signature", "Content-Type",
	"Content-Transfer-Encoding", "To", "From", "Subject", "Reply-To", "CC", "BCC"}

var (
	leadingDigits = regexp.MustCompile(`^(\d+)`)
	bracketDigits = regexp.MustCompile(`\[(\d+)\]`)
	bracketed     = regexp.MustCompile(`\[(.*?)\]`)
)

// groupID reads an unsubscribe group ID: leading digits ("123 - News") or
// digits in brackets ("News [123]").
func groupID(s string) (int64, bool) {
	for _, re := range []*regexp.Regexp{leadingDigits, bracketDigits} {
		if m := re.FindStringSubmatch(s); m != nil {
			if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// templateID reads a dynamic template ID: "d-…" up to the first space, or
// the text in the first brackets ("Welcome [d-…]").
func templateID(s string) (string, bool) {
	if strings.HasPrefix(s, "d-") {
		id, _, _ := strings.Cut(s, " ")
		return id, true
	}
	if m := bracketed.FindStringSubmatch(s); m != nil {
		return m[1], true
	}
	return "", false
}

func sendEmail(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	fromEmail := string(p.GetStringBytes("from", "email"))
	toEmail := string(p.GetStringBytes("to", "email"))
	switch {
	case fromEmail == "":
		return nil, destkit.ValidationErrorf("from.email", "The from value is missing the required field 'email'.")
	case toEmail == "":
		return nil, destkit.ValidationErrorf("to.email", "The to value is missing the required field 'email'.")
	}
	var gid int64
	hasGroup := false
	if g := string(p.GetStringBytes("group_id")); g != "" {
		if gid, hasGroup = groupID(g); !hasGroup {
			return nil, destkit.ValidationErrorf("group_id", "Group ID value must be a numberic (integer) string")
		}
	}
	if d := string(p.GetStringBytes("domain")); d != "" && !strings.HasSuffix(fromEmail, d) {
		return nil, destkit.ValidationErrorf("domain", "From email must be from the selected domain")
	}
	tid, ok := templateID(string(p.GetStringBytes("template_id")))
	if !ok || !strings.HasPrefix(tid, "d-") {
		return nil, destkit.ValidationErrorf("template_id", "Template must refer to a Dynamic Template. Dynamic Template IDs start with \"d-\"")
	}
	if h := p.GetObject("headers"); h != nil {
		var bad bool
		h.Visit(func(k []byte, _ *fastjson.Value) {
			for _, r := range reservedHeaders {
				bad = bad || string(k) == r
			}
		})
		if bad {
			return nil, destkit.ValidationErrorf("headers", "Headers cannot contain any of the following reserved headers: %s", strings.Join(reservedHeaders, ", "))
		}
	}
	for _, c := range p.GetArray("categories") {
		if s := c.GetStringBytes(); jsvalue.UTF16Len(string(s)) > 255 {
			return nil, destkit.ValidationErrorf("categories", "Category with name %s exceeds the max length of 255 characters", s)
		}
	}
	var sendAt int64
	hasSendAt := false
	if s := p.Get("send_at"); s != nil {
		t, ok := destkit.ParseJSDate(s)
		n := now()
		if !ok || t.Before(n) || t.After(n.Add(72*time.Hour)) {
			return nil, destkit.ValidationErrorf("send_at", "send_at should be less than 72 hours from now")
		}
		sendAt, hasSendAt = t.Unix(), true
	}
	if pool := string(p.GetStringBytes("ip_pool_name")); pool != "" {
		if l := jsvalue.UTF16Len(pool); l >= 64 || l <= 2 {
			return nil, destkit.ValidationErrorf("ip_pool_name", "IP Pool Name should at least 2 characters and at most 64 characters in length")
		}
	}

	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	w.Key("personalizations")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("to")
	w.ArrayStart()
	writeAddress(w, p.Get("to"))
	w.ArrayEnd()
	writeAddresses(w, "cc", p.GetArray("cc"))
	writeAddresses(w, "bcc", p.GetArray("bcc"))
	// Segment always sends headers, as an object of strings.
	w.Key("headers")
	w.ObjectStart()
	if h := p.GetObject("headers"); h != nil {
		h.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			w.String(destkit.JSString(v))
		})
	}
	w.ObjectEnd()
	w.Field("dynamic_template_data", p.Get("dynamic_template_data"))
	if ca := p.GetObject("custom_args"); ca != nil && ca.Len() > 0 {
		w.Key("custom_args")
		w.ObjectStart()
		ca.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			w.String(destkit.JSString(v))
		})
		w.ObjectEnd()
	}
	if hasSendAt {
		w.Key("send_at")
		w.Int(sendAt)
	}
	w.ObjectEnd()
	w.ArrayEnd()
	w.Key("from")
	writeAddress(w, p.Get("from"))
	// Replies go to the sender unless a reply-to address is given.
	w.Key("reply_to")
	w.ObjectStart()
	w.Key("email")
	if e := p.Get("reply_to", "email"); e != nil {
		w.Value(e)
	} else {
		w.String(fromEmail)
	}
	if n := p.Get("reply_to", "name"); n != nil {
		w.Field("name", n)
	} else {
		w.Field("name", p.Get("from", "name"))
	}
	w.ObjectEnd()
	w.Key("template_id")
	w.String(tid)
	w.Field("categories", p.Get("categories"))
	if hasGroup {
		w.Key("asm")
		w.ObjectStart()
		w.Key("group_id")
		w.Int(gid)
		w.ObjectEnd()
	}
	w.Field("ip_pool_name", p.Get("ip_pool_name"))
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings)+"/v3/mail/send", w.Bytes())}, nil
}

func writeAddress(w *destkit.JSONWriter, a *fastjson.Value) {
	w.ObjectStart()
	w.Field("email", a.Get("email"))
	w.Field("name", a.Get("name"))
	w.ObjectEnd()
}

// writeAddresses writes the cc or bcc list without entries whose email is
// blank, and nothing when none is left.
func writeAddresses(w *destkit.JSONWriter, key string, list []*fastjson.Value) {
	n := 0
	for _, a := range list {
		if jsvalue.Trim(string(a.GetStringBytes("email"))) == "" {
			continue
		}
		if n == 0 {
			w.Key(key)
			w.ArrayStart()
		}
		writeAddress(w, a)
		n++
	}
	if n > 0 {
		w.ArrayEnd()
	}
}
