package klaviyo

import "github.com/valyala/fastjson"

func fastjsonMust(b []byte) *fastjson.Value { return fastjson.MustParseBytes(b) }
