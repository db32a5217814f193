package optimizelyadvancedaudiencetargeting

import (
	"net/http"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/destinations/destkit"
)

// SyncAudience sends users entering and leaving audiences.
var SyncAudience = &destkit.Action{
	Key:                 "syncAudience",
	Title:               "Sync Audience",
	Description:         "Sync users entering and leaving Engage audiences to Optimizely.",
	DefaultSubscription: `type = "track" or type = "identify"`,
	Fields: []destkit.Field{
		{Key: "custom_audience_name", Label: "Custom Audience Name", Type: destkit.String, Required: true,
			Default: `{"@path":"$.context.personas.computation_key"}`, Description: "The audience key."},
		{Key: "segment_computation_action", Label: "Segment Computation Action", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.personas.computation_class"}`,
			Choices:     []destkit.Choice{{Value: "audience", Label: "Audience"}, {Value: "journey_step", Label: "journey_step"}},
			Description: "Only audience and journey step events are synced."},
		{Key: "segment_computation_id", Label: "Segment Computation ID", Type: destkit.String, Required: true,
			Default: `{"@path":"$.context.personas.computation_id"}`, Description: "The audience's computation id."},
		{Key: "optimizelyUserId", Label: "Optimizely User ID", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "The user id synced to the Optimizely audience."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Default: `{"@path":"$.timestamp"}`,
			Description: "When the user entered or left the audience."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send changes in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Integer, Default: `100`,
			Description: "Changes per batch."},
		{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true, Default: `["custom_audience_name"]`,
			Description: "Fields whose values events must share to be batched together."},
		{Key: "traitsOrProperties", Label: "Traits or Properties", Type: destkit.Object,
			Default:     `{"@if":{"exists":{"@path":"$.traits"},"then":{"@path":"$.traits"},"else":{"@path":"$.properties"}}}`,
			Description: "The event's traits (identify) or properties (track), holding the membership flag under the audience key."},
	},
	// batch_size's default; batches are per audience.
	Batch:        &destkit.Batch{MaxSize: 100, Keys: []string{"custom_audience_name"}},
	Perform:      perform,
	PerformBatch: performBatch,
}

var membership = destkit.MembershipFields{Key: "custom_audience_name", Props: "traitsOrProperties"}

func perform(in *destkit.Input) ([]destkit.Request, error) {
	b := &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings}
	reqs, err := performBatch(b)
	if err == nil {
		err = b.Rejected(0)
	}
	return reqs, err
}

// performBatch sends every change of the batch, in order, in one array.
// The flag is forwarded as the event has it (true, false, or left out
// when absent), which is what Optimizely reads.
func performBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	var events []int
	for i, p := range in.Payloads {
		if _, err := membership.AudienceKey(p); err != nil {
			in.Reject(i, err)
			continue
		}
		var flag *fastjson.Value
		if p.Get(membership.Props) != nil {
			flag, _ = membership.Flag(p)
		}
		events = append(events, i)
		w.ObjectStart()
		w.Field("audienceId", p.Get("segment_computation_id"))
		w.Field("audienceName", p.Get("custom_audience_name"))
		w.Field("timestamp", p.Get("timestamp"))
		w.Field("subscription", flag)
		w.Field("userId", p.Get("optimizelyUserId"))
		w.ObjectEnd()
	}
	w.ArrayEnd()
	if len(events) == 0 {
		return nil, nil
	}
	r := destkit.NewJSONRequest(http.MethodPost, host(in.Settings)+"/batch_sync_audience", w.Bytes())
	r.Events = events
	return []destkit.Request{r}, nil
}
