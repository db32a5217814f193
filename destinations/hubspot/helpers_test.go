package hubspot

import "github.com/valyala/fastjson"

func mustParse(b []byte) *fastjson.Value { return fastjson.MustParseBytes(b) }
