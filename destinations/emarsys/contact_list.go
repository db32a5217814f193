package emarsys

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// listMembership is Add to Contact List (op "add") or Remove from Contact
// List (op "delete"): the same fields and the same requests to
// contactlist/<id>/<op>. Segment's single removal also repeats the list
// ID in its body; withListID says so.
func listMembership(a *destkit.Action, op string, withListID bool) *destkit.Action {
	a.Fields = []destkit.Field{contactList, keyField, keyValue}
	a.Batch = &destkit.Batch{MaxSize: batchSize}
	a.Run = func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		p := in.Payload
		list, err := positiveID(p, "contactlistid")
		if err != nil {
			return err
		}
		s, err := requiredStrings(p, "key_field", "key_value")
		if err != nil {
			return err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		if withListID {
			w.Key("contactlistid")
			w.Raw([]byte(list))
		}
		w.StringField("key_id", s[0])
		w.Key("external_ids")
		w.ArrayStart()
		w.String(s[1])
		w.ArrayEnd()
		w.ObjectEnd()
		return send(ctx, d, a.Key, listRequest(list, op, w.Bytes()))
	}
	a.PerformBatch = func(in *destkit.BatchInput) ([]destkit.Request, error) {
		groups := groupBatch(in, func(p *fastjson.Value) (string, error) {
			list, err := positiveID(p, "contactlistid")
			if err != nil {
				return "", err
			}
			s, err := requiredStrings(p, "key_field", "key_value")
			if err != nil {
				return "", err
			}
			return list + "-" + s[0], nil
		})
		reqs := make([]destkit.Request, 0, len(groups))
		for _, g := range groups {
			var w destkit.JSONWriter
			w.ObjectStart()
			w.Field("key_id", g.first.Get("key_field"))
			w.Key("external_ids")
			w.ArrayStart()
			for _, i := range g.events {
				w.Value(in.Payloads[i].Get("key_value"))
			}
			w.ArrayEnd()
			w.ObjectEnd()
			list, _ := positiveID(g.first, "contactlistid")
			r := listRequest(list, op, w.Bytes())
			r.Events = g.events
			reqs = append(reqs, r)
		}
		return reqs, nil
	}
	a.BatchStatus = batchStatus(a.Key)
	return a
}

func listRequest(list, op string, body []byte) destkit.Request {
	return destkit.NewJSONRequest("POST", apiBase+"contactlist/"+list+"/"+op, body)
}

// AddToContactList adds existing contacts to a contact list.
var AddToContactList = listMembership(&destkit.Action{
	Key:         "addToContactList",
	Title:       "Add to Contact List",
	Description: "Add a contact to an Emarsys contact list; the contact must already exist.",
}, "add", false)

// RemoveFromContactList removes contacts from a contact list.
var RemoveFromContactList = listMembership(&destkit.Action{
	Key:         "removeFromContactList",
	Title:       "Remove from Contact List",
	Description: "Remove a contact from an Emarsys contact list.",
}, "delete", true)
