package revx

import "github.com/actuate/actuate/destinations/destkit"

// SendRevxPing sends one event to RevX.
var SendRevxPing = &destkit.Action{
	Key:                 "sendRevxPing",
	Title:               "Send Revx Ping",
	Description:         "Send an event to RevX with its device, app, location, user and product details.",
	DefaultSubscription: `type = "track" or type ="screen"`,
	Fields: []destkit.Field{
		{Key: "os", Label: "Platform", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.context.device.type"}`,
			Description: "Platform of the device (ios, android, …)."},
		{Key: "advertising_id", Label: "Identifier For Advertiser (IDFA/GAID)", Type: destkit.String,
			Default:     `{"@path":"$.context.device.advertisingId"}`,
			Description: "Advertising identifier of the device (IDFA or GAID)."},
		{Key: "event_name", Label: "Event name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.name"},"then":{"@path":"$.name"},"else":{"@path":"$.event"}}}`,
			Description: "Name of the event: the screen name, or the track event."},
		{Key: "type", Label: "Request type", Type: destkit.String,
			Default:     `{"@path":"$.type"}`,
			Description: "Type of the Segment call (track or screen)."},
		{Key: "idfv", Label: "Identifier For Vendor (IDFV)", Type: destkit.String,
			Default:     `{"@path":"$.context.device.id"}`,
			Description: "Vendor identifier of the device (IDFV, or the Android device ID)."},
		{Key: "time", Label: "Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; RevX uses the upload time when empty."},
		{Key: "event_properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "user_properties", Label: "User Properties", Type: destkit.Object,
			Default:     `{"@path":"$.context.traits"}`,
			Description: "Traits of the user."},
		{Key: "app_version", Label: "App Version", Type: destkit.String,
			Default:     `{"@path":"$.context.app.version"}`,
			Description: "Version of the app."},
		{Key: "os_name", Label: "OS Name", Type: destkit.String,
			Default:     `{"@path":"$.context.os.name"}`,
			Description: "Name of the operating system or browser."},
		{Key: "os_version", Label: "OS Version", Type: destkit.String,
			Default:     `{"@path":"$.context.os.version"}`,
			Description: "Version of the operating system or browser."},
		{Key: "device_brand", Label: "Device Brand", Type: destkit.String,
			Default:     `{"@path":"$.context.device.brand"}`,
			Description: "Brand of the device."},
		{Key: "device_manufacturer", Label: "Device Manufacturer", Type: destkit.String,
			Default:     `{"@path":"$.context.device.manufacturer"}`,
			Description: "Manufacturer of the device."},
		{Key: "device_model", Label: "Device Model", Type: destkit.String,
			Default:     `{"@path":"$.context.device.model"}`,
			Description: "Model of the device."},
		{Key: "carrier", Label: "Carrier", Type: destkit.String,
			Default:     `{"@path":"$.context.network.carrier"}`,
			Description: "Mobile carrier of the device."},
		{Key: "country", Label: "Country", Type: destkit.String,
			Default:     `{"@path":"$.context.location.country"}`,
			Description: "Country of the user."},
		{Key: "region", Label: "Region", Type: destkit.String,
			Default:     `{"@path":"$.context.location.region"}`,
			Description: "Region of the user."},
		{Key: "city", Label: "City", Type: destkit.String,
			Default:     `{"@path":"$.context.location.city"}`,
			Description: "City of the user."},
		{Key: "dma", Label: "Designated Market Area", Type: destkit.String,
			Description: "Designated Market Area of the user."},
		{Key: "language", Label: "Language", Type: destkit.String,
			Default:     `{"@path":"$.context.locale"}`,
			Description: "Language of the user (locale)."},
		{Key: "product", Label: "Product", Type: destkit.Object, AdditionalProperties: true,
			Default:     `{"price":{"@path":"$.properties.price"},"quantity":{"@path":"$.properties.quantity"},"productId":{"@path":"$.properties.product_id"}}`,
			Properties:  productProperties(),
			Description: "The product viewed or added to the cart."},
		{Key: "products", Label: "Products", Type: destkit.Object, Multiple: true, AdditionalProperties: true,
			Default:     `{"@arrayPath":["$.properties.products",{"price":{"@path":"price"},"quantity":{"@path":"quantity"},"productId":{"@path":"product_id"}}]}`,
			Properties:  productProperties(),
			Description: "The products of the order."},
		{Key: "location_lat", Label: "Latitude", Type: destkit.Number,
			Default:     `{"@path":"$.context.location.latitude"}`,
			Description: "Latitude of the user."},
		{Key: "location_lng", Label: "Longtitude", Type: destkit.Number,
			Default:     `{"@path":"$.context.location.longitude"}`,
			Description: "Longitude of the user."},
		{Key: "ip", Label: "IP Address", Type: destkit.String,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the user."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if len(p.GetStringBytes("os")) == 0 {
			return nil, destkit.ValidationErrorf("os", "The field \"os\" is required.")
		}
		// {...settings, ...payload}
		var body destkit.JSObject
		body.SetString("client_id", in.Settings.Str("client_id"))
		body.Assign(p, nil)
		return []destkit.Request{destkit.NewJSONRequest("POST", pingURL, body.AppendJSON(nil))}, nil
	},
}

// productProperties are the members of a product, which may carry others.
func productProperties() []destkit.Field {
	return []destkit.Field{
		{Key: "price", Label: "Price", Type: destkit.Number,
			Description: "Price of the product; negative for refunds."},
		{Key: "quantity", Label: "Quantity", Type: destkit.Integer,
			Description: "Quantity of the product (1 when absent)."},
		{Key: "productId", Label: "Product ID", Type: destkit.String,
			Description: "ID of the product."},
	}
}
