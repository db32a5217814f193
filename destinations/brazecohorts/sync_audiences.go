package brazecohorts

import (
	"context"
	"net/http"
	"sort"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
)

// SyncAudiences adds users to a cohort or removes them, by external id,
// device id or alias.
var SyncAudiences = &destkit.Action{
	Key:                 "syncAudiences",
	Title:               "Sync Audience",
	Description:         "Add users to a Braze cohort when they enter an Engage audience and remove them when they leave it.",
	DefaultSubscription: `event = "Audience Entered" or event = "Audience Exited"`,
	Fields: []destkit.Field{
		{Key: "external_id", Label: "External User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
			Description: "The user's external id, as set by the Braze SDKs; it identifies the user first."},
		{Key: "user_alias", Label: "User Alias Object", Type: destkit.Object,
			Description: "An alias identifying the user when there is neither an external id nor a device id.",
			Properties: []destkit.Field{
				{Key: "alias_name", Label: "Alias Name", Type: destkit.String, Required: true, Description: "Name of the alias."},
				{Key: "alias_label", Label: "Alias Label", Type: destkit.String, Required: true, Description: "Label of the alias."},
			}},
		{Key: "device_id", Label: "Device ID", Type: destkit.String,
			Description: "Device id of an anonymous user; users with an external id cannot be synced by device."},
		{Key: "cohort_id", Label: "Cohort ID", Type: destkit.String, Required: true, Default: `{"@path":"$.context.personas.computation_id"}`,
			Description: "Id of the cohort: the audience's computation id."},
		{Key: "cohort_name", Label: "Cohort Name", Type: destkit.String, Required: true, Default: `{"@path":"$.context.personas.computation_key"}`,
			Description: "Name of the cohort: the audience key."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send membership changes in batches."},
		{Key: "personas_audience_key", Label: "Segment Engage Audience Key", Type: destkit.String, Required: true,
			Description: "The audience key of the audience to sync, written as a literal; it must equal the cohort name."},
		{Key: "event_properties", Label: "Event Properties", Type: destkit.Object, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.properties"},"then":{"@path":"$.properties"},"else":{"@path":"$.traits"}}}`,
			Description: "The event's properties (track) or traits (identify), which hold the membership flag under the audience key."},
		{Key: "time", Label: "Time", Type: destkit.String, Required: true, Default: `{"@path":"$.timestamp"}`,
			Description: "When the user entered or left the audience; the latest change of a user in a batch wins."},
		{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true, Default: `["cohort_name","cohort_id"]`,
			Description: "Fields whose values events must share to be batched together."},
	},
	// Segment's default batch size; one cohort per batch, as the cohort users
	// endpoint takes one cohort id.
	Batch:    &destkit.Batch{MaxSize: 1000, Keys: []string{"cohort_name", "cohort_id"}},
	Run:      syncAudience,
	RunBatch: syncAudiences,
}

// membership reads the flag at event_properties[personas_audience_key].
var membership = destkit.MembershipFields{Key: "personas_audience_key", Props: "event_properties"}

func syncAudience(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	errs := syncAudiences(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences})
	return errs[0]
}

// syncAudiences creates the cohort on the instance's first event for it,
// then sends one request with the adds and the removes of the batch.
func syncAudiences(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	var valid []int
	for i, p := range in.Payloads {
		if string(p.GetStringBytes("cohort_name")) != string(p.GetStringBytes("personas_audience_key")) {
			errs[i] = destkit.ValidationErrorf("personas_audience_key", "The audience key (personas_audience_key) must equal the cohort name (the audience's computation key).")
			continue
		}
		valid = append(valid, i)
	}
	if len(valid) == 0 {
		return errs
	}
	first := in.Payloads[valid[0]]
	cohortID := string(first.GetStringBytes("cohort_id"))
	err := createCohortOnce(ctx, d, in, first)
	if err == nil {
		err = updateCohort(ctx, d, in.Settings, cohortID, in.Payloads, valid)
	}
	for _, i := range valid {
		errs[i] = err
	}
	return errs
}

// createCohortOnce creates the cohort the first time the instance meets
// its name; Braze answers a repeated creation without error, so a retry
// after a lost answer is harmless.
func createCohortOnce(ctx context.Context, d destkit.Doer, in *destkit.BatchInput, p *fastjson.Value) error {
	name, cohortID := string(p.GetStringBytes("cohort_name")), string(p.GetStringBytes("cohort_id"))
	_, err := in.Audiences.Once(ctx, name, func(ctx context.Context) (string, error) {
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		writeCredentials(w, in.Settings)
		w.StringField("name", name)
		w.StringField("cohort_id", cohortID)
		w.Field("created_at", p.Get("time"))
		w.ObjectEnd()
		r := destkit.NewJSONRequest(http.MethodPost, endpoint(in.Settings, "/partners/segment/cohorts"), w.Bytes())
		if _, err := d.Do(ctx, &r); err != nil {
			return "", err
		}
		return cohortID, nil
	})
	return err
}

// cohortChange collects the users of one direction, each identifier once.
type cohortChange struct {
	userIDs, deviceIDs []string
	aliases            []*fastjson.Value
}

func (c *cohortChange) empty() bool {
	return len(c.userIDs) == 0 && len(c.deviceIDs) == 0 && len(c.aliases) == 0
}

// updateCohort sends the batch's changes: the payloads are taken latest
// first, and each user counts once, by its first identifier not already
// taken (external id, then device id, then alias), so a user who entered
// and left within the batch ends where their latest event put them.
func updateCohort(ctx context.Context, d destkit.Doer, s *destkit.Settings, cohortID string, payloads []*fastjson.Value, valid []int) error {
	order := append([]int(nil), valid...)
	sort.SliceStable(order, func(a, b int) bool {
		ta, okA := destkit.ParseJSDate(payloads[order[a]].Get("time"))
		tb, okB := destkit.ParseJSDate(payloads[order[b]].Get("time"))
		return okA && okB && ta.After(tb)
	})
	var add, remove cohortChange
	seenUser, seenDevice, seenAlias := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, i := range order {
		p := payloads[i]
		in, err := membership.Of(p)
		if err != nil {
			return err
		}
		c := &remove
		if in == destkit.AudienceAdd {
			c = &add
		}
		userID, deviceID, alias := string(p.GetStringBytes("external_id")), string(p.GetStringBytes("device_id")), p.Get("user_alias")
		switch {
		case userID != "" && !seenUser[userID]:
			seenUser[userID] = true
			c.userIDs = append(c.userIDs, userID)
		case deviceID != "" && !seenDevice[deviceID]:
			seenDevice[deviceID] = true
			c.deviceIDs = append(c.deviceIDs, deviceID)
		case alias != nil:
			k := string(alias.GetStringBytes("alias_name")) + ":" + string(alias.GetStringBytes("alias_label"))
			if !seenAlias[k] {
				seenAlias[k] = true
				c.aliases = append(c.aliases, alias)
			}
		}
	}
	if add.empty() && remove.empty() {
		return nil
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	writeCredentials(w, s)
	w.StringField("cohort_id", cohortID)
	w.Key("cohort_changes")
	w.ArrayStart()
	if !add.empty() {
		writeChange(w, &add, false)
	}
	if !remove.empty() {
		writeChange(w, &remove, true)
	}
	w.ArrayEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest(http.MethodPost, endpoint(s, "/partners/segment/cohorts/users"), w.Bytes())
	_, err := d.Do(ctx, &r)
	return err
}

func writeChange(w *destkit.JSONWriter, c *cohortChange, remove bool) {
	w.ObjectStart()
	writeStrings(w, "user_ids", c.userIDs)
	writeStrings(w, "device_ids", c.deviceIDs)
	w.Key("aliases")
	w.ArrayStart()
	for _, a := range c.aliases {
		w.ObjectStart()
		w.Field("alias_name", a.Get("alias_name"))
		w.Field("alias_label", a.Get("alias_label"))
		w.ObjectEnd()
	}
	w.ArrayEnd()
	if remove {
		w.Key("should_remove")
		w.Bool(true)
	}
	w.ObjectEnd()
}

func writeStrings(w *destkit.JSONWriter, key string, values []string) {
	w.Key(key)
	w.ArrayStart()
	for _, v := range values {
		w.String(v)
	}
	w.ArrayEnd()
}
