package route

import (
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

func TestPerEventControls(t *testing.T) {
	mixpanel := &workspace.Instance{ID: "mp-eu", IntegrationNames: []string{"Mixpanel (Actions)", "Mixpanel", "mp-eu"}}
	consenting := &workspace.Instance{ID: "ads", IntegrationNames: []string{"Facebook Conversions API (Actions)", "ads"}, ConsentCategories: []string{"Advertising", "Analytics"}}
	for _, tc := range []struct {
		name, event string
		inst        *workspace.Instance
		want        schemas.Stage // "": allowed
	}{
		{"no controls", `{"type":"track"}`, mixpanel, ""},
		{"excluded by classic name", `{"integrations":{"Mixpanel":false}}`, mixpanel, schemas.StageIntegrations},
		{"excluded by Actions name", `{"integrations":{"Mixpanel (Actions)":false}}`, mixpanel, schemas.StageIntegrations},
		{"excluded by instance id", `{"integrations":{"mp-eu":false}}`, mixpanel, schemas.StageIntegrations},
		{"All false", `{"integrations":{"All":false,"Amplitude (Actions)":true}}`, mixpanel, schemas.StageIntegrations},
		{"All false, named true", `{"integrations":{"All":false,"Mixpanel (Actions)":true}}`, mixpanel, ""},
		{"options object counts as true", `{"integrations":{"All":false,"Mixpanel":{"apiKey":"x"}}}`, mixpanel, ""},
		{"first name wins", `{"integrations":{"Mixpanel (Actions)":true,"Mixpanel":false}}`, mixpanel, ""},
		{"null is not a choice", `{"integrations":{"All":false,"Mixpanel":null}}`, mixpanel, schemas.StageIntegrations},
		{"other destinations only", `{"integrations":{"Amplitude":false}}`, mixpanel, ""},
		{"not an object", `{"integrations":"none"}`, mixpanel, ""},
		{"no consent: not enforced", `{"type":"track"}`, consenting, ""},
		{"every category granted", `{"context":{"consent":{"categoryPreferences":{"Advertising":true,"Analytics":true,"Other":false}}}}`, consenting, ""},
		{"one category refused", `{"context":{"consent":{"categoryPreferences":{"Advertising":true,"Analytics":false}}}}`, consenting, schemas.StageConsent},
		{"a category missing", `{"context":{"consent":{"categoryPreferences":{"Advertising":true}}}}`, consenting, schemas.StageConsent},
		{"empty consent grants nothing", `{"context":{"consent":{}}}`, consenting, schemas.StageConsent},
		{"a truthy string is not a grant", `{"context":{"consent":{"categoryPreferences":{"Advertising":"yes","Analytics":true}}}}`, consenting, schemas.StageConsent},
		{"consent before integrations", `{"integrations":{"ads":true},"context":{"consent":{"categoryPreferences":{}}}}`, consenting, schemas.StageConsent},
		{"consent granted, integrations excluded", `{"integrations":{"All":false},"context":{"consent":{"categoryPreferences":{"Advertising":true,"Analytics":true}}}}`, consenting, schemas.StageIntegrations},
		{"instance without categories ignores consent", `{"context":{"consent":{"categoryPreferences":{}}}}`, mixpanel, ""},
	} {
		var c controls
		c.load(fastjson.MustParse(tc.event))
		out, ok := c.allows(tc.inst)
		if ok != (tc.want == "") || out.Stage != tc.want {
			t.Errorf("%s: allowed %v, outcome %+v; want stage %q", tc.name, ok, out, tc.want)
		}
	}
}
