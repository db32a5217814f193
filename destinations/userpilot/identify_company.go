package userpilot

import "github.com/actuate/actuate/destinations/destkit"

// IdentifyCompany creates or updates a company.
var IdentifyCompany = &destkit.Action{
	Key:                 "identifyCompany",
	Title:               "Identify Company",
	Description:         "Create or update a company in Userpilot.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "groupId", Label: "Company ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your identifier of the company."},
		{Key: "createdAt", Label: "Company Created At Date", Type: destkit.Datetime,
			Default:     `{"@path":"$.traits.createdAt"}`,
			Description: "When the company was created; sent as the created_at property."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Properties to set on the company."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if len(p.GetStringBytes("groupId")) == 0 {
			return nil, missing("groupId")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		w.ObjectStart()
		w.Field("company_id", p.Get("groupId"))
		w.Key("metadata")
		writeMetadata(w, p)
		w.ObjectEnd()
		return post(in.Settings, "v1/companies/identify", w.Bytes()), nil
	},
}
