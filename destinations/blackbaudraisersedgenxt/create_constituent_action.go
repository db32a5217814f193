package blackbaudraisersedgenxt

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CreateConstituentAction records an action (a call, a meeting, a task) of
// a constituent, found or created first from the constituent_ fields when
// they are mapped.
var CreateConstituentAction = &destkit.Action{
	Key:         "createConstituentAction",
	Title:       "Create Constituent Action",
	Description: "Create a constituent action in Raiser's Edge NXT, finding or creating the constituent first when its fields are mapped.",
	Fields: withConstituentFields(
		destkit.Field{Key: "date", Label: "Date", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "Date of the action."},
		destkit.Field{Key: "category", Label: "Category", Type: destkit.String, Required: true,
			Default: `{"@path":"$.properties.category"}`,
			Choices: []destkit.Choice{{Value: "Phone Call", Label: "Phone Call"}, {Value: "Meeting", Label: "Meeting"},
				{Value: "Mailing", Label: "Mailing"}, {Value: "Email", Label: "Email"}, {Value: "Task/Other", Label: "Task/Other"}},
			Description: "How the constituent was reached, or why: a phone call, a meeting, a mailing, an email, or a task or other."},
		destkit.Field{Key: "completed", Label: "Completed", Type: destkit.Boolean,
			Default:     `{"@path":"$.properties.completed"}`,
			Description: "Whether the action is completed."},
		destkit.Field{Key: "completed_date", Label: "Completed Date", Type: destkit.Datetime,
			Default:     `{"@path":"$.properties.completedDate"}`,
			Description: "When the action was completed."},
		destkit.Field{Key: "description", Label: "Description", Type: destkit.String,
			Default:     `{"@path":"$.properties.description"}`,
			Description: "Longer text about the action, beside its summary."},
		destkit.Field{Key: "direction", Label: "Direction", Type: destkit.String,
			Default:     `"Inbound"`,
			Choices:     []destkit.Choice{{Value: "Inbound", Label: "Inbound"}, {Value: "Outbound", Label: "Outbound"}},
			Description: "Direction of the action: inbound or outbound."},
		destkit.Field{Key: "end_time", Label: "End Time", Type: destkit.String,
			Default:     `{"@path":"$.properties.endTime"}`,
			Description: "End time of the action (HH:mm)."},
		destkit.Field{Key: "fundraisers", Label: "Fundraisers", Type: destkit.String, Multiple: true,
			Description: "Constituent ids of the fundraisers of the action."},
		destkit.Field{Key: "location", Label: "Location", Type: destkit.String,
			Default:     `{"@path":"$.properties.location"}`,
			Description: "Location of the action."},
		destkit.Field{Key: "opportunity_id", Label: "Opportunity ID", Type: destkit.String,
			Description: "Id of the opportunity the action belongs to."},
		destkit.Field{Key: "outcome", Label: "Outcome", Type: destkit.String,
			Default:     `{"@path":"$.properties.outcome"}`,
			Choices:     []destkit.Choice{{Value: "Successful", Label: "Successful"}, {Value: "Unsuccessful", Label: "Unsuccessful"}},
			Description: "Outcome of the action."},
		destkit.Field{Key: "priority", Label: "Priority", Type: destkit.String,
			Default:     `"Normal"`,
			Choices:     []destkit.Choice{{Value: "High", Label: "High"}, {Value: "Low", Label: "Low"}, {Value: "Normal", Label: "Normal"}},
			Description: "Priority of the action."},
		destkit.Field{Key: "start_time", Label: "Start Time", Type: destkit.String,
			Default:     `{"@path":"$.properties.startTime"}`,
			Description: "Start time of the action (HH:mm)."},
		destkit.Field{Key: "status", Label: "Status", Type: destkit.String,
			Default:     `{"@path":"$.properties.status"}`,
			Description: "Status of the action."},
		destkit.Field{Key: "summary", Label: "Summary", Type: destkit.String,
			Default:     `{"@path":"$.properties.summary"}`,
			Description: "Summary of the action."},
		destkit.Field{Key: "type", Label: "Type", Type: destkit.String,
			Default:     `{"@path":"$.properties.type"}`,
			Description: "Type of the action, one of the action types configured in Raiser's Edge NXT."},
		destkit.Field{Key: "author", Label: "Author", Type: destkit.String,
			Default:     `{"@path":"$.properties.author"}`,
			Description: "Author of the action."},
	),
	Run: ofConstituent(constituentsAPI+"/actions", actionData),
}

// actionKeys are the action's members, in Segment's order; only truthy
// values are sent.
var actionKeys = []string{"date", "category", "completed", "completed_date", "description", "direction", "end_time", "fundraisers",
	"location", "opportunity_id", "outcome", "priority", "start_time", "status", "summary", "type", "author"}

// actionData is the body of a new constituent action.
func actionData(id *fastjson.Value, p *fastjson.Value) []byte {
	var o destkit.JSObject
	if destkit.Truthy(id) {
		o.SetValue("constituent_id", id)
	}
	setTruthy(&o, p, actionKeys)
	return o.AppendJSON(nil)
}
