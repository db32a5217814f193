package parity

// Mappings whose hooks ran when they were saved: the actions read the
// hook's saved outputs as Segment's do.
func init() {
	// Upsert Profile adds every profile to the list its retlOnMappingSave
	// hook connected, over the mapped List; a batch lets List ID Override
	// win.
	hook := `"retlOnMappingSave":{"inputs":{"list_name":"VIPs"},"outputs":{"id":"HOOKLIST","name":"VIPs"}}`
	extraCases["klaviyo/upsertProfile"] = append(extraCases["klaviyo/upsertProfile"],
		extraCase{Label: "list connected by the hook", Events: []string{sample("identify", ""), sample("identify", "")},
			Mapping: `{` + hook + `,"list_id":"LIST123"}`},
		extraCase{Label: "hook and list override", Events: []string{sample("identify", ""), sample("identify", "")},
			Mapping: `{` + hook + `,"list_id":"LIST123","override_list_id":"OVERRIDE9"}`})
}
