package salesforcemarketingcloud

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/url"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// What the V2 actions' hooks and dynamic fields ask SFMC, through the
// instance's credentials:
//   - the hook selects a data extension (GET /data/v1/customobjects/<id>,
//     for its name) or creates one (POST /data/v1/customobjects with the
//     given folder, name and columns) and saves {id, name};
//   - dataExtensionId lists data extensions (GET /data/v1/customobjects),
//     categoryId the data extension folders (a SOAP Retrieve of DataFolder
//     objects on the tenant's SOAP host), keys and values the chosen data
//     extension's primary-key and other columns
//     (GET /data/v1/customobjects/<id>/fields).

// insufficientPermissions is SFMC's errorcode for a package that may write
// rows but not read data extension definitions.
const insufficientPermissions = 20002

// selectOrCreateDataExtension is the V2 hooks' Run.
func selectOrCreateDataExtension(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
	switch string(in.Inputs.GetStringBytes("operation")) {
	case "select":
		return selectDataExtension(ctx, d, in)
	case "create":
		return createDataExtension(ctx, d, in)
	}
	return nil, destkit.ValidationErrorf("operation", "operation must be select or create.")
}

func selectDataExtension(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
	id := string(in.Inputs.GetStringBytes("dataExtensionId"))
	if id == "" {
		return nil, destkit.ValidationErrorf("dataExtensionId", "Selecting a data extension needs its id.")
	}
	u, err := restURL(in.Settings, "/data/v1/customobjects/"+escapePath(id))
	if err != nil {
		return nil, err
	}
	r := destkit.Request{Method: "GET", URL: u}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		// A package allowed to write rows but not to read definitions still
		// delivers: the id is kept, its name unknown.
		if errorCode(resp) == insufficientPermissions {
			return map[string]any{"id": id, "name": "Unknown (Insufficient Authentication Error)"}, nil
		}
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil || len(v.GetStringBytes("id")) == 0 {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "SFMC's data extension answer has no id"}
	}
	return map[string]any{"id": string(v.GetStringBytes("id")), "name": string(v.GetStringBytes("name"))}, nil
}

func createDataExtension(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
	u, err := restURL(in.Settings, "/data/v1/customobjects")
	if err != nil {
		return nil, err
	}
	inputs := in.Inputs
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	for _, k := range []string{"name", "description", "categoryId", "isSendable", "sendableCustomObjectField", "sendableSubscriberField"} {
		w.Field(k, inputs.Get(k))
	}
	w.Key("fields")
	w.ArrayStart()
	for i, c := range inputs.GetArray("columns") {
		w.ObjectStart()
		for _, k := range []string{"name", "type", "isNullable", "isPrimaryKey", "length", "scale"} {
			w.Field(k, c.Get(k))
		}
		w.Key("description")
		w.String(string(c.GetStringBytes("description")))
		w.Key("ordinal")
		w.Int(int64(i))
		for _, k := range []string{"isTemplateField", "isHidden", "isReadOnly", "isInheritable", "isOverridable", "mustOverride"} {
			w.Key(k)
			w.Bool(false)
		}
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", u, w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil || len(v.GetStringBytes("id")) == 0 || len(v.GetStringBytes("key")) == 0 {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "SFMC created no data extension (no id and key in its answer)"}
	}
	return map[string]any{"id": string(v.GetStringBytes("id")), "name": string(inputs.GetStringBytes("name"))}, nil
}

// errorCode reads SFMC's errorcode (a number or a digit string) from an
// error response, 0 when there is none.
func errorCode(resp *destkit.Response) int {
	if resp == nil {
		return 0
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return 0
	}
	if n, err := strconv.Atoi(string(v.GetStringBytes("errorcode"))); err == nil {
		return n
	}
	return v.GetInt("errorcode")
}

// dataExtensionChoices lists the account's data extensions, by id.
func dataExtensionChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	// $search=_ matches every name: SFMC wants a search term.
	u, err := restURL(in.Settings, "/data/v1/customobjects?"+url.Values{"$search": {"_"}}.Encode())
	if err != nil {
		return nil, err
	}
	v, err := getJSON(ctx, d, u)
	if err != nil {
		return nil, err
	}
	var out []destkit.Choice
	for _, it := range v.GetArray("items") {
		out = append(out, destkit.Choice{Value: string(it.GetStringBytes("id")), Label: string(it.GetStringBytes("name"))})
	}
	return out, nil
}

// columnChoices lists the primary-key columns (keys) or the other columns
// (values) of the data extension the mapping's hook chose.
func columnChoices(primaryKey bool) destkit.DynamicChoices {
	return func(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
		id, err := hookedID(in.Payload)
		if err != nil {
			return nil, err
		}
		u, err := restURL(in.Settings, "/data/v1/customobjects/"+escapePath(id)+"/fields")
		if err != nil {
			return nil, err
		}
		v, err := getJSON(ctx, d, u)
		if err != nil {
			return nil, err
		}
		var out []destkit.Choice
		for _, f := range v.GetArray("fields") {
			if f.GetBool("isPrimaryKey") == primaryKey {
				name := string(f.GetStringBytes("name"))
				out = append(out, destkit.Choice{Value: name, Label: name})
			}
		}
		return out, nil
	}
}

func getJSON(ctx context.Context, d destkit.Doer, u string) (*fastjson.Value, error) {
	return destkit.GetJSON(ctx, d, u, "SFMC's answer")
}

// folderRequest retrieves the data extension folders through SFMC's SOAP
// API, the only one that lists them; the token goes in the fueloauth header.
const folderRequest = `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<s:Header><fueloauth xmlns="http://exacttarget.com">` + tokenPlaceholder + `</fueloauth></s:Header>
<s:Body><RetrieveRequestMsg xmlns="http://exacttarget.com/wsdl/partnerAPI"><RetrieveRequest>
<ObjectType>DataFolder</ObjectType><Properties>ID</Properties><Properties>Name</Properties><Properties>ContentType</Properties>
<Filter xsi:type="SimpleFilterPart"><Property>ContentType</Property><SimpleOperator>equals</SimpleOperator><Value>dataextension</Value></Filter>
</RetrieveRequest></RetrieveRequestMsg></s:Body></s:Envelope>`

// folderResponse is the part of the Retrieve answer read.
type folderResponse struct {
	Results []struct {
		ID   string `xml:"ID"`
		Name string `xml:"Name"`
	} `xml:"Body>RetrieveResponseMsg>Results"`
}

// categoryChoices lists the data extension folders. The SOAP body carries
// the token itself: authorize puts it in at send time, so this function
// never holds it.
func categoryChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	sub, err := subdomain(in.Settings)
	if err != nil {
		return nil, err
	}
	r := destkit.Request{Method: "POST", URL: "https://" + sub + ".soap.marketingcloudapis.com/Service.asmx", Body: []byte(folderRequest)}
	r.SetHeader("Content-Type", "text/xml")
	r.SetHeader("SOAPAction", "Retrieve")
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	var fr folderResponse
	if err := xml.Unmarshal(resp.Body, &fr); err != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "SFMC's folder list is not the SOAP answer expected: " + err.Error()}
	}
	out := make([]destkit.Choice, 0, len(fr.Results))
	for _, f := range fr.Results {
		out = append(out, destkit.Choice{Value: f.ID, Label: f.Name})
	}
	return out, nil
}

// tokenPlaceholder marks where a SOAP request's body takes the token.
const tokenPlaceholder = "{{token}}"

// authorize adds the bearer token to every request and, to a SOAP request
// (the folder list), in its fueloauth header too.
func authorize(r *destkit.Request, _ *destkit.Settings, t *destkit.Token) error {
	if t == nil || t.AccessToken == "" {
		return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "no SFMC access token"}
	}
	r.SetHeader("Authorization", "Bearer "+t.AccessToken)
	if r.Header.Get("SOAPAction") != "" {
		var escaped bytes.Buffer
		if err := xml.EscapeText(&escaped, []byte(t.AccessToken)); err != nil {
			return err
		}
		r.Body = bytes.Replace(r.Body, []byte(tokenPlaceholder), escaped.Bytes(), 1)
	}
	return nil
}
