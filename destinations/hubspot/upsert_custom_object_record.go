package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpsertCustomObjectRecord creates or updates a record of any object type
// found by search fields, optionally associating it with one other record.
var UpsertCustomObjectRecord = &destkit.Action{
	Key:         "upsertCustomObjectRecord",
	Title:       "Upsert Custom Object Record",
	Description: "Create a HubSpot record of a custom or standard object, or update the one matching the search fields.",
	Fields: []destkit.Field{
		{Key: "createNewCustomRecord", Label: "Create Custom Object Record if Not Found", Type: destkit.Boolean, Default: `true`, Description: "Create the record when the search fields find none."},
		{Key: "customObjectSearchFields", Label: "Custom Object Search Fields", Type: destkit.Object, Description: "Properties that identify an existing record; any one matching counts."},
		{Key: "objectType", Label: "Object Type", Type: destkit.String, Required: true, Dynamic: recordObjectTypes("toObjectType", recordTypes...), Description: "Object type of the record: a custom object's fully qualified name or a standard object."},
		{Key: "properties", Label: "Properties", Type: destkit.Object, Required: true, Description: "Properties of the record, keyed by their HubSpot internal names."},
		{Key: "searchFieldsToAssociateCustomObjects", Label: "Search Fields to Associate custom Object", Type: destkit.Object, Description: "Properties that find the one record to associate with; any one matching counts."},
		{Key: "toObjectType", Label: "ObjectType to associate", Type: destkit.String, Dynamic: recordObjectTypes("objectType", recordToTypes...), Description: "Object type of the record to associate with."},
		{Key: "associationLabel", Label: "Association Label", Type: destkit.String, Dynamic: recordAssociationLabels, Description: "Association type as category:typeId, e.g. USER_DEFINED:12."},
	},
	Run: upsertCustomObjectRecord,
}

var (
	errCustomSearch = &destkit.IntegrationError{Code: "Custom Search Failed",
		Message: "HubSpot refused the record search; check that every Custom Object Search Field is a property defined in HubSpot."}
	errManyRecords = &destkit.IntegrationError{Code: "Search Criteria Not Unique",
		Message: "The Custom Object Search Fields matched more than one record, so none was updated."}
	errAssociateSearch = &destkit.IntegrationError{Code: "Custom Search To Associate Failed",
		Message: "HubSpot refused the search for the record to associate; check that every Search Field to Associate is a property defined in HubSpot."}
	errManyToAssociate = &destkit.IntegrationError{Code: "Associate Search Criteria Not Unique",
		Message: "The record was written, but the Search Fields to Associate matched more than one record, so no association was made."}
)

func upsertCustomObjectRecord(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	objectType := string(p.GetStringBytes("objectType"))
	var found searchResult
	if sf := p.GetObject("customObjectSearchFields"); sf != nil && sf.Len() > 0 {
		var err error
		if found, err = search(ctx, d, objectType, sf, nil, nil, errCustomSearch); err != nil {
			return err
		}
	}
	// The record to associate with is looked up before the write so that
	// a new record can be created already associated, in one call.
	category, typeID, hasType := associationType(p)
	toType := string(p.GetStringBytes("toObjectType"))
	var to searchResult
	if af := p.GetObject("searchFieldsToAssociateCustomObjects"); hasType && toType != "" && af != nil && af.Len() > 0 {
		var err error
		if to, err = search(ctx, d, toType, af, nil, nil, errAssociateSearch); err != nil {
			return err
		}
	}
	assocType := `{"associationCategory":` + jsonString(category) + `,"associationTypeId":` + strconv.Itoa(typeID) + `}`

	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	writeFlattened(w, p.GetObject("properties"))
	w.ObjectEnd()
	props := w.Bytes()
	switch {
	case found.total == 0:
		create := true
		if v := p.Get("createNewCustomRecord"); v != nil {
			create = v.GetBool()
		}
		if !create {
			return nil
		}
		var assoc []byte
		if to.total == 1 {
			assoc = []byte(`{"to":{"id":` + jsonString(to.ids[0]) + `},"types":[` + assocType + `]}`)
		}
		r := destkit.NewJSONRequest(http.MethodPost, objectsURL(objectType), createBody(props, assoc))
		if _, err := d.Do(ctx, &r); err != nil {
			return err
		}
	case found.total > 1:
		return errManyRecords
	default:
		r := destkit.NewJSONRequest(http.MethodPatch, objectsURL(objectType)+"/"+url.PathEscape(found.ids[0]), wrapProperties(props))
		if _, err := d.Do(ctx, &r); err != nil {
			return err
		}
		if to.total == 1 {
			a := destkit.NewJSONRequest(http.MethodPut, apiBase+"/crm/v4/objects/"+url.PathEscape(objectType)+"/"+url.PathEscape(found.ids[0])+
				"/associations/"+url.PathEscape(toType)+"/"+url.PathEscape(to.ids[0]), []byte("["+assocType+"]"))
			if _, err := d.Do(ctx, &a); err != nil {
				return err
			}
		}
	}
	if to.total > 1 {
		return errManyToAssociate
	}
	return nil
}

// associationType splits the association label ("CATEGORY:typeId").
func associationType(p *fastjson.Value) (category string, typeID int, ok bool) {
	label := string(p.GetStringBytes("associationLabel"))
	category, id, found := strings.Cut(label, ":")
	if !found {
		return "", 0, false
	}
	n, err := strconv.Atoi(id)
	if err != nil {
		return "", 0, false
	}
	return category, n, true
}
