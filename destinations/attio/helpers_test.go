package attio

import "github.com/valyala/fastjson"

func mustParse(s string) *fastjson.Value { return fastjson.MustParse(s) }
