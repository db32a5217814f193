package datamodel

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/valyala/fastjson"
)

// DefaultKeyColumn is the column that holds a row's key in NDJSON loads unless another is
// named.
const DefaultKeyColumn = "key"

// MaxLineLength bounds one NDJSON line (one row).
const MaxLineLength = 1 << 20

// Row is a row to write: its key and its JSON object.
type Row struct {
	Key   string
	Value []byte
}

// LineError is why one line of a load is not a row.
type LineError struct {
	Line   int    `json:"line"` // from 1
	Reason string `json:"reason"`
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// KeyOf returns the row key the row's keyColumn holds: a string, or a number's JSON text.
func KeyOf(row *fastjson.Value, keyColumn string) (string, error) {
	k := row.Get(keyColumn)
	if k == nil {
		return "", fmt.Errorf("the key column %q is missing", keyColumn)
	}
	var key string
	switch k.Type() {
	case fastjson.TypeString:
		key = string(k.GetStringBytes())
	case fastjson.TypeNumber:
		key = string(k.MarshalTo(nil))
	default:
		return "", fmt.Errorf("the key column %q is %s, not a string or a number", keyColumn, k.Type())
	}
	if err := CheckKey(key); err != nil {
		return "", err
	}
	return key, nil
}

// ReadLines reads NDJSON rows, each keyed by its keyColumn, and returns the rows and, by
// line, every line that is not a row (blank lines are skipped). Callers write nothing
// when there is any error: a load is applied whole or not at all.
func ReadLines(r io.Reader, keyColumn string) ([]Row, []LineError, error) {
	if keyColumn == "" {
		keyColumn = DefaultKeyColumn
	}
	var rows []Row
	var errs []LineError
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLineLength)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		v, err := ParseRow(line)
		if err != nil {
			errs = append(errs, LineError{n, err.Error()})
			continue
		}
		key, err := KeyOf(v, keyColumn)
		if err != nil {
			errs = append(errs, LineError{n, err.Error()})
			continue
		}
		rows = append(rows, Row{Key: key, Value: bytes.Clone(line)})
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return rows, append(errs, LineError{n + 1, fmt.Sprintf("longer than %d bytes", MaxLineLength)}), nil
		}
		return nil, nil, err
	}
	return rows, errs, nil
}
