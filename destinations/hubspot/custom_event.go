package hubspot

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CustomEvent ("Custom Event V2") sends a custom event, first defining the
// event and any new properties in HubSpot when the sync mode allows it.
var CustomEvent = &destkit.Action{
	Key:         "customEvent",
	Title:       "Custom Event V2",
	Description: "Send a custom event to HubSpot, creating the event definition and its properties when they are missing.",
	Fields: []destkit.Field{
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true, Dynamic: customEventChoices,
			Description: "Name of the event; it is lower-cased and characters other than letters, digits, - and _ become _."},
		{Key: "record_details", Label: "Associated Record Details", Type: destkit.Object, Required: true,
			Description: "The record the event happened to.",
			Properties: []destkit.Field{
				{Key: "object_type", Label: "Object Type", Type: destkit.String, Required: true, Dynamic: eventObjectTypeChoices,
					Description: "Object type of the record (contact, company, deal, ticket or a custom object)."},
				{Key: "object_id", Label: "Object ID", Type: destkit.Number,
					Description: "HubSpot ID of the record; required for every object type but contact."},
				{Key: "email", Label: "Email Address", Type: destkit.String, Format: "email",
					Default:     `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}`,
					Description: "Email of the contact; only used for contacts."},
				{Key: "utk", Label: "User Token / UTK", Type: destkit.String,
					Description: "HubSpot tracking cookie (hubspotutk) of the contact; only used for contacts."},
			}},
		{Key: "properties", Label: "Properties", Type: destkit.Object, AdditionalProperties: true,
			Description: "Event properties; missing ones are added to the event definition with a type inferred from the value."},
		{Key: "occurred_at", Label: "Event Timestamp", Type: destkit.Datetime, Default: `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
	},
	Run: customEvent,
}

// eventDefinition is what the cache knows of an event definition: its
// fully qualified name (pe<portal>_<name>) and the HubSpot type of each
// property, "archived" for properties that can no longer be written.
type eventDefinition struct {
	fqn   string
	props map[string]string
}

var eventCache = newSchemaCache[eventDefinition](2000, time.Hour)

const archived = "archived"

func customEvent(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	mode := string(p.GetStringBytes(destkit.SyncModeKey))
	switch mode {
	case "", "upsert", "add", "update":
		// Without a sync mode nothing is off limits, as in Segment.
	default:
		return destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use upsert, add or update.", mode)
	}
	rd := p.Get("record_details")
	objectType := string(rd.GetStringBytes("object_type"))
	objectID := rd.Get("object_id")
	contact := objectType == "contact"
	if !contact && objectID == nil {
		return destkit.ValidationErrorf("record_details.object_id", "Object ID is required for %s records.", objectType)
	}
	if contact && objectID == nil && len(rd.GetStringBytes("email")) == 0 && len(rd.GetStringBytes("utk")) == 0 {
		return destkit.ValidationErrorf("record_details", "A contact event needs an Object ID, an email or a user token.")
	}
	name := eventName(string(p.GetStringBytes("event_name")))
	ps, err := cleanProperties(p.GetObject("properties"), true)
	if err != nil {
		return err
	}

	key := cacheKey{settings: in.Settings, name: name}
	def, ok := eventCache.get(key)
	var missing []prop
	if ok {
		if missing, err = reconcile(&ps, def); err != nil {
			return err
		}
	}
	if !ok || len(missing) > 0 {
		found, err := readEventDefinition(ctx, d, name)
		if err != nil {
			return err
		}
		if found == nil {
			if mode == "update" {
				return &destkit.IntegrationError{Code: "HUBSPOT_SCHEMA_MISSING",
					Message: "Event " + name + " is not defined in HubSpot, and the sync mode (update) does not allow creating it."}
			}
			missing = append([]prop(nil), ps.list...)
			if def, err = createEventDefinition(ctx, d, name, objectType, missing); err != nil {
				return err
			}
		} else {
			def = *found
			if missing, err = reconcile(&ps, def); err != nil {
				return err
			}
			if len(missing) > 0 {
				if mode == "add" {
					return &destkit.IntegrationError{Code: "HUBSPOT_SCHEMA_PROPERTIES_MISSING",
						Message: "Event " + name + " lacks properties the event carries, and the sync mode (add) does not allow adding them."}
				}
				if def, err = addEventProperties(ctx, d, def, missing); err != nil {
					return err
				}
			}
		}
		eventCache.put(key, def)
	}

	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.StringField("eventName", def.fqn)
	w.Field("objectId", objectID)
	if contact {
		w.Field("email", rd.Get("email"))
		w.Field("utk", rd.Get("utk"))
	}
	w.Field("occurredAt", p.Get("occurred_at"))
	w.Key("properties")
	w.ObjectStart()
	ps.write(w)
	w.ObjectEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/events/v3/send", w.Bytes())
	_, err = d.Do(ctx, &r)
	return err
}

// eventName makes a HubSpot event name: lower case, with anything but
// letters, digits, "_" and "-" replaced by "_".
func eventName(s string) string {
	b := []byte(strings.ToLower(s))
	out := b[:0]
	for _, r := range string(b) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			out = append(out, byte(r))
		} else if r > 0xFFFF {
			out = append(out, '_', '_')
		} else {
			out = append(out, '_')
		}
	}
	return string(out)
}

// reconcile fits the event's values to the definition's property types
// and returns the properties the definition lacks. A number sent to a
// text property is sent as text, and text to a number property as a
// number, since HubSpot's types win once a property exists; values no
// conversion can fit are refused before anything is sent.
func reconcile(ps *props, def eventDefinition) ([]prop, error) {
	var missing []prop
	for i := range ps.list {
		p := &ps.list[i]
		t, ok := def.props[p.name]
		if !ok {
			missing = append(missing, *p)
			continue
		}
		switch {
		case t == archived:
			return nil, destkit.ValidationErrorf("properties", "Property %s of event %s is archived in HubSpot.", p.name, def.fqn)
		case t == "number" && p.kind == kindBool:
			return nil, destkit.ValidationErrorf("properties", "Property %s is a number in HubSpot, but the event sends a boolean.", p.name)
		case t == "number" && p.kind != kindNumber:
			s := fastjson.GetString(append([]byte(`{"v":`), append(p.val, '}')...), "v")
			f, ok := 0.0, true
			if strings.TrimSpace(s) != "" {
				f, ok = jsNumber(strings.TrimSpace(s))
			}
			if !ok {
				return nil, destkit.ValidationErrorf("properties", "Property %s is a number in HubSpot, but the event sends %q.", p.name, s)
			}
			p.val, p.kind = destkit.AppendJSNumber(nil, f), kindNumber
		case p.kind == kindNumber && t == "string":
			p.val, p.kind = destkit.AppendJSONString(nil, string(p.val)), kindString
		case p.kind == kindNumber && t != "number":
			return nil, destkit.ValidationErrorf("properties", "Property %s is of type %s in HubSpot, but the event sends a number.", p.name, t)
		}
	}
	return missing, nil
}

// readEventDefinition returns the definition of name, or nil when HubSpot
// has none (or only an archived one).
func readEventDefinition(ctx context.Context, d destkit.Doer, name string) (*eventDefinition, error) {
	r := destkit.Request{Method: http.MethodGet, URL: apiBase + "/events/v3/event-definitions/" + url.PathEscape(name) + "/?includeProperties=true"}
	resp, err := d.Do(ctx, &r)
	switch status(err) {
	case 0:
	case http.StatusBadRequest, http.StatusNotFound:
		return nil, nil
	default:
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "UNKNOWN_ERROR", Message: "HubSpot's event definition is not valid JSON", Retryable: true}
	}
	if v.GetBool("archived") {
		return nil, nil
	}
	def := &eventDefinition{fqn: string(v.GetStringBytes("fullyQualifiedName")), props: map[string]string{}}
	for _, hp := range v.GetArray("properties") {
		t := string(hp.GetStringBytes("type"))
		if hp.GetBool("archived") {
			t = archived
		}
		def.props[string(hp.GetStringBytes("name"))] = t
	}
	return def, nil
}

// eventPropertyType is the HubSpot type a new property gets.
func eventPropertyType(k kind) string {
	switch k {
	case kindNumber:
		return "number"
	case kindBool:
		return "enumeration"
	case kindDate, kindDatetime:
		return "datetime"
	default:
		return "string"
	}
}

func writeEventProperty(w *destkit.JSONWriter, p prop) {
	w.ObjectStart()
	w.StringField("name", p.name)
	w.StringField("label", p.name)
	w.StringField("type", eventPropertyType(p.kind))
	w.StringField("description", p.name+createdBy)
	if p.kind == kindBool {
		w.Key("options")
		w.Raw([]byte(`[{"label":"true","value":true,"hidden":false,"description":"True","displayOrder":1},` +
			`{"label":"false","value":false,"hidden":false,"description":"False","displayOrder":2}]`))
	}
	w.ObjectEnd()
}

// errDefinitionRace is returned when another sender is creating the same
// definition: the event goes again once that has finished.
var errDefinitionRace = &destkit.RetryableError{Err: errors.New("the HubSpot event definition is being created by another sender")}

func createEventDefinition(ctx context.Context, d destkit.Doer, name, primaryObject string, ps []prop) (eventDefinition, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.StringField("label", name)
	w.StringField("name", name)
	w.StringField("description", name+createdBy)
	w.StringField("primaryObject", primaryObject)
	w.Key("propertyDefinitions")
	w.ArrayStart()
	for _, p := range ps {
		writeEventProperty(w, p)
	}
	w.ArrayEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/events/v3/event-definitions", w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		if alreadyExists(err) {
			return eventDefinition{}, errDefinitionRace
		}
		return eventDefinition{}, err
	}
	def := eventDefinition{fqn: fastjson.GetString(resp.Body, "fullyQualifiedName"), props: make(map[string]string, len(ps))}
	if def.fqn == "" {
		return eventDefinition{}, &destkit.IntegrationError{Code: "UNKNOWN_ERROR", Message: "HubSpot created the event definition but returned no name for it", Retryable: true}
	}
	for _, p := range ps {
		def.props[p.name] = eventPropertyType(p.kind)
	}
	return def, nil
}

// addEventProperties adds ps to the definition and returns the definition
// the cache should hold from then on (a copy: the old one may be in use).
func addEventProperties(ctx context.Context, d destkit.Doer, def eventDefinition, ps []prop) (eventDefinition, error) {
	out := eventDefinition{fqn: def.fqn, props: make(map[string]string, len(def.props)+len(ps))}
	for k, v := range def.props {
		out.props[k] = v
	}
	for _, p := range ps {
		w := destkit.NewJSONWriter(make([]byte, 0, 128))
		writeEventProperty(w, p)
		r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/events/v3/event-definitions/"+url.PathEscape(def.fqn)+"/property", w.Bytes())
		// A property another sender added first is just as good.
		if _, err := d.Do(ctx, &r); err != nil && !alreadyExists(err) {
			return eventDefinition{}, err
		}
		out.props[p.name] = eventPropertyType(p.kind)
	}
	return out, nil
}

// alreadyExists reports HubSpot's 409 for defining something that exists.
func alreadyExists(err error) bool {
	api, ok := asAPIError(err)
	return ok && api.Status == http.StatusConflict && strings.Contains(fastjson.GetString(api.Body, "message"), "already exists")
}
