package braze

import "github.com/actuate/actuate/destinations/destkit"

// endpointChoices lists Braze's REST clusters (label: dashboard URL).
var endpointChoices = []destkit.Choice{
	{Value: "https://rest.iad-01.braze.com", Label: "US-01\t(https://dashboard-01.braze.com)"},
	{Value: "https://rest.iad-02.braze.com", Label: "US-02\t(https://dashboard-02.braze.com)"},
	{Value: "https://rest.iad-03.braze.com", Label: "US-03\t(https://dashboard-03.braze.com)"},
	{Value: "https://rest.iad-04.braze.com", Label: "US-04\t(https://dashboard-04.braze.com)"},
	{Value: "https://rest.iad-05.braze.com", Label: "US-05\t(https://dashboard-05.braze.com)"},
	{Value: "https://rest.iad-06.braze.com", Label: "US-06\t(https://dashboard-06.braze.com)"},
	{Value: "https://rest.iad-07.braze.com", Label: "US-07\t(https://dashboard-07.braze.com)"},
	{Value: "https://rest.iad-08.braze.com", Label: "US-08\t(https://dashboard-08.braze.com)"},
	{Value: "https://rest.us-09.braze.com", Label: "US-09\t(https://dashboard-09.braze.com)"},
	{Value: "https://rest.us-10.braze.com", Label: "US-10\t(https://dashboard-10.braze.com)"},
	{Value: "https://rest.fra-01.braze.eu", Label: "EU-01\t(https://dashboard-01.braze.eu)"},
	{Value: "https://rest.fra-02.braze.eu", Label: "EU-02\t(https://dashboard-02.braze.eu)"},
	{Value: "https://rest.au-01.braze.com", Label: "AU-01 (https://dashboard.au-01.braze.com)"},
	{Value: "https://rest.id-01.braze.com", Label: "ID-01 (https://dashboard.id-01.braze.com)"},
	{Value: "https://rest.jp-01.braze.com", Label: "JP-01 (https://dashboard.jp-01.braze.com)"},
}
