package parity

// Wave 3 (third share): Salesforce Marketing Cloud, Airship, Moloco MCM, Segment Profiles,
// Kameleoon, Voucherify and Pardot, all in @segment/action-destinations 3.497.0.
func init() {
	held = append(held, "salesforce-marketing-cloud")

	destinationSettings["salesforce-marketing-cloud"] = map[string]any{
		"subdomain": "mc563885gzs27c5t9-63k636ttgm", "account_id": "510000123", "client_id": "sfmc-client", "client_secret": "sfmc-secret",
	}
	sfmcHook := `"onMappingSave":{"inputs":{"operation":"select","dataExtensionId":"6a7b-c8d9"},"outputs":{"id":"6a7b-c8d9","name":"Parity"}}`
	for k, v := range map[string]string{
		"salesforce-marketing-cloud/apiEvent":               `{"eventDefinitionKey":"APIEvent-parity","data":{"plan":{"@path":"$.traits.plan"},"event":{"@path":"$.event"}}}`,
		"salesforce-marketing-cloud/dataExtension":          `{"key":"Parity Events","keys":{"id":{"@path":"$.messageId"}},"values":{"event":{"@path":"$.event"},"email":{"@path":"$.context.traits.email"}}}`,
		"salesforce-marketing-cloud/contactDataExtension":   `{"id":"6a7b-c8d9","values":{"email":{"@path":"$.traits.email"},"plan":{"@path":"$.traits.plan"}}}`,
		"salesforce-marketing-cloud/dataExtensionV2":        `{` + sfmcHook + `,"keys":{"id":{"@path":"$.messageId"}},"values":{"event":{"@path":"$.event"}}}`,
		"salesforce-marketing-cloud/contactDataExtensionV2": `{` + sfmcHook + `,"values":{"email":{"@path":"$.traits.email"}}}`,
		"salesforce-marketing-cloud/asyncDataExtension":     `{` + sfmcHook + `,"keys":{"id":{"@path":"$.messageId"}},"values":{"event":{"@path":"$.event"},"id":{"@path":"$.userId"}}}`,
	} {
		mappingExtras[k] = v
	}
}
