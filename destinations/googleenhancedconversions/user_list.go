package googleenhancedconversions

import (
	"context"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UserList adds users to and removes them from a Customer Match user list,
// through an offline user data job: the job is created for the list (with
// the consent of the batch), the adds and then the removes are attached as
// operations, and the job is run.
//
// The list is, first found: the id the mapping's retlOnMappingSave hook
// saved (it creates or connects a list), or the event's external audience
// id. What each payload does is decided, as in Segment, by its event name
// and the subscription's sync mode: Audience Entered, sync mode add, or
// mirror with a new or updated record adds; Audience Exited, delete, or
// mirror with a deleted record removes; anything else fails the event. The
// kit's SplitMembership splits a batch that way, keeping event order.
//
// The identifiers depend on the list's upload key type (the hook's
// external_id_type): contact info (hashed email and phone, hashed names
// with country and postal code), CRM ID or mobile advertising ID. A payload
// without the identifiers of its list's type fails on its own. When the
// hook saved no type, contact info is assumed (the hook's own default);
// Segment would read the audience's settings from Engage, which Actuate
// has not.
//
// Differences from Segment, each deliberate: CRM and mobile identifiers
// are sent as a one-element list, as the API defines userIdentifiers (Segment
// sends a bare object); a partial failure fails the add or remove it names
// (Segment maps a remove's index onto the batch's adds); a single event
// whose identifiers are missing or whose operation is unknown fails before
// any request (Segment creates and runs an empty job). Batches are keyed by
// list and consent, so one job's consent holds for every user in it.
var UserList = &destkit.Action{
	Key:                 "userList",
	Title:               "Customer Match User List",
	Description:         "Sync users into a Google Customer Match User List.",
	DefaultSubscription: `event = "Audience Entered" or event = "Audience Exited"`,
	Fields: []destkit.Field{
		{Key: "first_name", Label: "First Name", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.firstName"},"then":{"@path":"$.context.traits.firstName"},"else":{"@path":"$.properties.firstName"}}}`,
			Description: "First name of the user; hashed with SHA-256."},
		{Key: "last_name", Label: "Last Name", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.lastName"},"then":{"@path":"$.context.traits.lastName"},"else":{"@path":"$.properties.lastName"}}}`,
			Description: "Last name of the user; hashed with SHA-256."},
		{Key: "email", Label: "Email", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "Email of the user; normalised and hashed with SHA-256 before sending."},
		{Key: "phone", Label: "Phone", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.context.traits.phone"},"then":{"@path":"$.context.traits.phone"},"else":{"@path":"$.properties.phone"}}}`,
			Description: "Phone number of the user; sent in E.164 form, hashed with SHA-256."},
		{Key: "phone_country_code", Label: "Phone Number Country Code", Type: destkit.String,
			Description: "Country calling code for the phone number; +1 when unset."},
		{Key: "country_code", Label: "Address Country Code", Type: destkit.String,
			Description: "Two-letter country code of the user's address."},
		{Key: "postal_code", Label: "Postal Code", Type: destkit.String,
			Description: "Postal code of the user."},
		{Key: "crm_id", Label: "CRM ID", Type: destkit.String,
			Description: "Your own ID of the user, for lists keyed by CRM ID."},
		{Key: "mobile_advertising_id", Label: "Mobile Advertising ID", Type: destkit.String, Default: `{"@path":"$.context.device.advertisingId"}`,
			Description: "Advertising ID of the user's device, for lists keyed by mobile advertising ID."},
		{Key: "ad_user_data_consent_state", Label: "Ad User Data Consent State", Type: destkit.String, Required: true, Choices: destkit.ChoiceValues("GRANTED", "DENIED", "UNSPECIFIED"),
			Description: "Consent to sending the user's data to Google for advertising."},
		{Key: "ad_personalization_consent_state", Label: "Ad Personalization Consent State", Type: destkit.String, Required: true, Choices: destkit.ChoiceValues("GRANTED", "DENIED", "UNSPECIFIED"),
			Description: "Consent to ad personalisation for the user."},
		{Key: "external_audience_id", Label: "External Audience ID", Type: destkit.String, Default: `{"@path":"$.context.personas.external_audience_id"}`,
			Description: "ID of the Customer Match user list, as kept for the audience."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send events in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Integer, Default: `10000`,
			Description: "Largest number of events per batch."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Default: `{"@path":"$.event"}`,
			Description: "Name of the event; Audience Entered adds the user, Audience Exited removes them."},
	},
	Hooks: []destkit.Hook{listHook},
	Batch: &destkit.Batch{MaxSize: listBatchSize,
		Keys: []string{"external_audience_id", "ad_user_data_consent_state", "ad_personalization_consent_state"}},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return syncUserList(ctx, d, toBatch(in), false)[0]
	},
	RunBatch: func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		return syncUserList(ctx, d, in, true)
	},
}

func toBatch(in *destkit.Input) *destkit.BatchInput {
	return &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences}
}

// Upload key types of Customer Match lists.
const (
	contactInfo = "CONTACT_INFO"
	crmID       = "CRM_ID"
	mobileID    = "MOBILE_ADVERTISING_ID"
)

var idTypeChoices = []destkit.Choice{{Value: contactInfo, Label: "CONTACT INFO"}, {Value: crmID, Label: "CRM ID"}, {Value: mobileID, Label: "MOBILE ADVERTISING ID"}}

// listHook is Segment's retlOnMappingSave: it connects an existing list
// (checked with the Google Ads API) or creates one, and saves its id.
var listHook = destkit.Hook{
	Key:         "retlOnMappingSave",
	Label:       "Connect to a Google Customer Match User List",
	Description: "Creates a Customer Match user list from the inputs when the mapping is saved, or connects an existing one.",
	Inputs: []destkit.Field{
		{Key: "list_id", Label: "Existing List ID", Type: destkit.String, Dynamic: userListChoices,
			Description: "ID of an existing user list to sync to; when set, no list is created."},
		{Key: "list_name", Label: "List Name", Type: destkit.String,
			Description: "Name of the user list to create."},
		{Key: "external_id_type", Label: "External ID Type", Type: destkit.String, Default: `"CONTACT_INFO"`, Choices: idTypeChoices,
			Description: "Upload key type of the list."},
		{Key: "app_id", Label: "App ID", Type: destkit.String,
			Description: "Mobile application the advertising IDs come from; required for mobile advertising ID lists."},
	},
	Outputs: []destkit.Field{
		{Key: "id", Label: "ID", Type: destkit.String, Description: "ID of the user list users are synced to."},
		{Key: "name", Label: "List Name", Type: destkit.String, Description: "Name of the user list."},
		{Key: "external_id_type", Label: "External ID Type", Type: destkit.String, Description: "Upload key type of the list."},
	},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
		idType := string(in.Inputs.GetStringBytes("external_id_type"))
		if idType == "" {
			idType = contactInfo
		}
		req := &destkit.AudienceRequest{
			Settings:   in.Settings,
			Name:       string(in.Inputs.GetStringBytes("list_name")),
			ExternalID: string(in.Inputs.GetStringBytes("list_id")),
		}
		var id, name string
		var err error
		if req.ExternalID != "" {
			id, name, err = getUserList(ctx, d, in.Settings, req.ExternalID)
		} else {
			name = req.Name
			id, err = createUserList(ctx, d, in.Settings, name, idType, string(in.Inputs.GetStringBytes("app_id")))
		}
		if err != nil {
			return nil, err
		}
		return map[string]any{"id": id, "name": name, "external_id_type": idType}, nil
	},
}

// audienceConfig is Segment's audienceConfig: an audience connected to
// conversions only gets the placeholder id "segment"; any other creates a
// user list of the audience's key type.
var audienceConfig = &destkit.AudienceConfig{
	Fields: []destkit.Field{
		{Key: "supports_conversions", Label: "Supports Conversions", Type: destkit.Boolean, Default: `false`,
			Description: "Set when the audience feeds the conversion actions only; no user list is created."},
		{Key: "external_id_type", Label: "External ID Type", Type: destkit.String, Choices: idTypeChoices,
			Description: "Upload key type of the user list; needed by the Customer Match User List action."},
		{Key: "app_id", Label: "App ID", Type: destkit.String,
			Description: "Mobile application the advertising IDs come from; required for mobile advertising ID lists."},
	},
	Create: func(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
		as := in.AudienceSettings
		if as != nil && destkit.Truthy(as.Get("supports_conversions")) {
			return "segment", nil
		}
		var idType, appID string
		if as != nil {
			idType, appID = string(as.GetStringBytes("external_id_type")), string(as.GetStringBytes("app_id"))
		}
		return createUserList(ctx, d, in.Settings, in.Name, idType, appID)
	},
	Get: func(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
		if in.ExternalID == "segment" {
			return in.ExternalID, nil
		}
		id, _, err := getUserList(ctx, d, in.Settings, in.ExternalID)
		return id, err
	},
}

// createUserList creates a CRM-based user list and returns its id.
func createUserList(ctx context.Context, d destkit.Doer, s *destkit.Settings, name, idType, appID string) (string, error) {
	if idType == mobileID && appID == "" {
		return "", destkit.ValidationErrorf("app_id", "App ID is required when external ID type is mobile advertising ID.")
	}
	cid, err := customerID(s)
	if err != nil {
		return "", err
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("operations")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("create")
	w.ObjectStart()
	w.Key("crmBasedUserList")
	w.ObjectStart()
	w.StringField("uploadKeyType", idType)
	w.StringField("appId", appID)
	w.ObjectEnd()
	w.Key("membershipLifeSpan")
	w.String("540")
	w.Key("name")
	w.String(name)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	v, err := adsCall(ctx, d, s, adsAPI+"/customers/"+cid+"/userLists:mutate", w.Bytes())
	if err != nil {
		return "", err
	}
	// resourceName is customers/{cid}/userLists/{id}.
	parts := strings.Split(string(v.GetStringBytes("results", "0", "resourceName")), "/")
	if len(parts) < 4 || parts[3] == "" {
		return "", &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Failed to receive a created customer list id."}
	}
	return parts[3], nil
}

// getUserList checks that list id exists in the account and returns its id
// and name.
func getUserList(ctx context.Context, d destkit.Doer, s *destkit.Settings, id string) (string, string, error) {
	if onlyDigits(id) != id {
		return "", "", destkit.ValidationErrorf("list_id", "A user list ID is a number; got %q.", id)
	}
	cid, err := customerID(s)
	if err != nil {
		return "", "", err
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("query")
	w.String("SELECT user_list.id, user_list.name FROM user_list where user_list.id = '" + id + "'")
	w.ObjectEnd()
	v, err := adsCall(ctx, d, s, adsAPI+"/customers/"+cid+"/googleAds:search", w.Bytes())
	if err != nil {
		return "", "", err
	}
	list := v.Get("results", "0", "userList")
	got := jsString(list.Get("id"))
	if list == nil || got == "" {
		return "", "", &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Failed to receive a customer list."}
	}
	return got, string(list.GetStringBytes("name")), nil
}

// adsCall posts body to url and parses the answer.
func adsCall(ctx context.Context, d destkit.Doer, s *destkit.Settings, url string, body []byte) (*fastjson.Value, error) {
	r, err := adsRequest(s, url, body)
	if err != nil {
		return nil, err
	}
	if body == nil {
		r.Header.Del("Content-Type")
	}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, googleAdsError(resp, err)
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil {
		v = fastjson.MustParse(`{}`)
	}
	return v, nil
}

// googleAdsError makes a CONCURRENT_MODIFICATION answer (another job
// changes the list) retryable whatever its status.
func googleAdsError(resp *destkit.Response, err error) error {
	if resp == nil {
		return err
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil {
		return err
	}
	for _, detail := range v.GetArray("error", "details") {
		for _, e := range detail.GetArray("errors") {
			if string(e.GetStringBytes("errorCode", "databaseError")) == "CONCURRENT_MODIFICATION" {
				return &destkit.RetryableError{Err: err}
			}
		}
	}
	return err
}

// operation reads what a payload does to its user.
func operation(p *fastjson.Value) (destkit.Membership, error) {
	event := string(p.GetStringBytes("event_name"))
	mode := string(p.GetStringBytes(destkit.SyncModeKey))
	switch {
	case event == "Audience Entered" || mode == "add" || (mode == "mirror" && (event == "new" || event == "updated")):
		return destkit.AudienceAdd, nil
	case event == "Audience Exited" || mode == "delete" || (mode == "mirror" && event == "deleted"):
		return destkit.AudienceRemove, nil
	}
	return destkit.AudienceRemove, destkit.ValidationErrorf("event_name", "Could not determine Operation Type: the event is neither Audience Entered nor Audience Exited, and the sync mode does not decide.")
}

// writeIdentifiers writes the userIdentifiers array of one payload for the
// list's upload key type.
func writeIdentifiers(w *destkit.JSONWriter, p *fastjson.Value, idType string) error {
	str := func(k string) string { return string(p.GetStringBytes(k)) }
	w.ArrayStart()
	switch idType {
	case mobileID, crmID:
		field, key := "mobile_advertising_id", "mobileId"
		if idType == crmID {
			field, key = "crm_id", "thirdPartyUserId"
		}
		v := strings.TrimSpace(str(field))
		if v == "" {
			return destkit.ValidationErrorf(field, "Missing or Invalid data for %s.", idType)
		}
		w.ObjectStart()
		w.Key(key)
		w.String(v)
		w.ObjectEnd()
	default:
		n, err := writeEmailPhone(w, p, "email", "phone")
		if err != nil {
			return err
		}
		first, last, country, postal := str("first_name"), str("last_name"), str("country_code"), str("postal_code")
		if first != "" || last != "" || country != "" || postal != "" {
			w.ObjectStart()
			w.Key("addressInfo")
			w.ObjectStart()
			if first != "" {
				h, _ := destkit.HashSHA256(first, nil)
				w.Key("hashedFirstName")
				w.String(h)
			}
			if last != "" {
				h, _ := destkit.HashSHA256(last, nil)
				w.Key("hashedLastName")
				w.String(h)
			}
			w.Key("countryCode")
			w.String(country)
			w.Key("postalCode")
			w.String(postal)
			w.ObjectEnd()
			w.ObjectEnd()
			n++
		}
		if n == 0 {
			return destkit.ValidationErrorf("email", "Missing or Invalid data for %s: give an email, a phone number or an address.", contactInfo)
		}
	}
	w.ArrayEnd()
	return nil
}

// syncUserList runs one offline user data job for the batch. batched says
// whether Segment would have run its batch form, whose operation requests
// ask for partial failures (the single form asks for warnings).
func syncUserList(ctx context.Context, d destkit.Doer, in *destkit.BatchInput, batched bool) []error {
	errs := make([]error, len(in.Payloads))
	all := func(err error, idx []int) {
		for _, i := range idx {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	every := make([]int, len(in.Payloads))
	for i := range every {
		every[i] = i
	}
	cid, err := customerID(in.Settings)
	if err != nil {
		all(err, every)
		return errs
	}
	first := in.Payloads[0]
	listID := string(destkit.HookOutput(first, listHook.Key, "id").GetStringBytes())
	if listID == "" {
		listID = string(first.GetStringBytes("external_audience_id"))
	}
	if listID == "" {
		all(destkit.ValidationErrorf("external_audience_id", "External Audience ID is required."), every)
		return errs
	}
	idType := string(destkit.HookOutput(first, listHook.Key, "external_id_type").GetStringBytes())

	// Each payload's operation and identifiers; the failures stay behind.
	adds, removes := destkit.SplitMembership(in, operation)
	ops := map[int][]byte{}
	for _, i := range append(append([]int(nil), adds...), removes...) {
		w := destkit.NewJSONWriter(nil)
		if err := writeIdentifiers(w, in.Payloads[i], idType); err != nil {
			in.Reject(i, err)
			continue
		}
		ops[i] = w.Bytes()
	}
	for i := range in.Payloads {
		errs[i] = in.Rejected(i)
	}
	adds, removes = keep(adds, ops), keep(removes, ops)
	valid := append(append([]int(nil), adds...), removes...)
	if len(valid) == 0 {
		return errs
	}

	job := destkit.NewJSONWriter(nil)
	job.ObjectStart()
	job.Key("job")
	job.ObjectStart()
	job.Key("type")
	job.String("CUSTOMER_MATCH_USER_LIST")
	job.Key("customerMatchUserListMetadata")
	job.ObjectStart()
	job.Key("userList")
	job.String("customers/" + cid + "/userLists/" + listID)
	job.Key("consent")
	job.ObjectStart()
	job.Field("adUserData", first.Get("ad_user_data_consent_state"))
	job.Field("adPersonalization", first.Get("ad_personalization_consent_state"))
	job.ObjectEnd()
	job.ObjectEnd()
	job.ObjectEnd()
	job.ObjectEnd()
	created, err := adsCall(ctx, d, in.Settings, adsAPI+"/customers/"+cid+"/offlineUserDataJobs:create", job.Bytes())
	if err != nil {
		all(err, valid)
		return errs
	}
	resource := string(created.GetStringBytes("resourceName"))
	if resource == "" {
		all(&destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "creating the offline user data job returned no resourceName", Retryable: true}, valid)
		return errs
	}
	for _, group := range []struct {
		verb string
		idx  []int
	}{{"create", adds}, {"remove", removes}} {
		if len(group.idx) == 0 {
			continue
		}
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		w.Key("operations")
		w.ArrayStart()
		for _, i := range group.idx {
			w.ObjectStart()
			w.Key(group.verb)
			w.ObjectStart()
			w.Key("userIdentifiers")
			w.Raw(ops[i])
			w.ObjectEnd()
			w.ObjectEnd()
		}
		w.ArrayEnd()
		if batched {
			w.Key("enablePartialFailure")
		} else {
			w.Key("enable_warnings")
		}
		w.Bool(true)
		w.ObjectEnd()
		v, err := adsCall(ctx, d, in.Settings, adsAPI+"/"+resource+":addOperations", w.Bytes())
		if err != nil {
			if !batched {
				all(err, valid)
				return errs
			}
			all(err, group.idx)
			continue
		}
		for k, e := range partialFailures([]byte(v.String()), "operations", len(group.idx)) {
			if e != nil && errs[group.idx[k]] == nil {
				errs[group.idx[k]] = e
			}
		}
	}
	var pending []int
	for _, i := range valid {
		if errs[i] == nil {
			pending = append(pending, i)
		}
	}
	if len(pending) == 0 {
		return errs
	}
	if _, err := adsCall(ctx, d, in.Settings, adsAPI+"/"+resource+":run", nil); err != nil {
		all(err, pending)
	}
	return errs
}

// keep returns the indices of idx that have operations.
func keep(idx []int, ops map[int][]byte) []int {
	out := idx[:0:0]
	for _, i := range idx {
		if _, ok := ops[i]; ok {
			out = append(out, i)
		}
	}
	return out
}
