package hubspot

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Dynamic fields: the portal's event definitions, object types, unique
// properties, property groups and association labels, read as Segment's
// dynamic fields read them. A choice that depends on another field (the
// properties of the chosen object type) reads that field from the mapping's
// known values and is refused, naming it, when it is not chosen yet.

// getJSON reads a HubSpot GET answer.
func getJSON(ctx context.Context, d destkit.Doer, u string) (*fastjson.Value, error) {
	return destkit.GetJSON(ctx, d, u, "HubSpot's answer")
}

// byLabel sorts choices by label, ignoring case.
func byLabel(cs []destkit.Choice) []destkit.Choice {
	sort.SliceStable(cs, func(i, j int) bool { return strings.ToLower(cs[i].Label) < strings.ToLower(cs[j].Label) })
	return cs
}

// chosen reads a field the choices depend on (dotted: "object_details.object_type").
func chosen(in *destkit.DynamicInput, path, label string) (string, error) {
	s := string(in.Payload.GetStringBytes(strings.Split(path, ".")...))
	if s == "" {
		return "", destkit.ValidationErrorf(path, "Select a value from the '%s' field first.", label)
	}
	return s, nil
}

// refused names field when HubSpot refuses the object type (or types) it
// chose (see destkit.InputRefused); other errors pass.
func refused(err error, field, types string) error {
	return destkit.InputRefused(err, field, "HubSpot refused object type "+types)
}

// behavioralEventChoices lists the portal's custom behavioral events
// (eventName of Send Custom Behavioral Event), by fully qualified name.
func behavioralEventChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := getJSON(ctx, d, apiBase+"/events/v3/event-definitions")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, e := range v.GetArray("results") {
		cs = append(cs, destkit.Choice{Value: string(e.GetStringBytes("fullyQualifiedName")), Label: string(e.GetStringBytes("name"))})
	}
	return cs, nil
}

// customEventChoices lists the live event definitions with a label
// (event_name of Custom Event), sorted by label.
func customEventChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	v, err := getJSON(ctx, d, apiBase+"/events/v3/event-definitions/?includeProperties=false")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, e := range v.GetArray("results") {
		label := string(e.GetStringBytes("labels", "singular"))
		if label == "" {
			label = string(e.GetStringBytes("labels", "plural"))
		}
		if e.GetBool("archived") || label == "" {
			continue
		}
		cs = append(cs, destkit.Choice{Value: string(e.GetStringBytes("fullyQualifiedName")), Label: label})
	}
	return byLabel(cs), nil
}

// customSchemas reads the portal's custom object schemas.
func customSchemas(ctx context.Context, d destkit.Doer) ([]*fastjson.Value, error) {
	v, err := getJSON(ctx, d, apiBase+"/crm/v3/schemas?archived=false")
	if err != nil {
		return nil, err
	}
	return v.GetArray("results"), nil
}

var (
	// Standard object types offered beside the custom ones by Custom Object V2 ...
	standardObjectTypes = []destkit.Choice{
		{Value: "contact", Label: "Contact"}, {Value: "company", Label: "Company"}, {Value: "deal", Label: "Deal"},
		{Value: "ticket", Label: "Ticket"}, {Value: "line_item", Label: "Line Item"}, {Value: "subscription", Label: "Subscription"},
		{Value: "product", Label: "Product"}, {Value: "0-421", Label: "Appointment"}, {Value: "order", Label: "Order"},
		{Value: "quote", Label: "Quote"},
	}
	// ... and by Custom Event's associated record.
	eventObjectTypes = []destkit.Choice{{Value: "contact", Label: "Contact"}, {Value: "company", Label: "Company"},
		{Value: "deal", Label: "Deal"}, {Value: "ticket", Label: "Ticket"}}
)

// objectTypeChoices lists the custom object types ("Plural (Custom)",
// sorted) followed by the standard ones: object types of Custom Object V2.
func objectTypeChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	schemas, err := customSchemas(ctx, d)
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, s := range schemas {
		cs = append(cs, destkit.Choice{Value: string(s.GetStringBytes("fullyQualifiedName")), Label: string(s.GetStringBytes("labels", "plural")) + " (Custom)"})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Label < cs[j].Label })
	return append(cs, standardObjectTypes...), nil
}

// eventObjectTypeChoices lists custom and standard object types together,
// sorted: the record types a Custom Event can be associated with.
func eventObjectTypeChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	schemas, err := customSchemas(ctx, d)
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, s := range schemas {
		cs = append(cs, destkit.Choice{Value: string(s.GetStringBytes("fullyQualifiedName")), Label: string(s.GetStringBytes("labels", "plural")) + " (Custom)"})
	}
	return byLabel(append(cs, eventObjectTypes...)), nil
}

// recordObjectTypes lists the custom object types other than the one the
// other field chose (by plural label), then the standard types given:
// objectType and toObjectType of Upsert Custom Object Record.
func recordObjectTypes(other string, standard ...destkit.Choice) destkit.DynamicChoices {
	return func(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
		schemas, err := customSchemas(ctx, d)
		if err != nil {
			return nil, err
		}
		exclude := string(in.Payload.GetStringBytes(other))
		var cs []destkit.Choice
		for _, s := range schemas {
			if name := string(s.GetStringBytes("fullyQualifiedName")); name != exclude {
				cs = append(cs, destkit.Choice{Value: name, Label: string(s.GetStringBytes("labels", "plural"))})
			}
		}
		return append(cs, standard...), nil
	}
}

var (
	recordTypes   = []destkit.Choice{{Value: "deals", Label: "Deals"}, {Value: "tickets", Label: "Tickets"}}
	recordToTypes = append(append([]destkit.Choice(nil), recordTypes...), destkit.Choice{Value: "contacts", Label: "Contacts"}, destkit.Choice{Value: "companies", Label: "Companies"})
)

// recordAssociationLabels lists the association types between objectType
// and toObjectType of Upsert Custom Object Record, as category:typeId.
func recordAssociationLabels(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	from, err := chosen(in, "objectType", "Object Type")
	if err != nil {
		return nil, err
	}
	to, err := chosen(in, "toObjectType", "ObjectType to associate")
	if err != nil {
		return nil, err
	}
	cs, err := associationLabels(ctx, d, from, to, func(label, typeID string) string {
		if label == "" {
			return "Unlabeled Association (Type " + typeID + ")"
		}
		return label
	}, false)
	return cs, refused(err, "toObjectType", from+" or "+to)
}

// associationLabels reads the association types from one object type to
// another (CRM v4), labelled by name.
func associationLabels(ctx context.Context, d destkit.Doer, from, to string, name func(label, typeID string) string, sorted bool) ([]destkit.Choice, error) {
	v, err := getJSON(ctx, d, apiBase+"/crm/v4/associations/"+url.PathEscape(from)+"/"+url.PathEscape(to)+"/labels")
	if err != nil {
		return nil, err
	}
	var cs []destkit.Choice
	for _, r := range v.GetArray("results") {
		typeID := ""
		if t := r.Get("typeId"); t != nil {
			typeID = t.String()
		}
		cs = append(cs, destkit.Choice{Value: string(r.GetStringBytes("category")) + ":" + typeID, Label: name(string(r.GetStringBytes("label")), typeID)})
	}
	if sorted {
		byLabel(cs)
	}
	return cs, nil
}

// idFieldChoices lists the properties that identify a record of the object
// type read by objectType: the record ID, the email of contacts, and the
// type's unique properties sorted by label.
func idFieldChoices(field string, objectType func(*destkit.DynamicInput) (string, error)) destkit.DynamicChoices {
	return func(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
		t, err := objectType(in)
		if err != nil {
			return nil, err
		}
		v, err := getJSON(ctx, d, apiBase+"/crm/v3/properties/"+url.PathEscape(t))
		if err != nil {
			return nil, refused(err, field, t)
		}
		cs := []destkit.Choice{{Value: "hs_object_id", Label: "Hubspot Record ID (updates only)"}}
		if t == "contact" || t == "contacts" {
			cs = append(cs, destkit.Choice{Value: "email", Label: "email"})
		}
		var unique []destkit.Choice
		for _, p := range v.GetArray("results") {
			if name := string(p.GetStringBytes("name")); p.GetBool("hasUniqueValue") && name != "hs_unique_creation_key" {
				unique = append(unique, destkit.Choice{Value: name, Label: string(p.GetStringBytes("label"))})
			}
		}
		return append(cs, byLabel(unique)...), nil
	}
}

// propertyGroupChoices lists the live property groups of the chosen object
// type, sorted by label.
func propertyGroupChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	t, err := recordObjectType(in)
	if err != nil {
		return nil, err
	}
	v, err := getJSON(ctx, d, apiBase+"/crm/v3/properties/"+url.PathEscape(t)+"/groups")
	if err != nil {
		return nil, refused(err, "object_details.object_type", t)
	}
	var cs []destkit.Choice
	for _, g := range v.GetArray("results") {
		if !g.GetBool("archived") {
			cs = append(cs, destkit.Choice{Value: string(g.GetStringBytes("name")), Label: string(g.GetStringBytes("label"))})
		}
	}
	return byLabel(cs), nil
}

// recordObjectType reads object_details.object_type of Custom Object V2.
func recordObjectType(in *destkit.DynamicInput) (string, error) {
	return chosen(in, "object_details.object_type", "Object Type")
}

// entry returns the association being edited under parent: the object
// itself, or the last entry of the list (the control API's values= can
// carry just the one being edited). Segment's UI passes the entry's index
// instead.
func entry(in *destkit.DynamicInput, parent string) *fastjson.Value {
	v := in.Payload.Get(parent)
	if v != nil && v.Type() == fastjson.TypeArray {
		a := v.GetArray()
		if len(a) == 0 {
			return nil
		}
		return a[len(a)-1]
	}
	return v
}

// entryObjectType reads the object type of the association being edited.
func entryObjectType(parent string) func(*destkit.DynamicInput) (string, error) {
	return func(in *destkit.DynamicInput) (string, error) {
		if s := string(entry(in, parent).GetStringBytes("object_type")); s != "" {
			return s, nil
		}
		return "", destkit.ValidationErrorf(parent+".object_type", "Select a value from the 'To Object Type' field first.")
	}
}

// entryAssociationLabels lists the association types from the record's
// object type to the edited association's ("from to label"), sorted.
func entryAssociationLabels(parent string) destkit.DynamicChoices {
	to := entryObjectType(parent)
	return func(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
		from, err := recordObjectType(in)
		if err != nil {
			return nil, err
		}
		t, err := to(in)
		if err != nil {
			return nil, err
		}
		cs, err := associationLabels(ctx, d, from, t, func(label, typeID string) string {
			if label == "" {
				return from + " to " + t + " (Default label: typeId " + typeID + ")"
			}
			return from + " to " + t + " " + label
		}, true)
		return cs, refused(err, parent+".object_type", from+" or "+t)
	}
}

// associationFieldsOf returns associationFields with the dynamic choices
// of entries under parent (associations or dissociations).
func associationFieldsOf(parent string) []destkit.Field {
	fs := append([]destkit.Field(nil), associationFields...)
	for i := range fs {
		switch fs[i].Key {
		case "object_type":
			fs[i].Dynamic = objectTypeChoices
		case "association_label":
			fs[i].Dynamic = entryAssociationLabels(parent)
		case "id_field_name":
			fs[i].Dynamic = idFieldChoices(parent+".object_type", entryObjectType(parent))
		}
	}
	return fs
}
