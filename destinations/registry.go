package destinations

import (
	"fmt"
	"slices"

	"github.com/actuate/actuate/destinations/absmartly"
	"github.com/actuate/actuate/destinations/acoustics3tc"
	"github.com/actuate/actuate/destinations/actablepredictive"
	"github.com/actuate/actuate/destinations/actionspardot"
	"github.com/actuate/actuate/destinations/adobetarget"
	"github.com/actuate/actuate/destinations/airship"
	"github.com/actuate/actuate/destinations/algoliainsights"
	"github.com/actuate/actuate/destinations/amazonamc"
	"github.com/actuate/actuate/destinations/amplitude"
	"github.com/actuate/actuate/destinations/appfit"
	"github.com/actuate/actuate/destinations/attio"
	"github.com/actuate/actuate/destinations/avo"
	"github.com/actuate/actuate/destinations/blackbaudraisersedgenxt"
	"github.com/actuate/actuate/destinations/blendai"
	"github.com/actuate/actuate/destinations/braze"
	"github.com/actuate/actuate/destinations/brazecohorts"
	"github.com/actuate/actuate/destinations/cannyfunctions"
	"github.com/actuate/actuate/destinations/chartmogul"
	"github.com/actuate/actuate/destinations/clevertap"
	closecrm "github.com/actuate/actuate/destinations/close"
	"github.com/actuate/actuate/destinations/cordial"
	"github.com/actuate/actuate/destinations/criteoaudiences"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/emarsys"
	"github.com/actuate/actuate/destinations/encharge"
	"github.com/actuate/actuate/destinations/facebookconversionsapi"
	"github.com/actuate/actuate/destinations/friendbuy"
	"github.com/actuate/actuate/destinations/fullstory"
	"github.com/actuate/actuate/destinations/gainsightpxcloudaction"
	"github.com/actuate/actuate/destinations/gameball"
	"github.com/actuate/actuate/destinations/googleanalytics4"
	"github.com/actuate/actuate/destinations/googleenhancedconversions"
	"github.com/actuate/actuate/destinations/googlesheets"
	"github.com/actuate/actuate/destinations/gwen"
	"github.com/actuate/actuate/destinations/hubspot"
	"github.com/actuate/actuate/destinations/inleadsai"
	"github.com/actuate/actuate/destinations/insider"
	"github.com/actuate/actuate/destinations/insideraudiences"
	"github.com/actuate/actuate/destinations/intercom"
	"github.com/actuate/actuate/destinations/iterable"
	"github.com/actuate/actuate/destinations/june"
	"github.com/actuate/actuate/destinations/kafka"
	"github.com/actuate/actuate/destinations/kameleoon"
	"github.com/actuate/actuate/destinations/klaviyo"
	"github.com/actuate/actuate/destinations/koala"
	"github.com/actuate/actuate/destinations/launchdarkly"
	"github.com/actuate/actuate/destinations/launchdarklyaudiences"
	"github.com/actuate/actuate/destinations/linkedinaudiences"
	"github.com/actuate/actuate/destinations/linkedinconversions"
	"github.com/actuate/actuate/destinations/listrak"
	"github.com/actuate/actuate/destinations/livelikecloud"
	"github.com/actuate/actuate/destinations/liverampaudiences"
	"github.com/actuate/actuate/destinations/loops"
	"github.com/actuate/actuate/destinations/marketostaticlists"
	"github.com/actuate/actuate/destinations/metronome"
	"github.com/actuate/actuate/destinations/mixpanel"
	"github.com/actuate/actuate/destinations/moengage"
	"github.com/actuate/actuate/destinations/molocormp"
	"github.com/actuate/actuate/destinations/movableink"
	"github.com/actuate/actuate/destinations/optimizelyadvancedaudiencetargeting"
	"github.com/actuate/actuate/destinations/optimizelydataplatform"
	"github.com/actuate/actuate/destinations/optimizelyfeatureexperimentationactions"
	"github.com/actuate/actuate/destinations/pinterestconversions"
	"github.com/actuate/actuate/destinations/pipedrive"
	"github.com/actuate/actuate/destinations/podscribe"
	"github.com/actuate/actuate/destinations/pushwoosh"
	"github.com/actuate/actuate/destinations/qualtrics"
	"github.com/actuate/actuate/destinations/rehook"
	"github.com/actuate/actuate/destinations/revx"
	"github.com/actuate/actuate/destinations/ripe"
	"github.com/actuate/actuate/destinations/salesforce"
	"github.com/actuate/actuate/destinations/salesforcemarketingcloud"
	"github.com/actuate/actuate/destinations/saleswings"
	"github.com/actuate/actuate/destinations/schematic"
	"github.com/actuate/actuate/destinations/segment"
	"github.com/actuate/actuate/destinations/segmentprofiles"
	"github.com/actuate/actuate/destinations/sendgrid"
	"github.com/actuate/actuate/destinations/slack"
	"github.com/actuate/actuate/destinations/snapconversionsapi"
	"github.com/actuate/actuate/destinations/talonone"
	"github.com/actuate/actuate/destinations/thetradedeskcrm"
	"github.com/actuate/actuate/destinations/tiktokaudiences"
	"github.com/actuate/actuate/destinations/tiktokconversions"
	"github.com/actuate/actuate/destinations/toplyne"
	"github.com/actuate/actuate/destinations/usermotion"
	"github.com/actuate/actuate/destinations/userpilot"
	"github.com/actuate/actuate/destinations/voucherify"
	"github.com/actuate/actuate/destinations/vwo"
	"github.com/actuate/actuate/destinations/webhook"
	"github.com/actuate/actuate/destinations/xtremepush"
	"github.com/actuate/actuate/destinations/yahooaudiences"
)

// builtin holds every shipped definition, sorted by slug.
var builtin = []*destkit.Definition{
	absmartly.Definition,
	acoustics3tc.Definition,
	actablepredictive.Definition,
	actionspardot.Definition,
	adobetarget.Definition,
	airship.Definition,
	algoliainsights.Definition,
	amazonamc.Definition,
	amplitude.Definition,
	appfit.Definition,
	attio.Definition,
	avo.Definition,
	blackbaudraisersedgenxt.Definition,
	blendai.Definition,
	braze.Definition,
	brazecohorts.Definition,
	cannyfunctions.Definition,
	chartmogul.Definition,
	clevertap.Definition,
	closecrm.Definition,
	cordial.Definition,
	criteoaudiences.Definition,
	emarsys.Definition,
	encharge.Definition,
	facebookconversionsapi.Definition,
	friendbuy.Definition,
	fullstory.Definition,
	gainsightpxcloudaction.Definition,
	gameball.Definition,
	googleanalytics4.Definition,
	googleenhancedconversions.Definition,
	googlesheets.Definition,
	gwen.Definition,
	hubspot.Definition,
	inleadsai.Definition,
	insider.Definition,
	insideraudiences.Definition,
	intercom.Definition,
	iterable.Definition,
	june.Definition,
	kafka.Definition,
	kameleoon.Definition,
	klaviyo.Definition,
	koala.Definition,
	launchdarkly.Definition,
	launchdarklyaudiences.Definition,
	linkedinaudiences.Definition,
	linkedinconversions.Definition,
	listrak.Definition,
	livelikecloud.Definition,
	liverampaudiences.Definition,
	loops.Definition,
	marketostaticlists.Definition,
	metronome.Definition,
	mixpanel.Definition,
	moengage.Definition,
	molocormp.Definition,
	movableink.Definition,
	optimizelyadvancedaudiencetargeting.Definition,
	optimizelydataplatform.Definition,
	optimizelyfeatureexperimentationactions.Definition,
	pinterestconversions.Definition,
	pipedrive.Definition,
	podscribe.Definition,
	pushwoosh.Definition,
	qualtrics.Definition,
	rehook.Definition,
	revx.Definition,
	ripe.Definition,
	salesforce.Definition,
	salesforcemarketingcloud.Definition,
	saleswings.Definition,
	schematic.Definition,
	segment.Definition,
	segmentprofiles.Definition,
	sendgrid.Definition,
	slack.Definition,
	snapconversionsapi.Definition,
	talonone.Definition,
	thetradedeskcrm.Definition,
	tiktokaudiences.Definition,
	tiktokconversions.Definition,
	toplyne.Definition,
	usermotion.Definition,
	userpilot.Definition,
	voucherify.Definition,
	vwo.Definition,
	webhook.Definition,
	xtremepush.Definition,
	yahooaudiences.Definition,
}

// Registry is a set of definitions addressable by slug. The zero value is
// not usable; build one with NewRegistry.
type Registry struct {
	defs   []*destkit.Definition
	bySlug map[string]*destkit.Definition
}

// NewRegistry indexes defs. It panics on a nil definition, an empty slug or
// a duplicate slug: all three are programming errors in the list above.
func NewRegistry(defs ...*destkit.Definition) *Registry {
	r := &Registry{bySlug: make(map[string]*destkit.Definition, len(defs))}
	for _, d := range defs {
		if d == nil || d.Slug == "" {
			panic("destinations: definition without a slug")
		}
		if _, dup := r.bySlug[d.Slug]; dup {
			panic(fmt.Sprintf("destinations: duplicate slug %q", d.Slug))
		}
		r.bySlug[d.Slug] = d
		r.defs = append(r.defs, d)
	}
	slices.SortFunc(r.defs, func(a, b *destkit.Definition) int {
		switch {
		case a.Slug < b.Slug:
			return -1
		case a.Slug > b.Slug:
			return 1
		}
		return 0
	})
	return r
}

var defaultRegistry = NewRegistry(builtin...)

// Default returns the registry of every shipped destination.
func Default() *Registry { return defaultRegistry }

// Get returns the shipped definition with the given slug.
func Get(slug string) (*destkit.Definition, bool) { return defaultRegistry.Get(slug) }

// All returns every shipped definition, sorted by slug.
func All() []*destkit.Definition { return defaultRegistry.All() }

// Get returns the definition with the given slug.
func (r *Registry) Get(slug string) (*destkit.Definition, bool) {
	d, ok := r.bySlug[slug]
	return d, ok
}

// All returns the definitions sorted by slug. The slice is a copy.
func (r *Registry) All() []*destkit.Definition { return slices.Clone(r.defs) }

// With returns a registry that also holds defs, for tests that add fakes.
func (r *Registry) With(defs ...*destkit.Definition) *Registry {
	return NewRegistry(append(r.All(), defs...)...)
}

// Without returns a registry without the given slugs.
func (r *Registry) Without(slugs ...string) *Registry {
	var keep []*destkit.Definition
	for _, d := range r.defs {
		if !slices.Contains(slugs, d.Slug) {
			keep = append(keep, d)
		}
	}
	return NewRegistry(keep...)
}
