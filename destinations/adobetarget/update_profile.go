package adobetarget

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// UpdateProfile updates an existing profile's attributes.
var UpdateProfile = &destkit.Action{
	Key:                 "updateProfile",
	Title:               "Update Profile",
	Description:         "Update the attributes of an existing Adobe Target profile, found by its mbox 3rd-party ID.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "user_id", Label: "Mbox 3rd Party ID", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "The visitor's ID in Adobe Target (mbox3rdPartyId), by which the profile is found."},
		{Key: "traits", Label: "Profile Attributes", Type: destkit.Object, Required: true,
			Description: "Profile attributes to set; Adobe recommends hashing personal data first."},
	},
	Run: updateProfile,
}

func updateProfile(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	id := string(p.GetStringBytes("user_id"))
	if id == "" {
		return destkit.ValidationErrorf("user_id", "The field \"user_id\" is required.")
	}
	traits := p.GetObject("traits")
	if traits == nil {
		return destkit.ValidationErrorf("traits", "The field \"traits\" is required.")
	}
	base, code, err := host(in.Settings)
	if err != nil {
		return err
	}
	lookup := destkit.Request{Method: "GET", URL: base + "/rest/v1/profiles/thirdPartyId/" + url.PathEscape(id) + "?client=" + url.QueryEscape(code)}
	if _, err := d.Do(ctx, &lookup); err != nil {
		var api *destkit.APIError
		if errors.As(err, &api) && (api.Status == 401 || api.Status == 403) {
			return err
		}
		// Most likely a profile Adobe Target has not created yet.
		return &destkit.RetryableError{Err: errors.New("profile lookup failed (Adobe Target takes up to an hour to create a profile): " + err.Error())}
	}
	var q strings.Builder
	q.WriteString("mbox3rdPartyId=")
	q.WriteString(url.QueryEscape(id))
	flatten(traits.Visit, "", func(k, v string) {
		q.WriteString("&profile.")
		q.WriteString(url.QueryEscape(k))
		q.WriteByte('=')
		q.WriteString(url.QueryEscape(v))
	})
	update := destkit.Request{Method: "POST", URL: base + "/m2/" + code + "/profile/update?" + q.String()}
	_, err = d.Do(ctx, &update)
	return err
}

// flatten calls emit with each leaf of an object, its key path joined by
// dots (list items by index) and its value as JavaScript's toString prints
// it; nulls are left out.
func flatten(visit func(func(k []byte, v *fastjson.Value)), prefix string, emit func(k, v string)) {
	visit(func(k []byte, v *fastjson.Value) {
		path := string(k)
		if prefix != "" {
			path = prefix + "." + path
		}
		switch v.Type() {
		case fastjson.TypeNull:
		case fastjson.TypeObject:
			flatten(v.GetObject().Visit, path, emit)
		case fastjson.TypeArray:
			flatten(func(f func(k []byte, v *fastjson.Value)) {
				for i, x := range v.GetArray() {
					f([]byte(strconv.Itoa(i)), x)
				}
			}, path, emit)
		case fastjson.TypeString:
			emit(path, string(v.GetStringBytes()))
		case fastjson.TypeNumber:
			emit(path, jsvalue.FormatNumber(v.GetFloat64()))
		default:
			emit(path, v.String())
		}
	})
}
