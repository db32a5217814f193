package blackbaudraisersedgenxt

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CreateGift records a gift of a constituent, found or created first from
// the constituent_ fields when they are mapped.
var CreateGift = &destkit.Action{
	Key:                 "createGift",
	Title:               "Create Gift",
	Description:         "Create a gift in Raiser's Edge NXT for a constituent, finding or creating the constituent first when its fields are mapped.",
	DefaultSubscription: `type = "track" and event = "Donation Completed"`,
	Fields: withConstituentFields(
		destkit.Field{Key: "acknowledgement", Label: "Acknowledgement", Type: destkit.Object,
			Default: `{"date":{"@path":"$.properties.acknowledgement.date"},"status":{"@path":"$.properties.acknowledgement.status"}}`,
			Properties: []destkit.Field{
				{Key: "date", Label: "Date", Type: destkit.Datetime,
					Description: "When the gift was acknowledged; sent unless the status is NEEDSACKNOWLEDGEMENT or DONOTACKNOWLEDGE."},
				{Key: "status", Label: "Status", Type: destkit.String,
					Description: "Acknowledgement status (NEEDSACKNOWLEDGEMENT when missing)."},
			},
			Description: "Acknowledgement of the gift."},
		destkit.Field{Key: "amount", Label: "Gift Amount", Type: destkit.Number, Required: true,
			Default:     `{"@path":"$.properties.revenue"}`,
			Description: "Amount of the gift."},
		destkit.Field{Key: "batch_number", Label: "Batch Number", Type: destkit.String,
			Default:     `{"@path":"$.properties.batchNumber"}`,
			Description: "Number of the gift batch the gift belongs to."},
		destkit.Field{Key: "batch_prefix", Label: "Batch Prefix", Type: destkit.String,
			Default:     `{"@path":"$.properties.batchPrefix"}`,
			Description: "Prefix of the gift batch (API when missing)."},
		destkit.Field{Key: "check_date", Label: "Check Date", Type: destkit.Datetime,
			Default:     `{"@path":"$.properties.checkDate"}`,
			Description: "Date of the check, for gifts paid by personal check."},
		destkit.Field{Key: "check_number", Label: "Check Number", Type: destkit.String,
			Default:     `{"@path":"$.properties.checkNumber"}`,
			Description: "Number of the check, for gifts paid by personal check."},
		destkit.Field{Key: "constituency", Label: "Constituency", Type: destkit.String,
			Default:     `{"@path":"$.properties.constituency"}`,
			Description: "Constituency of the gift."},
		destkit.Field{Key: "date", Label: "Gift Date", Type: destkit.Datetime,
			Description: "Date of the gift; now when missing."},
		destkit.Field{Key: "default_fundraiser_credits", Label: "Default Fundraiser Credits", Type: destkit.Boolean,
			Default:     `{"@path":"$.properties.defaultFundraiserCredits"}`,
			Description: "Whether the constituent's fundraisers get credit for the gift."},
		destkit.Field{Key: "default_soft_credits", Label: "Default Soft Credits", Type: destkit.Boolean,
			Default:     `{"@path":"$.properties.defaultSoftCredits"}`,
			Description: "Whether the constituent's relationships get soft credit for the gift."},
		destkit.Field{Key: "fund_id", Label: "Fund ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.fundId"}`,
			Description: "Id of the fund the gift goes to."},
		destkit.Field{Key: "gift_code", Label: "Gift Code", Type: destkit.String,
			Default:     `{"@path":"$.properties.giftCode"}`,
			Description: "Gift code."},
		destkit.Field{Key: "gift_status", Label: "Gift Status", Type: destkit.String,
			Default:     `{"@path":"$.properties.giftStatus"}`,
			Choices:     []destkit.Choice{{Value: "Active", Label: "Active"}, {Value: "Held", Label: "Held"}, {Value: "Terminated", Label: "Terminated"}, {Value: "Completed", Label: "Completed"}, {Value: "Cancelled", Label: "Cancelled"}},
			Description: "Status of a recurring gift."},
		destkit.Field{Key: "is_anonymous", Label: "Is Anonymous", Type: destkit.Boolean,
			Default:     `{"@path":"$.properties.isAnonymous"}`,
			Description: "Whether the gift is anonymous."},
		destkit.Field{Key: "linked_gifts", Label: "Linked Gifts", Type: destkit.String, Multiple: true,
			Description: "Ids of the recurring gifts a recurring gift payment pays."},
		destkit.Field{Key: "lookup_id", Label: "Lookup ID", Type: destkit.String,
			Description: "Your lookup id of the gift."},
		destkit.Field{Key: "payment_method", Label: "Payment Method", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.paymentMethod"}`,
			Choices:     []destkit.Choice{{Value: "Cash", Label: "Cash"}, {Value: "CreditCard", Label: "Credit Card"}, {Value: "PersonalCheck", Label: "Personal Check"}, {Value: "DirectDebit", Label: "Direct Debit"}, {Value: "Other", Label: "Other"}, {Value: "PayPal", Label: "PayPal"}, {Value: "Venmo", Label: "Venmo"}},
			Description: "How the gift was paid."},
		destkit.Field{Key: "post_date", Label: "Post Date", Type: destkit.Datetime,
			Default:     `{"@path":"$.properties.postDate"}`,
			Description: "Date the gift posts to the general ledger; the gift date when the gift is to be posted and none is given."},
		destkit.Field{Key: "post_status", Label: "Post Status", Type: destkit.String,
			Default:     `"NotPosted"`,
			Choices:     []destkit.Choice{{Value: "Posted", Label: "Posted"}, {Value: "NotPosted", Label: "Not Posted"}, {Value: "DoNotPost", Label: "Do Not Post"}},
			Description: "General ledger post status of the gift."},
		destkit.Field{Key: "receipt", Label: "Receipt", Type: destkit.Object,
			Default: `{"date":{"@path":"$.properties.receipt.date"},"status":{"@path":"$.properties.receipt.status"}}`,
			Properties: []destkit.Field{
				{Key: "date", Label: "Date", Type: destkit.Datetime,
					Description: "When the gift was receipted; sent with the RECEIPTED status."},
				{Key: "status", Label: "Status", Type: destkit.String,
					Description: "Receipt status (NEEDSRECEIPT when missing)."},
			},
			Description: "Receipt of the gift."},
		destkit.Field{Key: "recurring_gift_schedule", Label: "Recurring Gift Schedule", Type: destkit.Object,
			Default: `{"end_date":{"@path":"$.properties.recurring_gift_schedule.end_date"},"frequency":{"@path":"$.properties.recurring_gift_schedule.frequency"},"start_date":{"@path":"$.properties.recurring_gift_schedule.start_date"}}`,
			Properties: []destkit.Field{
				{Key: "end_date", Label: "End Date", Type: destkit.Datetime,
					Description: "When the recurring gift ends."},
				{Key: "frequency", Label: "Frequency", Type: destkit.String,
					Description: "How often the recurring gift is paid."},
				{Key: "start_date", Label: "Start Date", Type: destkit.Datetime,
					Description: "When the recurring gift starts."},
			},
			Description: "Schedule of a recurring gift."},
		destkit.Field{Key: "reference", Label: "Reference", Type: destkit.String,
			Default:     `{"@path":"$.properties.reference"}`,
			Description: "Reference note of the gift."},
		destkit.Field{Key: "subtype", Label: "Subtype", Type: destkit.String,
			Default:     `{"@path":"$.properties.subtype"}`,
			Description: "Subtype of the gift."},
		destkit.Field{Key: "type", Label: "Type", Type: destkit.String,
			Default:     `"Donation"`,
			Choices:     []destkit.Choice{{Value: "Donation", Label: "Donation"}, {Value: "Other", Label: "Other"}, {Value: "GiftInKind", Label: "GiftInKind"}, {Value: "RecurringGift", Label: "RecurringGift"}, {Value: "RecurringGiftPayment", Label: "RecurringGiftPayment"}},
			Description: "Type of the gift."},
	),
	Run: ofConstituent(giftsAPI+"/gifts", giftData),
}

// giftKeys are the gift's own members, in Segment's order; only truthy
// values are sent.
var giftKeys = []string{"constituency", "constituent_id", "date", "default_fundraiser_credits", "default_soft_credits", "gift_code",
	"gift_status", "is_anonymous", "is_manual", "lookup_id", "post_date", "post_status", "reference", "subtype", "type"}

// giftData is the body of a new gift of constituent id.
func giftData(id *fastjson.Value, p *fastjson.Value) []byte {
	amount := destkit.NewJSONWriter(nil)
	amount.ObjectStart()
	amount.Field("value", p.Get("amount"))
	amount.ObjectEnd()

	var g destkit.JSObject
	g.Set("amount", amount.Bytes())
	for _, k := range giftKeys {
		switch v := p.Get(k); {
		case k == "constituent_id":
			if destkit.Truthy(id) {
				g.SetValue(k, id)
			}
		case k == "is_manual":
			g.Set(k, []byte("true"))
		case destkit.Truthy(v):
			g.SetValue(k, v)
		}
	}
	if b := p.Get("batch_number"); destkit.Truthy(b) {
		g.SetValue("batch_number", b)
		if prefix := p.Get("batch_prefix"); destkit.Truthy(prefix) {
			g.SetValue("batch_prefix", prefix)
		} else {
			g.SetString("batch_prefix", "API")
		}
	}
	if !g.Has("date") {
		g.SetString("date", destkit.JSISOString(now()))
	}
	if ack := p.Get("acknowledgement"); destkit.Truthy(ack) {
		g.Set("acknowledgements", statusList(ack, "NEEDSACKNOWLEDGEMENT", func(status string) bool {
			return status != "NEEDSACKNOWLEDGEMENT" && status != "DONOTACKNOWLEDGE"
		}))
	}
	split := destkit.NewJSONWriter(nil)
	split.ArrayStart()
	split.ObjectStart()
	split.Key("amount")
	split.Raw(amount.Bytes())
	split.Field("fund_id", p.Get("fund_id"))
	split.ObjectEnd()
	split.ArrayEnd()
	g.Set("gift_splits", split.Bytes())
	g.Set("payments", payments(p))
	if ps := string(p.GetStringBytes("post_status")); (ps == "NotPosted" || ps == "Posted") && !g.Has("post_date") {
		g.SetValue("post_date", p.Get("date"))
	}
	if rc := p.Get("receipt"); destkit.Truthy(rc) {
		g.Set("receipts", statusList(rc, "NEEDSRECEIPT", func(status string) bool { return status == "RECEIPTED" }))
	}
	switch string(p.GetStringBytes("type")) {
	case "RecurringGift":
		if s := p.Get("recurring_gift_schedule"); destkit.Truthy(s) {
			w := destkit.NewJSONWriter(nil)
			w.ObjectStart()
			w.Field("end_date", s.Get("end_date"))
			for _, k := range []string{"frequency", "start_date"} {
				w.Key(k)
				if v := s.Get(k); destkit.Truthy(v) {
					w.Value(v)
				} else {
					w.String("")
				}
			}
			w.ObjectEnd()
			g.Set("recurring_gift_schedule", w.Bytes())
		}
	case "RecurringGiftPayment":
		if lg := p.Get("linked_gifts"); destkit.Truthy(lg) {
			g.SetValue("linked_gifts", lg)
		}
	}
	return g.AppendJSON(nil)
}

// statusList is an acknowledgement or receipt: its status (def when
// missing) and, when withDate allows for that status, its date.
func statusList(v *fastjson.Value, def string, withDate func(status string) bool) []byte {
	status := def
	if s := v.Get("status"); destkit.Truthy(s) {
		status = text(s)
	}
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	w.ObjectStart()
	w.Key("status")
	w.String(status)
	if d := v.Get("date"); withDate(status) && destkit.Truthy(d) {
		w.Field("date", d)
	}
	w.ObjectEnd()
	w.ArrayEnd()
	return w.Bytes()
}

// payments is the one payment of the gift; a personal check carries its
// number and date.
func payments(p *fastjson.Value) []byte {
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	w.ObjectStart()
	w.Field("payment_method", p.Get("payment_method"))
	if string(p.GetStringBytes("payment_method")) == "PersonalCheck" {
		w.Field("check_number", p.Get("check_number"))
		if cd := p.Get("check_date"); destkit.Truthy(cd) {
			if fd := fuzzyDate(cd); fd != nil {
				w.Key("check_date")
				w.Raw(fd)
			}
		}
	}
	w.ObjectEnd()
	w.ArrayEnd()
	return w.Bytes()
}
