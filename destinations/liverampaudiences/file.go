package liverampaudiences

import (
	"crypto/sha1" //nolint:gosec // LiveRamp asks for SHA-1 digests of phone numbers
	"encoding/hex"
	"regexp"
	"sort"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// checkRows refuses a batch LiveRamp would not ingest.
func checkRows(n int) error {
	if n < minRows {
		return destkit.ValidationErrorf("", "LiveRamp ingests files of %d rows or more; this batch has %d", minRows, n)
	}
	return nil
}

// file writes the CSV file of a batch (see the package doc).
func file(in *destkit.BatchInput) ([]byte, error) {
	columns := map[string]bool{}
	for _, p := range in.Payloads {
		for _, f := range []string{"unhashed_identifier_data", "identifier_data"} {
			if o := p.GetObject(f); o != nil {
				o.Visit(func(k []byte, _ *fastjson.Value) { columns[string(k)] = true })
			}
		}
	}
	delete(columns, "audience_key")
	names := make([]string, 0, len(columns))
	for k := range columns {
		names = append(names, k)
	}
	sort.Strings(names)
	header := append([]string{"audience_key"}, names...)
	index := make(map[string]int, len(header))
	for i, h := range header {
		index[h] = i
	}

	var b strings.Builder
	b.WriteString(strings.Join(header, string(in.Payloads[0].GetStringBytes("delimiter"))))
	b.WriteByte('\n')
	row := make([]string, len(header))
	for n, p := range in.Payloads {
		clear(row)
		row[0] = quote(string(p.GetStringBytes("audience_key")))
		hashed := map[string]bool{}
		var err error
		if o := p.GetObject("unhashed_identifier_data"); o != nil {
			o.Visit(func(k []byte, v *fastjson.Value) {
				key := string(k)
				hashed[key] = true
				d, e := hashIdentifier(key, destkit.JSString(v))
				if e != nil && err == nil {
					err = e
				}
				row[index[key]] = `"` + d + `"`
			})
		}
		if err != nil {
			return nil, err
		}
		if o := p.GetObject("identifier_data"); o != nil {
			o.Visit(func(k []byte, v *fastjson.Value) {
				if !hashed[string(k)] {
					row[index[string(k)]] = quote(destkit.JSString(v))
				}
			})
		}
		b.WriteString(strings.Join(row, string(p.GetStringBytes("delimiter"))))
		if n < len(in.Payloads)-1 {
			b.WriteByte('\n')
		}
	}
	return []byte(b.String()), nil
}

// quote writes an identifier in double quotes, doubling the quotes inside.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// hashIdentifier hashes a hashable identifier by LiveRamp's rules: phone numbers with
// SHA-1, everything else with SHA-256, each after its normalisation, and a value that is
// already such a digest kept. A blank value stays blank.
func hashIdentifier(key, v string) (string, error) {
	if key == "phone_number" {
		if jsvalue.Trim(v) == "" || isHex(v, 40) {
			return v, nil
		}
		// A value the blank check let through keeps digits (or stays as it was).
		sum := sha1.Sum([]byte(normalisePhone(v))) //nolint:gosec // see the import
		return hex.EncodeToString(sum[:]), nil
	}
	clean := func(s string) string { return s }
	if key == "email" {
		clean = destkit.LowerNoSpace
	}
	d, ok := destkit.HashSHA256(v, clean)
	if !ok {
		return "", destkit.ValidationErrorf("unhashed_identifier_data."+key, "%s is empty once normalised and cannot be hashed", key)
	}
	return d, nil
}

// phoneParts finds a North American number's groups of digits, after an optional +1.
var phoneParts = regexp.MustCompile(`(?:\+1)?\s*\(?\s*(\d+)\s*-?\)?\s*(\d+)\s*-?\s*(\d+)`)

// normalisePhone keeps the digit groups of "+1 (555) 123-4567" forms ("5551234567"); a
// value in no such form is kept as it is.
func normalisePhone(v string) string {
	m := phoneParts.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	return m[1] + m[2] + m[3]
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
