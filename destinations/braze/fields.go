package braze

import "github.com/actuate/actuate/destinations/destkit"

// Fields shared by several actions. Keys, types and default mappings match
// Segment's definitions so existing mappings keep working.
var (
	externalID = destkit.Field{Key: "external_id", Label: "External User ID", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Your identifier of the user in Braze."}
	externalIDAlt = destkit.Field{Key: "external_id", Label: "External ID", Type: destkit.String, AllowNull: true,
		Description: "External ID to attach the alias to, if the user is known."}
	externalIDAlt2 = destkit.Field{Key: "external_id", Label: "External ID", Type: destkit.String, Required: true,
		Description: "External ID the alias-only user should be merged into."}
	userAlias = destkit.Field{Key: "user_alias", Label: "User Alias Object", Type: destkit.Object,
		Description: "Alternative identifier of the user: alias name and label.",
		Properties: []destkit.Field{
			{Key: "alias_name", Label: "Alias Name", Type: destkit.String,
				Description: "Alias name."},
			{Key: "alias_label", Label: "Alias Label", Type: destkit.String,
				Description: "Alias label."},
		}}
	userAliasAlt = destkit.Field{Key: "user_alias", Label: "User Alias Object", Type: destkit.Object, Required: true,
		Description: "Alias of the user to identify.",
		Properties:  []destkit.Field{aliasName, aliasLabel}}
	email = destkit.Field{Key: "email", Label: "Email", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
		Description: "Email of the user; identifies the user when no other ID is given."}
	emailAlt = destkit.Field{Key: "email", Label: "Email", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.traits.email"}`,
		Description: "Email address of the user."}
	emailAlt2 = destkit.Field{Key: "email", Label: "Email", Type: destkit.String,
		Default:     `{"@path":"$.traits.email"}`,
		Description: "Email of the user; identifies the user when no other ID is given."}
	brazeID = destkit.Field{Key: "braze_id", Label: "Braze User Identifier", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.properties.braze_id"}`,
		Description: "Braze's own identifier of the user."}
	name = destkit.Field{Key: "name", Label: "Event Name", Type: destkit.String, Required: true,
		Default:     `{"@path":"$.event"}`,
		Description: "Name of the event."}
	timeField = destkit.Field{Key: "time", Label: "Time", Type: destkit.Datetime, Required: true,
		Default:     `{"@path":"$.receivedAt"}`,
		Description: "When the event happened."}
	timeFieldAlt = destkit.Field{Key: "time", Label: "Time", Type: destkit.Datetime, Required: true,
		Default:     `{"@path":"$.receivedAt"}`,
		Description: "When the purchase happened."}
	properties = destkit.Field{Key: "properties", Label: "Event Properties", Type: destkit.Object,
		Default:     `{"@path":"$.properties"}`,
		Description: "Properties of the event."}
	propertiesAlt = destkit.Field{Key: "properties", Label: "Event Properties", Type: destkit.Object,
		Default:     `{"@path":"$.properties"}`,
		Description: "Properties of the purchase, sent with every product."}
	updateExistingOnly = destkit.Field{Key: "_update_existing_only", Label: "Update Existing Only", Type: destkit.Boolean,
		Default:     `false`,
		Description: "Only update existing users; do not create new ones."}
	enableBatching = destkit.Field{Key: "enable_batching", Label: "Batch Data to Braze", Type: destkit.Boolean,
		Default:     `true`,
		Description: "Send events in batches."}
	batchSize = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number,
		Default:     `75`,
		Description: "Largest number of events per batch."}
	country = destkit.Field{Key: "country", Label: "Country", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.context.location.country"}`,
		Description: "Country of the user."}
	currentLocation = destkit.Field{Key: "current_location", Label: "Current Location", Type: destkit.Object, AllowNull: true,
		Default:     `{"latitude":{"@path":"$.context.location.latitude"},"longitude":{"@path":"$.context.location.longitude"}}`,
		Description: "Last known coordinates of the user.",
		Properties: []destkit.Field{
			{Key: "latitude", Label: "Latitude", Type: destkit.Number,
				Description: "Latitude."},
			{Key: "longitude", Label: "Longitude", Type: destkit.Number,
				Description: "Longitude."},
		}}
	dateOfFirstSession = destkit.Field{Key: "date_of_first_session", Label: "Date of First Session", Type: destkit.Datetime, AllowNull: true,
		Description: "When the user first used the app."}
	dateOfLastSession = destkit.Field{Key: "date_of_last_session", Label: "Date of Last Session", Type: destkit.Datetime, AllowNull: true,
		Description: "When the user last used the app."}
	dob = destkit.Field{Key: "dob", Label: "Date of Birth", Type: destkit.Datetime, AllowNull: true,
		Description: "Date of birth."}
	emailSubscribe = destkit.Field{Key: "email_subscribe", Label: "Email Subscribe", Type: destkit.String,
		Description: "Email subscription state: opted_in, subscribed or unsubscribed."}
	emailOpenTrackingDisabled = destkit.Field{Key: "email_open_tracking_disabled", Label: "Email Open Tracking Disabled", Type: destkit.Boolean,
		Description: "Stop tracking email opens for this user."}
	emailClickTrackingDisabled = destkit.Field{Key: "email_click_tracking_disabled", Label: "Email Click Tracking Disabled", Type: destkit.Boolean,
		Description: "Stop tracking email clicks for this user."}
	facebook = destkit.Field{Key: "facebook", Label: "Facebook Attribution Data", Type: destkit.Object,
		Description: "Facebook details of the user.",
		Properties: []destkit.Field{
			{Key: "id", Label: "Facebook ID", Type: destkit.String,
				Description: "Facebook user ID."},
			{Key: "likes", Label: "Facebook Likes", Type: destkit.String, Multiple: true,
				Description: "Pages the user likes."},
			{Key: "num_friends", Label: "Facebook Number of Friends", Type: destkit.Integer,
				Description: "Number of friends."},
		}}
	firstName = destkit.Field{Key: "first_name", Label: "First Name", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.traits.firstName"}`,
		Description: "First name."}
	gender = destkit.Field{Key: "gender", Label: "Gender", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.traits.gender"}`,
		Description: "Gender: M, F, O, N or P (full words are converted)."}
	homeCity = destkit.Field{Key: "home_city", Label: "Home City", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.traits.address.city"}`,
		Description: "Home city."}
	imageURL = destkit.Field{Key: "image_url", Label: "Image URL", Type: destkit.String, AllowNull: true, Format: "uri",
		Default:     `{"@path":"$.traits.avatar"}`,
		Description: "URL of the user's avatar."}
	language = destkit.Field{Key: "language", Label: "Language", Type: destkit.String, AllowNull: true,
		Description: "Language as an ISO 639-1 code."}
	lastName = destkit.Field{Key: "last_name", Label: "Last Name", Type: destkit.String,
		Default:     `{"@path":"$.traits.lastName"}`,
		Description: "Last name."}
	markedEmailAsSpamAt = destkit.Field{Key: "marked_email_as_spam_at", Label: "Marked Email as Spam At", Type: destkit.Datetime, AllowNull: true,
		Description: "When the user marked an email as spam."}
	phone = destkit.Field{Key: "phone", Label: "Phone Number", Type: destkit.String, AllowNull: true,
		Default:     `{"@path":"$.traits.phone"}`,
		Description: "Phone number."}
	pushSubscribe = destkit.Field{Key: "push_subscribe", Label: "Push Subscribe", Type: destkit.String,
		Description: "Push subscription state: opted_in, subscribed or unsubscribed."}
	pushTokens = destkit.Field{Key: "push_tokens", Label: "Push Tokens", Type: destkit.Object, Multiple: true,
		Description: "Push tokens of the user's devices.",
		Properties: []destkit.Field{
			{Key: "app_id", Label: "App ID", Type: destkit.String, Required: true,
				Description: "Braze app the token belongs to."},
			{Key: "token", Label: "Token", Type: destkit.String, Required: true,
				Description: "The push token."},
			{Key: "device_id", Label: "Device ID", Type: destkit.String,
				Description: "Device the token belongs to."},
		}}
	timeZone = destkit.Field{Key: "time_zone", Label: "Time zone", Type: destkit.String,
		Description: "Time zone as an IANA name."}
	twitter = destkit.Field{Key: "twitter", Label: "Twitter Attribution Data", Type: destkit.Object,
		Description: "Twitter details of the user.",
		Properties: []destkit.Field{
			{Key: "id", Label: "Twitter ID", Type: destkit.String,
				Description: "Twitter user ID."},
			{Key: "screen_name", Label: "Twitter Handle", Type: destkit.String,
				Description: "Twitter handle."},
			{Key: "followers_count", Label: "Number of Followers", Type: destkit.Integer,
				Description: "Number of followers."},
			{Key: "friends_count", Label: "Number of Friends", Type: destkit.Integer,
				Description: "Number of accounts followed."},
			{Key: "statuses_count", Label: "Number of Statuses", Type: destkit.Integer,
				Description: "Number of posts."},
		}}
	subscriptionGroups = destkit.Field{Key: "subscription_groups", Label: "Subscription Groups", Type: destkit.Object, Multiple: true,
		Description: "Subscription group states to set.",
		Properties: []destkit.Field{
			{Key: "subscription_group_id", Label: "Subscription Group ID", Type: destkit.String, Required: true,
				Description: "ID of the subscription group."},
			{Key: "subscription_state", Label: "Subscription State", Type: destkit.String, Required: true,
				Choices:     []destkit.Choice{{Value: "subscribed", Label: "Subscribed"}, {Value: "unsubscribed", Label: "Unsubscribed"}},
				Description: "subscribed or unsubscribed."},
		}}
	customAttributes = destkit.Field{Key: "custom_attributes", Label: "Custom Attributes", Type: destkit.Object,
		Default:     `{"@path":"$.traits"}`,
		Description: "Custom attributes of the user."}
	productsField = destkit.Field{Key: "products", Label: "Products", Type: destkit.Object, Required: true, Multiple: true, AdditionalProperties: true,
		Default:     `{"@path":"$.properties.products"}`,
		Description: "Products purchased; each becomes one Braze purchase.",
		Properties: []destkit.Field{
			{Key: "product_id", Label: "Product ID", Type: destkit.String, Required: true,
				Description: "Product identifier."},
			{Key: "currency", Label: "Currency", Type: destkit.String,
				Description: "Currency of the price (ISO 4217)."},
			{Key: "price", Label: "Price", Type: destkit.Number, Required: true,
				Description: "Unit price."},
			{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
				Description: "Quantity purchased."},
		}}
	aliasName = destkit.Field{Key: "alias_name", Label: "Alias Name", Type: destkit.String, Required: true,
		Description: "Alias name."}
	aliasLabel = destkit.Field{Key: "alias_label", Label: "Alias Label", Type: destkit.String, Required: true,
		Description: "Alias label."}
	mergeBehavior = destkit.Field{Key: "merge_behavior", Label: "Merge Behavior", Type: destkit.String,
		Choices:     []destkit.Choice{{Value: "none", Label: "None"}, {Value: "merge", Label: "Merge"}},
		Description: "What to merge from the alias-only user: none or merge."}
)
