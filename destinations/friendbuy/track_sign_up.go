package friendbuy

import "github.com/actuate/actuate/destinations/destkit"

// TrackSignUp records an account sign-up, which Friendbuy credits to the
// referral that led to it.
var TrackSignUp = &destkit.Action{
	Key:         "trackSignUp",
	Title:       "Track Sign Up",
	Description: "Record an account sign-up in Friendbuy, credited to the referral that led to it.",
	Fields: withContext(append(eventCustomerFields(true),
		destkit.Field{Key: "coupon", Label: "Coupon Code", Type: destkit.String,
			Default:     `{"@path":"$.properties.coupon"}`,
			Description: "Coupon code used."},
		attributionIDField,
		referralCodeField,
		attributesField("$.properties.friendbuyAttributes"))...),
	Run: run(signUpMapping, "", "v1/event/account-sign-up"),
}

// signUpMapping is how a sign-up is sent.
var signUpMapping = &mapping{additional: true, members: members(map[string]member{
	"coupon":        {name: "couponCode"},
	"attributionId": keep,
	"referralCode":  keep,
	"customerId":    {convert: toString},
	"email":         keep,
	"isNewCustomer": keep,
	"loyaltyStatus": keep,
	"firstName":     keep,
	"lastName":      keep,
	"age":           {convert: toInteger},
	"birthday":      {convert: toDate},
})}
