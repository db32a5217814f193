package filekit

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
)

// Name is the final name of a file whose bytes are content: base with "_" and the first 16
// hex digits of the content's SHA-256 put before base's extension ("audience.csv" becomes
// "audience_0123456789abcdef.csv"; a base without an extension gets the suffix at its end).
// The same bytes always get the same name, which is what makes a retried upload replace
// itself (see the package doc).
func Name(base string, content []byte) string {
	sum := sha256.Sum256(content)
	tag := "_" + hex.EncodeToString(sum[:8])
	ext := path.Ext(base)
	if ext == path.Base(base) { // ".csv" alone is a name, not an extension
		ext = ""
	}
	return strings.TrimSuffix(base, ext) + tag + ext
}
