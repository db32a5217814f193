package klaviyo

import (
	"context"
	"net/http"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// RemoveProfileFromList removes the profiles matching an Engage audience
// member from the audience's list.
var RemoveProfileFromList = &destkit.Action{
	Key:                 "removeProfileFromList",
	Title:               "Remove Profile from List (Engage)",
	Description:         "Remove the profiles matching the email, phone number or external ID from a Klaviyo list.",
	DefaultSubscription: `event = "Audience Exited"`,
	Fields: []destkit.Field{
		emailField(`{"@path":"$.context.traits.email"}`),
		externalIDField(maxExternalID),
		listIDField("List Id", true, audienceList),
		phoneField(`{"@path":"$.context.traits.phone"}`),
		enableBatchingField(`true`),
		countryCodeField,
		batchSizeField(100, 1000, `1000`),
		batchKeysField(`["list_id"]`),
	},
	Batch:    &destkit.Batch{MaxSize: 1000, Keys: []string{"list_id"}},
	Run:      removeFromList,
	RunBatch: removeFromListBatch,
}

// removeFromList looks the profiles up by each identifier given, then
// removes them from the list. Finding none is final: the same lookup would
// find none again.
func removeFromList(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	phone, err := checkProfile(p)
	if err != nil {
		return err
	}
	ids, err := findProfiles(ctx, d, values(p, "external_id"), values(p, "email"), nonEmpty(phone))
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return errNoProfiles
	}
	_, err = do(ctx, d, destkit.NewJSONRequest(http.MethodDelete, listProfilesURL(string(p.GetStringBytes("list_id"))), listMembers(ids)))
	return err
}

// removeFromListBatch looks up every member of the batch at once and
// removes those found in one call. Klaviyo does not say which identifier
// matched, so an error fails every valid event of the batch.
func removeFromListBatch(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	var extIDs, emails, phones []string
	var valid []int
	for i, p := range in.Payloads {
		phone, err := checkProfile(p)
		if err != nil {
			errs[i] = err
			continue
		}
		valid = append(valid, i)
		extIDs = append(extIDs, values(p, "external_id")...)
		emails = append(emails, values(p, "email")...)
		phones = append(phones, nonEmpty(phone)...)
	}
	if len(valid) == 0 {
		return errs
	}
	ids, err := findProfiles(ctx, d, extIDs, emails, phones)
	if err == nil && len(ids) > 0 {
		list := string(in.Payloads[valid[0]].GetStringBytes("list_id"))
		_, err = do(ctx, d, destkit.NewJSONRequest(http.MethodDelete, listProfilesURL(list), listMembers(ids)))
	}
	for _, i := range valid {
		errs[i] = err
	}
	return errs
}

func values(p *fastjson.Value, key string) []string {
	if s := p.GetStringBytes(key); len(s) > 0 {
		return []string{string(s)}
	}
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
