package destkit

import (
	"errors"
	"strconv"
	"testing"
)

func TestInputRefused(t *testing.T) {
	for status, named := range map[int]bool{400: true, 403: true, 404: true, 409: true, 422: true,
		401: false, 408: false, 423: false, 429: false, 500: false, 503: false} {
		err := InputRefused(&APIError{Status: status, Body: []byte("x")}, "list_name", "Refused")
		var pv *PayloadValidationError
		if errors.As(err, &pv) != named || named && (pv.Field != "list_name" || pv.Message != "Refused (HTTP "+strconv.Itoa(status)+")") {
			t.Errorf("%d: %#v", status, err)
		}
	}
	other := errors.New("dial tcp: refused")
	if InputRefused(other, "f", "m") != other || InputRefused(nil, "f", "m") != nil {
		t.Error("errors that are not the vendor's answer changed")
	}
}
