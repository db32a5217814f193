package thetradedeskcrm

import (
	"context"
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// dataProviderID is the data provider TTD records segments created through Segment under;
// kept so that segments made here look like those made there.
const dataProviderID = "twilio"

var audienceConfig = &destkit.AudienceConfig{
	FullAudienceSync: true,
	Fields: []destkit.Field{
		{Key: "region", Label: "Region", Type: destkit.String, Required: true,
			Choices:     destkit.ChoiceValues("US", "EU", "APAC"),
			Description: "Where the segment's PII comes from: US (United States and Canada), EU (European Union and the UK) or APAC."},
	},
	Create: createSegment,
	Get:    findSegment,
}

// createSegment creates a CRM data segment named after the audience.
func createSegment(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
	if in.Name == "" {
		return "", destkit.ValidationErrorf("audienceName", "a CRM data segment needs a name")
	}
	var region string
	if in.AudienceSettings != nil {
		region = string(in.AudienceSettings.GetStringBytes("region"))
	}
	if region == "" {
		return "", destkit.ValidationErrorf("audienceSettings.region", "a CRM data segment needs its region (US, EU or APAC)")
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.StringField("AdvertiserId", in.Settings.Str("advertiser_id"))
	w.StringField("SegmentName", in.Name)
	w.StringField("Region", region)
	w.StringField("DataProviderId", dataProviderID)
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", baseURL+"/crmdata/targeting/segment", w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return "", err
	}
	id := string(parse(resp).GetStringBytes("CrmDataId"))
	if id == "" {
		return "", &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "The Trade Desk created the segment but answered no CrmDataId"}
	}
	return id, nil
}

// findSegment checks that the advertiser has the CRM data segment in.ExternalID, reading
// its segments page by page until an empty page.
func findSegment(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
	advertiser := in.Settings.Str("advertiser_id")
	page := baseURL + "/crmdata/segment/" + url.PathEscape(advertiser)
	for {
		r := destkit.NewJSONRequest("GET", page, nil)
		resp, err := d.Do(ctx, &r)
		if err != nil {
			return "", err
		}
		v := parse(resp)
		segments := v.GetArray("Segments")
		if v.Get("Segments") == nil {
			return "", &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "The Trade Desk answered the segment list without Segments"}
		}
		if len(segments) == 0 {
			return "", destkit.ValidationErrorf("externalId", "advertiser %s has no CRM data segment %s", advertiser, in.ExternalID)
		}
		for _, s := range segments {
			if string(s.GetStringBytes("CrmDataId")) == in.ExternalID {
				return in.ExternalID, nil
			}
		}
		page = baseURL + "/crmdata/segment/" + url.PathEscape(advertiser) + "?pagingToken=" + url.QueryEscape(string(v.GetStringBytes("PagingToken")))
	}
}

// parse reads a JSON answer; anything else reads as an empty object.
func parse(resp *destkit.Response) *fastjson.Value {
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return fastjson.MustParse(`{}`)
	}
	return v
}
