package tiktokaudiences

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SyncAudience adds and removes users of Engage audiences in one action:
// the batch is split into adds and removes (destkit.SplitMembership, event
// order kept within each), sent as two mapping requests, adds first.
//
// Segment decides membership from the raw event's audience key, which this
// action's fields do not map; Actuate reads it from the event name, as the
// audience events carry it (Audience Entered adds, Audience Exited
// removes), and fails an event with any other name. Each event must carry
// its external audience id and at least one identifier its send flags
// allow. The advertiser is the instance's (see the package doc).
var SyncAudience = &destkit.Action{
	Key:                 "syncAudience",
	Title:               "Sync Audience [Beta]",
	Description:         "Sync an Engage audience to a TikTok audience: users entering are added, users leaving are removed.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		eventNameField,
		sendEmailField,
		sendPhoneField,
		sendAdvertisingIDField,
		emailField,
		phoneField,
		advertisingIDField,
		enableBatchingField,
		externalAudienceIDField,
		batchKeysField,
	},
	Batch:    &destkit.Batch{MaxSize: 10000, Keys: []string{"send_email", "send_phone", "send_advertising_id"}},
	Run:      runOne(syncAudience),
	RunBatch: syncAudience,
}

// membership reads the event name of an audience event.
func membership(p *fastjson.Value) (destkit.Membership, error) {
	switch string(p.GetStringBytes("event_name")) {
	case "Audience Entered":
		return destkit.AudienceAdd, nil
	case "Audience Exited":
		return destkit.AudienceRemove, nil
	}
	return destkit.AudienceRemove, destkit.ValidationErrorf("event_name", "Membership is read from the event name, which must be Audience Entered or Audience Exited.")
}

// checkSync is Segment's per-event validation of Sync Audience.
func checkSync(p *fastjson.Value) error {
	if len(p.GetStringBytes("external_audience_id")) == 0 {
		return destkit.ValidationErrorf("external_audience_id", "Missing required field: external_audience_id.")
	}
	any := false
	for _, c := range idColumns {
		if p.GetBool(c.flag) {
			if any = true; len(p.GetStringBytes(c.field)) > 0 {
				return nil
			}
		}
	}
	if !any {
		return destkit.ValidationErrorf("send_email", "At least one of `Send Email`, `Send Phone` or `Send Advertising ID` must be set to `true`.")
	}
	return destkit.ValidationErrorf("email", "At least one enabled identifier (Email, Phone, or Advertising ID) must have a value.")
}

func syncAudience(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	adv, err := settingsAdvertiser(in.Settings)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	for i, p := range in.Payloads {
		if err := checkSync(p); err != nil {
			in.Reject(i, err)
		}
	}
	adds, removes := destkit.SplitMembership(in, membership)
	for i := range errs {
		errs[i] = in.Rejected(i)
	}
	for _, group := range []struct {
		action string
		idx    []int
	}{{"add", adds}, {"delete", removes}} {
		if len(group.idx) == 0 {
			continue
		}
		m := &mapping{advertisers: []string{adv}, action: group.action, schema: idSchema(in.Payloads[group.idx[0]]), users: destkit.NewJSONWriter(nil)}
		for _, i := range group.idx {
			writeUser(m.users, in.Payloads[i], in.Payloads[group.idx[0]], string(in.Payloads[i].GetStringBytes("external_audience_id")))
		}
		if err := m.send(ctx, d); err != nil {
			for _, i := range group.idx {
				errs[i] = err
			}
		}
	}
	return errs
}
