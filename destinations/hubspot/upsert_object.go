package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// associationFields are the properties of an entry of associations or
// dissociations: which record, found by which unique property, and which
// association label.
var associationFields = []destkit.Field{
	{Key: "object_type", Label: "To Object Type", Type: destkit.String, Required: true,
		Description: "Object type of the other record."},
	{Key: "association_label", Label: "Association Label", Type: destkit.String, Required: true,
		Description: "Association type as CATEGORY:typeId (e.g. HUBSPOT_DEFINED:279); the label must already exist in HubSpot."},
	{Key: "id_field_name", Label: "To Object ID Field Name", Type: destkit.String, Required: true,
		Description: "Unique property of the other object type used to find the record."},
	{Key: "id_field_value", Label: "To Object ID Field Value", Type: destkit.String,
		Description: "Value of that property on the other record; entries without one are skipped."},
}

// UpsertObject ("Custom Object V2") writes records of any object type
// identified by a unique property, defining missing properties first, and
// associates them with other records.
var UpsertObject = &destkit.Action{
	Key:         "upsertObject",
	Title:       "Custom Object V2",
	Description: "Create or update HubSpot records of any object type by a unique property, creating missing properties and associating the records with others.",
	Fields: []destkit.Field{
		{Key: "object_details", Label: "Object Details", Type: destkit.Object, Required: true,
			Description: "Which object type the record belongs to and how to find it.",
			Properties: []destkit.Field{
				{Key: "object_type", Label: "Object Type", Type: destkit.String, Required: true, Dynamic: objectTypeChoices,
					Description: "Object type of the record (contact, company, deal, a custom object's type ID...)."},
				{Key: "id_field_name", Label: "Object ID Field Name", Type: destkit.String, Required: true, Dynamic: idFieldChoices("object_details.object_type", recordObjectType),
					Description: "Unique property that identifies the record."},
				{Key: "id_field_value", Label: "Object ID Field Value", Type: destkit.String, Required: true,
					Description: "Value of that property for this record."},
				{Key: "property_group", Label: "Property Group", Type: destkit.String, Dynamic: propertyGroupChoices,
					Description: "Property group new properties are created in; needed only when the event brings properties HubSpot does not have yet."},
			}},
		{Key: "properties", Label: "Properties", Type: destkit.Object, AdditionalProperties: true,
			Description: "Properties to set on the record; missing ones are created with a type inferred from the value."},
		{Key: "sensitive_properties", Label: "Sensitive Properties", Type: destkit.Object, AdditionalProperties: true,
			Description: "Properties to set on the record that HubSpot must store as sensitive data."},
		{Key: "association_sync_mode", Label: "Associated Record Sync Mode", Type: destkit.String, Required: true,
			Default:     `"upsert"`,
			Choices:     []destkit.Choice{{Value: "upsert", Label: "Create"}, {Value: "read", Label: "Do not create"}},
			Description: "Whether records to associate with are created when they do not exist (only possible for object types that need nothing but the identifying property)."},
		{Key: "associations", Label: "Associations to add", Type: destkit.Object, Multiple: true,
			Description: "Records to associate this record with.", Properties: associationFieldsOf("associations")},
		{Key: "dissociations", Label: "Associations to remove (BETA)", Type: destkit.Object, Multiple: true,
			Description: "Association labels to remove between this record and others; removing the default label removes the association.", Properties: associationFieldsOf("dissociations")},
		{Key: "list_details", Label: "List Details (BETA)", Type: destkit.Object,
			Default:     `{"connected_to_engage_audience":false,"should_create_list":true}`,
			Description: "List membership settings; accepted for compatibility, lists are not synced yet.",
			Properties: []destkit.Field{
				{Key: "connected_to_engage_audience", Label: "Connecting to Engage Audience", Type: destkit.Boolean, Description: "Whether the subscription syncs an Engage audience."},
				{Key: "list_name", Label: "List Name", Type: destkit.String, Description: "Name of the HubSpot list."},
				{Key: "list_action", Label: "List Action", Type: destkit.Boolean, Description: "True to add the record to the list, false to remove it."},
				{Key: "should_create_list", Label: "Create List", Type: destkit.Boolean, Description: "Create the list when it does not exist."},
			}},
		{Key: "enable_batching", Label: "Batch Data to Hubspot by default", Type: destkit.Boolean, Default: `true`,
			Description: "Send records in batches through HubSpot's batch endpoints."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Required: true, Default: `100`,
			Description: "Records per batch; HubSpot's batch endpoints take at most 100."},
		{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true, Default: `["list_details"]`,
			Description: "Fields whose values events of one batch must share."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Default: `{"@path":"$.timestamp"}`,
			Description: "When the event happened; when one batch updates a record twice, the later values win."},
		{Key: "traits_or_props", Label: "traits or properties object", Type: destkit.Object,
			Default:     `{"@if":{"exists":{"@path":"$.properties"},"then":{"@path":"$.properties"},"else":{"@path":"$.traits"}}}`,
			Description: "Traits or properties of the event, for Engage audience membership."},
		{Key: "computation_key", Label: "Engage Audience Computation Key", Type: destkit.String,
			Default: `{"@path":"$.context.personas.computation_key"}`, Description: "Computation key of the Engage audience."},
		{Key: "computation_class", Label: "Engage Audience Computation Class", Type: destkit.String,
			Default: `{"@path":"$.context.personas.computation_class"}`, Description: "Computation class of the Engage audience."},
	},
	Batch: &destkit.Batch{MaxSize: maxBatch, Keys: []string{"list_details"}},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return upsertObjects(ctx, d, in.Settings, []*fastjson.Value{in.Payload})[0]
	},
	RunBatch: func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		return upsertObjects(ctx, d, in.Settings, in.Payloads)
	},
}

// maxBatch is the most inputs HubSpot's batch endpoints accept.
const maxBatch = 100

// hsObjectID is HubSpot's own record ID. It is not a unique property, so
// batch updates must pass it as the ID without naming an idProperty.
const hsObjectID = "hs_object_id"

// objectProperties is what the cache knows of an object type's properties,
// by name; the two halves are read from HubSpot separately.
type objectProperties struct {
	regular, sensitive map[string]hsType
}

type hsType struct{ typ, fieldType string }

var objectCache = newSchemaCache[objectProperties](2000, time.Hour)

// association is one entry of associations or dissociations.
type association struct {
	objectType, label, idName, idValue string
	category                           string
	typeID                             int
	toID                               string
}

// record is one record to write; events that name the same record in one
// batch are merged into it and share its outcome.
type record struct {
	events       []int
	idValue      string
	at           time.Time
	props, sens  props
	assoc, disso []*association
	id           string // HubSpot's record ID, once known
}

// objectGroup is the records sharing everything the batch endpoints need
// in common. A subscription's batch is one group; the grouping only
// guards against mappings that vary the object type per event.
type objectGroup struct {
	objectType, idName, mode, assocMode, propertyGroup string
	records                                            []*record
	byID                                               map[string]*record
}

func upsertObjects(ctx context.Context, d destkit.Doer, s *destkit.Settings, payloads []*fastjson.Value) []error {
	errs := make([]error, len(payloads))
	var groups []*objectGroup
	for j, p := range payloads {
		g, r, err := readRecord(p)
		if err != nil {
			errs[j] = err
			continue
		}
		r.events = []int{j}
		var into *objectGroup
		for _, c := range groups {
			if c.objectType == g.objectType && c.idName == g.idName && c.mode == g.mode && c.assocMode == g.assocMode {
				into = c
				break
			}
		}
		if into == nil {
			into, g.byID = g, map[string]*record{}
			groups = append(groups, g)
		}
		if into.propertyGroup == "" {
			into.propertyGroup = g.propertyGroup
		}
		if prev := into.byID[r.idValue]; prev != nil {
			prev.merge(r)
			continue
		}
		into.byID[r.idValue] = r
		into.records = append(into.records, r)
	}
	for _, g := range groups {
		if err := g.send(ctx, d, s); err != nil {
			for _, r := range g.records {
				for _, j := range r.events {
					errs[j] = err
				}
			}
		}
	}
	return errs
}

// readRecord checks and cleans one payload before anything is sent, so a
// bad event never leaves half written.
func readRecord(p *fastjson.Value) (*objectGroup, *record, error) {
	g := &objectGroup{
		objectType:    string(p.GetStringBytes("object_details", "object_type")),
		idName:        string(p.GetStringBytes("object_details", "id_field_name")),
		propertyGroup: string(p.GetStringBytes("object_details", "property_group")),
		mode:          string(p.GetStringBytes(destkit.SyncModeKey)),
		assocMode:     string(p.GetStringBytes("association_sync_mode")),
	}
	r := &record{idValue: string(p.GetStringBytes("object_details", "id_field_value"))}
	if g.objectType == "" || g.idName == "" || r.idValue == "" {
		return nil, nil, destkit.ValidationErrorf("object_details", "Object Type, Object ID Field Name and Object ID Field Value must not be empty.")
	}
	switch g.mode {
	case "upsert", "update", "add":
	case "":
		return nil, nil, destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode is required for this action; use upsert, update or add.")
	default:
		return nil, nil, destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use upsert, update or add.", g.mode)
	}
	var err error
	if r.props, err = cleanProperties(p.GetObject("properties"), false); err != nil {
		return nil, nil, err
	}
	if r.sens, err = cleanProperties(p.GetObject("sensitive_properties"), false); err != nil {
		return nil, nil, err
	}
	// A missing or unreadable timestamp counts as now, so it wins over
	// older events of the same record.
	r.at = time.Now()
	if t, err := time.Parse(time.RFC3339Nano, string(p.GetStringBytes("timestamp"))); err == nil {
		r.at = t
	}
	for _, list := range []struct {
		key string
		dst *[]*association
	}{{"associations", &r.assoc}, {"dissociations", &r.disso}} {
		for _, a := range p.GetArray(list.key) {
			as := &association{
				objectType: string(a.GetStringBytes("object_type")),
				label:      string(a.GetStringBytes("association_label")),
				idName:     string(a.GetStringBytes("id_field_name")),
				idValue:    string(a.GetStringBytes("id_field_value")),
			}
			if as.objectType == "" || as.label == "" || as.idName == "" || as.idValue == "" {
				continue
			}
			cat, id, ok := strings.Cut(as.label, ":")
			n, err := strconv.Atoi(id)
			if !ok || cat == "" || err != nil {
				return nil, nil, destkit.ValidationErrorf(list.key, "Association label %q is not CATEGORY:typeId.", as.label)
			}
			as.category, as.typeID = cat, n
			*list.dst = appendAssociation(*list.dst, as)
		}
	}
	return g, r, nil
}

func appendAssociation(list []*association, a *association) []*association {
	for _, b := range list {
		if b.objectType == a.objectType && b.label == a.label && b.idName == a.idName && b.idValue == a.idValue {
			return list
		}
	}
	return append(list, a)
}

// merge folds a later event for the same record into r: values from the
// more recent event win, and associations add up.
func (r *record) merge(o *record) {
	newer := !o.at.Before(r.at)
	for _, pair := range []struct{ dst, src *props }{{&r.props, &o.props}, {&r.sens, &o.sens}} {
		for _, p := range pair.src.list {
			if _, ok := pair.dst.get(p.name); !ok || newer {
				pair.dst.set(p)
			}
		}
	}
	for _, a := range o.assoc {
		r.assoc = appendAssociation(r.assoc, a)
	}
	for _, a := range o.disso {
		r.disso = appendAssociation(r.disso, a)
	}
	if newer {
		r.at = o.at
	}
	r.events = append(r.events, o.events...)
}

func (g *objectGroup) send(ctx context.Context, d destkit.Doer, s *destkit.Settings) error {
	if err := g.ensureProperties(ctx, d, s); err != nil {
		return err
	}
	if err := g.writeRecords(ctx, d); err != nil {
		return err
	}
	var written []*record
	for _, r := range g.records {
		if r.id != "" {
			written = append(written, r)
		}
	}
	if err := linkRecords(ctx, d, g.objectType, written, g.assocMode, false); err != nil {
		return err
	}
	// Removing labels must never create the other record.
	return linkRecords(ctx, d, g.objectType, written, "read", true)
}

// ensureProperties makes sure every property the records carry exists in
// HubSpot with a type that can hold the value. The cache answers for
// properties seen before; otherwise HubSpot's property list is read, and
// whatever is still missing is created.
func (g *objectGroup) ensureProperties(ctx context.Context, d destkit.Doer, s *destkit.Settings) error {
	key := cacheKey{settings: s, name: g.objectType}
	known, _ := objectCache.get(key)
	missing := func(k objectProperties) (regular, sensitive []prop, err error) {
		seen := map[string]bool{}
		for _, r := range g.records {
			for _, half := range []struct {
				ps    *props
				have  map[string]hsType
				out   *[]prop
				which string
			}{{&r.props, k.regular, &regular, "r"}, {&r.sens, k.sensitive, &sensitive, "s"}} {
				for _, p := range half.ps.list {
					t, ok := half.have[p.name]
					if ok {
						if err := checkType(p, t); err != nil {
							return nil, nil, err
						}
						continue
					}
					if !seen[half.which+p.name] {
						seen[half.which+p.name] = true
						*half.out = append(*half.out, p)
					}
				}
			}
		}
		return regular, sensitive, nil
	}
	regular, sensitive, err := missing(known)
	if err != nil || len(regular) == 0 && len(sensitive) == 0 {
		return err
	}
	fresh := objectProperties{regular: known.regular, sensitive: known.sensitive}
	if len(regular) > 0 {
		if fresh.regular, err = readProperties(ctx, d, g.objectType, false); err != nil {
			return err
		}
	}
	if len(sensitive) > 0 {
		if fresh.sensitive, err = readProperties(ctx, d, g.objectType, true); err != nil {
			return err
		}
	}
	if regular, sensitive, err = missing(fresh); err != nil {
		return err
	}
	if len(regular) > 0 || len(sensitive) > 0 {
		if err := createProperties(ctx, d, g.objectType, g.propertyGroup, regular, sensitive); err != nil {
			return err
		}
		fresh.regular = withProps(fresh.regular, regular)
		fresh.sensitive = withProps(fresh.sensitive, sensitive)
	}
	objectCache.put(key, fresh)
	return nil
}

// withProps returns a copy of m with ps added, leaving m (which other
// goroutines may be reading from the cache) alone.
func withProps(m map[string]hsType, ps []prop) map[string]hsType {
	out := make(map[string]hsType, len(m)+len(ps))
	for k, v := range m {
		out[k] = v
	}
	for _, p := range ps {
		out[p.name] = hsTypeOf(p.kind)
	}
	return out
}

func hsTypeOf(k kind) hsType {
	switch k {
	case kindNumber:
		return hsType{"number", "number"}
	case kindBool:
		return hsType{"enumeration", "booleancheckbox"}
	case kindDate:
		return hsType{"date", "date"}
	case kindDatetime:
		return hsType{"datetime", "date"}
	default:
		return hsType{"string", "text"}
	}
}

// knownTypes are the property types values are inferred as; a property of
// any other type (phone numbers, selects, checkboxes...) is left for
// HubSpot to validate values against.
var knownTypes = map[hsType]bool{
	{"number", "number"}: true, {"enumeration", "booleancheckbox"}: true, {"date", "date"}: true,
	{"datetime", "date"}: true, {"string", "text"}: true, {"string", "textarea"}: true,
}

// checkType refuses a value whose inferred type contradicts an existing
// property, before anything is written. Text fits text areas and
// selects, and date-times and text are interchangeable (epoch strings are
// valid date-times).
func checkType(p prop, t hsType) error {
	want := hsTypeOf(p.kind)
	switch {
	case want == t, !knownTypes[t]:
		return nil
	case p.kind == kindString && (t == hsType{"string", "textarea"} || t == hsType{"datetime", "date"}):
		return nil
	case p.kind == kindDatetime && t == hsType{"string", "text"}:
		return nil
	}
	return &destkit.IntegrationError{Code: "HUBSPOT_PROPERTY_TYPE_MISMATCH",
		Message: "Property " + p.name + " is " + t.typ + ":" + t.fieldType + " in HubSpot, but the event sends a " + want.typ + ":" + want.fieldType + " value."}
}

func readProperties(ctx context.Context, d destkit.Doer, objectType string, sensitive bool) (map[string]hsType, error) {
	u := apiBase + "/crm/v3/properties/" + url.PathEscape(objectType)
	if sensitive {
		u += "?dataSensitivity=sensitive"
	}
	r := destkit.Request{Method: http.MethodGet, URL: u}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "UNKNOWN_ERROR", Message: "HubSpot's property list is not valid JSON", Retryable: true}
	}
	out := map[string]hsType{}
	for _, p := range v.GetArray("results") {
		out[string(p.GetStringBytes("name"))] = hsType{string(p.GetStringBytes("type")), string(p.GetStringBytes("fieldType"))}
	}
	return out, nil
}

func createProperties(ctx context.Context, d destkit.Doer, objectType, group string, regular, sensitive []prop) error {
	if group == "" {
		return destkit.ValidationErrorf("object_details.property_group",
			"Property Group is required: the event carries properties that do not exist in HubSpot yet.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 128*(len(regular)+len(sensitive))))
	w.ObjectStart()
	w.Key("inputs")
	w.ArrayStart()
	for _, half := range []struct {
		ps        []prop
		sensitive bool
	}{{regular, false}, {sensitive, true}} {
		for _, p := range half.ps {
			t := hsTypeOf(p.kind)
			w.ObjectStart()
			w.StringField("name", p.name)
			w.StringField("label", p.name)
			w.StringField("groupName", group)
			w.StringField("type", t.typ)
			if half.sensitive {
				w.StringField("dataSensitivity", "sensitive")
			}
			w.StringField("fieldType", t.fieldType)
			if p.kind == kindBool {
				w.Key("options")
				w.Raw([]byte(`[{"label":"true","value":"true","hidden":false,"description":"True","displayOrder":1},` +
					`{"label":"false","value":"false","hidden":false,"description":"False","displayOrder":2}]`))
			}
			w.ObjectEnd()
		}
	}
	w.ArrayEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/crm/v3/properties/"+url.PathEscape(objectType)+"/batch/create", w.Bytes())
	_, err := d.Do(ctx, &r)
	// Another sender defined them first; the event can go ahead.
	if status(err) == http.StatusConflict {
		return nil
	}
	return err
}

// writeRecords writes the records as the sync mode says: upsert in one
// call; update or add after reading which records exist. Records that
// are not written (update of an unknown record, add of a known one) get
// no ID and so no associations.
func (g *objectGroup) writeRecords(ctx context.Context, d destkit.Doer) error {
	for start := 0; start < len(g.records); start += maxBatch {
		chunk := g.records[start:min(start+maxBatch, len(g.records))]
		var err error
		switch g.mode {
		case "upsert":
			err = g.batchWrite(ctx, d, "upsert", chunk)
		case "update", "add":
			var exist map[string]string
			if exist, err = readRecords(ctx, d, g.objectType, g.idName, chunk); err != nil {
				return err
			}
			var todo []*record
			for _, r := range chunk {
				if _, ok := exist[r.idValue]; ok == (g.mode == "update") {
					todo = append(todo, r)
				}
			}
			if len(todo) > 0 {
				verb := "update"
				if g.mode == "add" {
					verb = "create"
				}
				err = g.batchWrite(ctx, d, verb, todo)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (g *objectGroup) batchWrite(ctx context.Context, d destkit.Doer, verb string, rs []*record) error {
	w := destkit.NewJSONWriter(make([]byte, 0, 256*len(rs)))
	w.ObjectStart()
	w.Key("inputs")
	w.ArrayStart()
	for _, r := range rs {
		w.ObjectStart()
		if verb != "update" || g.idName != hsObjectID {
			w.StringField("idProperty", g.idName)
		}
		if verb != "create" {
			w.StringField("id", r.idValue)
		}
		w.Key("properties")
		w.ObjectStart()
		var all props
		for _, p := range r.props.list {
			all.set(p)
		}
		for _, p := range r.sens.list {
			all.set(p)
		}
		if verb != "update" {
			all.set(prop{name: g.idName, val: destkit.AppendJSONString(nil, r.idValue)})
		}
		all.write(w)
		w.ObjectEnd()
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	req := destkit.NewJSONRequest(http.MethodPost, objectsURL(g.objectType)+"/batch/"+verb, w.Bytes())
	resp, err := d.Do(ctx, &req)
	if err != nil {
		return err
	}
	ids := recordIDs(resp.Body, g.idName)
	for _, r := range rs {
		r.id = ids[r.idValue]
	}
	return nil
}

// readRecords returns the HubSpot IDs of the records that exist, by their
// identifying value.
func readRecords(ctx context.Context, d destkit.Doer, objectType, idName string, rs []*record) (map[string]string, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 64*len(rs)))
	w.ObjectStart()
	w.Key("properties")
	w.ArrayStart()
	w.String(idName)
	w.ArrayEnd()
	w.StringField("idProperty", idName)
	w.Key("inputs")
	w.ArrayStart()
	for _, r := range rs {
		w.ObjectStart()
		w.StringField("id", r.idValue)
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	req := destkit.NewJSONRequest(http.MethodPost, objectsURL(objectType)+"/batch/read", w.Bytes())
	resp, err := d.Do(ctx, &req)
	if err != nil {
		return nil, err
	}
	return recordIDs(resp.Body, idName), nil
}

// recordIDs maps the identifying property of each returned record to its
// HubSpot ID. Records are matched by value because batch responses are
// not in input order.
func recordIDs(body []byte, idName string) map[string]string {
	v, err := fastjson.ParseBytes(body)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, res := range v.GetArray("results") {
		pv := res.Get("properties", idName)
		if pv == nil {
			continue
		}
		val := string(pv.GetStringBytes())
		if pv.Type() != fastjson.TypeString {
			val = string(destkit.AppendValue(nil, pv))
		}
		out[val] = recordID(res)
	}
	return out
}

// linkRecords adds (or, with archive, removes) the association labels of
// the written records. The other records are looked up, or upserted when
// the association sync mode allows creating them, per object type and
// identifying property in chunks of 100; the associations then go out per
// object type.
func linkRecords(ctx context.Context, d destkit.Doer, fromType string, rs []*record, assocMode string, archive bool) error {
	type target struct{ objectType, idName string }
	var order []target
	byTarget := map[target][]*association{}
	type link struct {
		from string
		a    *association
	}
	var links []link
	for _, r := range rs {
		list := r.assoc
		if archive {
			list = r.disso
		}
		for _, a := range list {
			t := target{a.objectType, a.idName}
			if _, ok := byTarget[t]; !ok {
				order = append(order, t)
			}
			byTarget[t] = append(byTarget[t], a)
			links = append(links, link{r.id, a})
		}
	}
	if len(links) == 0 {
		return nil
	}
	ids := map[target]map[string]string{}
	for _, t := range order {
		var values []string
		seen := map[string]bool{}
		for _, a := range byTarget[t] {
			if !seen[a.idValue] {
				seen[a.idValue] = true
				values = append(values, a.idValue)
			}
		}
		ids[t] = map[string]string{}
		for start := 0; start < len(values); start += maxBatch {
			got, err := findOrCreate(ctx, d, t.objectType, t.idName, values[start:min(start+maxBatch, len(values))], assocMode == "upsert")
			if err != nil {
				return err
			}
			for k, v := range got {
				ids[t][k] = v
			}
		}
	}
	var toOrder []string
	byTo := map[string][]link{}
	for _, l := range links {
		l.a.toID = ids[target{l.a.objectType, l.a.idName}][l.a.idValue]
		if l.a.toID == "" {
			continue
		}
		if _, ok := byTo[l.a.objectType]; !ok {
			toOrder = append(toOrder, l.a.objectType)
		}
		byTo[l.a.objectType] = append(byTo[l.a.objectType], l)
	}
	verb := "create"
	if archive {
		verb = "labels/archive"
	}
	for _, toType := range toOrder {
		ls := byTo[toType]
		for start := 0; start < len(ls); start += maxBatch {
			w := destkit.NewJSONWriter(make([]byte, 0, 128*maxBatch))
			w.ObjectStart()
			w.Key("inputs")
			w.ArrayStart()
			for _, l := range ls[start:min(start+maxBatch, len(ls))] {
				w.ObjectStart()
				w.Key("types")
				w.ArrayStart()
				w.ObjectStart()
				w.StringField("associationCategory", l.a.category)
				w.Key("associationTypeId")
				w.Int(int64(l.a.typeID))
				w.ObjectEnd()
				w.ArrayEnd()
				w.Key("from")
				w.ObjectStart()
				w.StringField("id", l.from)
				w.ObjectEnd()
				w.Key("to")
				w.ObjectStart()
				w.StringField("id", l.a.toID)
				w.ObjectEnd()
				w.ObjectEnd()
			}
			w.ArrayEnd()
			w.ObjectEnd()
			req := destkit.NewJSONRequest(http.MethodPost, apiBase+"/crm/v4/associations/"+url.PathEscape(fromType)+"/"+
				url.PathEscape(toType)+"/batch/"+verb, w.Bytes())
			if _, err := d.Do(ctx, &req); err != nil {
				return err
			}
		}
	}
	return nil
}

// findOrCreate returns the IDs of the records of objectType whose idName
// is one of values, creating the missing ones when create is set.
func findOrCreate(ctx context.Context, d destkit.Doer, objectType, idName string, values []string, create bool) (map[string]string, error) {
	rs := make([]*record, len(values))
	for i, v := range values {
		rs[i] = &record{idValue: v}
	}
	if !create {
		return readRecords(ctx, d, objectType, idName, rs)
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 96*len(values)))
	w.ObjectStart()
	w.Key("inputs")
	w.ArrayStart()
	for _, v := range values {
		w.ObjectStart()
		w.StringField("idProperty", idName)
		w.StringField("id", v)
		w.Key("properties")
		w.ObjectStart()
		w.StringField(idName, v)
		w.ObjectEnd()
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	req := destkit.NewJSONRequest(http.MethodPost, objectsURL(objectType)+"/batch/upsert", w.Bytes())
	resp, err := d.Do(ctx, &req)
	if err != nil {
		return nil, err
	}
	return recordIDs(resp.Body, idName), nil
}
