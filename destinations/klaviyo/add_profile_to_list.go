package klaviyo

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// AddProfileToList creates (or finds) a profile and adds it to a list;
// batches go through a profile bulk import job bound to the list.
var AddProfileToList = &destkit.Action{
	Key:                 "addProfileToList",
	Title:               "Add Profile to List",
	Description:         "Add a profile to a Klaviyo list, creating the profile if needed.",
	DefaultSubscription: `event = "Audience Entered"`,
	Fields: append(append([]destkit.Field{
		emailField(`{"@path":"$.context.traits.email"}`),
		phoneField(`{"@path":"$.context.traits.phone"}`),
		listIDField("List Id", true, audienceList),
		externalIDField(maxExternalID),
		enableBatchingField(`true`),
		batchSizeField(100, 10000, `10000`),
	}, pick(profileAttributeFields("properties"), "first_name", "last_name", "image", "title", "organization", "location")...),
		propertiesField(`{"@path":"$.properties.properties"}`, false),
		countryCodeField,
		batchKeysField(`["list_id"]`),
	),
	Batch:        &destkit.Batch{MaxSize: 10000, Keys: []string{"list_id"}},
	Run:          addProfileToList,
	PerformBatch: addProfileToListBatch,
}

var addSkip = append([]string{"email", "external_id", "phone_number", "list_id"}, batchOnly...)

func checkListProfile(p *fastjson.Value) (string, error) {
	phone, err := checkProfile(p)
	if err != nil {
		return "", err
	}
	if e := p.GetStringBytes("email"); len(e) > 0 && !klaviyoEmail(e) {
		return "", errBadEmail
	}
	return phone, nil
}

func addProfileToList(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	phone, err := checkListProfile(p)
	if err != nil {
		return err
	}
	id, _, err := createProfile(ctx, d, profileDoc(p, phone, "", addSkip))
	if err != nil {
		return err
	}
	return addToList(ctx, d, string(p.GetStringBytes("list_id")), id)
}

func addProfileToListBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	phones := make([]string, len(in.Payloads))
	valid := false
	for i, p := range in.Payloads {
		phone, err := checkListProfile(p)
		if err != nil {
			in.Reject(i, err)
			continue
		}
		phones[i], valid = phone, true
	}
	if !valid {
		return nil, nil
	}
	// Events share a batch only when their lists are equal (batch keys).
	return importJob(in, phones, string(in.Payloads[0].GetStringBytes("list_id")), []string{"list_id"}), nil
}
