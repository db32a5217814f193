package blendai

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// SendData is the deprecated first action (see the package doc for what it
// can and cannot send here).
var SendData = &destkit.Action{
	Key:                 "sendData",
	Title:               "[Deprecated] Send Data",
	Description:         "Deprecated: use Track events. Posts the settings and the (empty) mapped payload to Blend's old endpoint.",
	DefaultSubscription: `type = "identify" or type = "page" or type = "screen" or type = "track"`,
	Perform:             sendData,
}

const sendDataURL = "https://segment-api.blnd.ai/sendData"

func sendData(in *destkit.Input) ([]destkit.Request, error) {
	return []destkit.Request{post(sendDataURL, in.Settings, func(w *destkit.JSONWriter) {
		w.Key("payload")
		w.ObjectStart()
		w.Key("settings")
		w.ObjectStart()
		w.Key("apiKey")
		w.String(in.Settings.Str("apiKey"))
		w.ObjectEnd()
		w.Key("payload")
		w.Value(in.Payload)
		w.ObjectEnd()
	})}, nil
}
