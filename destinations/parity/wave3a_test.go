package parity

// Wave 3 (first part): the tables of talon-one, clevertap, cordial, emarsys, vwo,
// listrak, adobe-target and revx, added to the shared ones.

func init() {
	held = append(held, "talon-one")
	destinationSettings["talon-one"] = map[string]any{"apiKey": "t1-api-key", "deployment": "https://acme.europe-west1.talon.one"}
	// A coupon used by the web visitor, with the attributes and audiences Talon.One's
	// default mappings read from the properties.
	destinationEvents["talon-one"] = []string{trackEvent("Coupon Used", "user-1042", `{"attributes":{"code":"SPRING","value":5},`+
		`"attributesInfo":[{"name":"code","type":"string"}],"audiencesToAdd":[{"name":"VIP","integrationId":"vip-1"}],`+
		`"audiencesToDelete":[{"name":"Churned"}],"session_id":"sess-77"}`)}
	for action, trigger := range map[string]string{
		"updateCustomerProfile":   `type = "identify"`,
		"updateCustomerProfileV3": `type = "identify"`,
		"updateCustomerProfileV2": `event = "Coupon Used"`,
		"trackEvent":              `event = "Coupon Used"`,
		"trackEventV2":            `event = "Coupon Used"`,
		"updateCustomerSession":   `event = "Coupon Used"`,
		"updateCustomerSessionV2": `event = "Coupon Used"`,
	} {
		caseTriggers["talon-one/"+action] = trigger
	}
	for action, extra := range map[string]string{
		"createAudience":                  `{"audienceId":"aud_1","audienceName":"VIP"}`,
		"updateAudience":                  `{"audienceId":"aud_1","audienceName":"VIPs"}`,
		"deleteAudience":                  `{"audienceId":"aud_1"}`,
		"updateCustomerProfile":           `{"addAudienceIds":[7,8],"deleteAudienceIds":[9]}`,
		"updateCustomerProfileV3":         `{"addAudienceIds":[7],"skipNonExistingAttributes":true}`,
		"updateCustomerProfilesAudiences": `{"data":[{"customerProfileId":{"@path":"$.userId"},"adds":[1,2]},{"customerProfileId":"user-2","deletes":[3]}]}`,
		"updateCustomerSession": `{"customerSessionId":{"@path":"$.properties.session_id"},"customerSession":{"profileId":{"@path":"$.userId"},` +
			`"state":"open","couponCodes":[{"@path":"$.properties.attributes.code"}],"attributes":{"@path":"$.properties.attributes"}}}`,
		"updateCustomerSessionV2": `{"customerSessionId":{"@path":"$.properties.session_id"},"state":"open","identifiers":[{"@path":"$.context.ip"}]}`,
	} {
		mappingExtras["talon-one/"+action] = extra
	}

	held = append(held, "clevertap")
	destinationSettings["clevertap"] = map[string]any{"clevertapAccountId": "W9R-486-4W5Z", "clevertapPasscode": "ct-passcode",
		"clevertapEndpoint": "https://eu1.api.clevertap.com"}
	destinationEvents["clevertap"] = []string{trackEvent("Delete User", "user-1042", `{"reason":"gdpr"}`)}
}
