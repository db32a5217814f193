package configstore

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/actuate/actuate/processor/workspace"
)

// Secret settings are sealed on the config topic: each secret setting of a destination
// object (and every value under its "oauth" settings) is stored as
//
//	"actuate-sealed:v1:<key id>:<base64 of nonce and AES-256-GCM ciphertext>"
//
// with the object key and the setting name as additional data, so a sealed value cannot
// be moved to another object or setting. The key id (the first 8 bytes of the key's
// SHA-256, in hex) says which key sealed it, so a rotation can read values sealed with the
// old key while it writes them again with the new one. The store seals on write and opens
// on read; the history topic never holds secrets (Redact). A process that finds sealed
// values it has no key for stops with ErrSecretKey instead of running without them.

const sealedPrefix = "actuate-sealed:v1:"

// ErrSecretKey: the config topic holds sealed secrets this process has no key for.
var ErrSecretKey = errors.New("the config topic holds encrypted secrets: set ACTUATE_SECRET_KEY (or --secret-key-file) to the key that sealed them")

// Sealer seals and opens secret settings. The nil Sealer leaves values as they are and
// refuses to open sealed ones.
type Sealer struct {
	seal  *sealKey
	byID  map[string]*sealKey
	check workspace.Lookup
}

type sealKey struct {
	id   string
	aead cipher.AEAD
}

// ParseSecretKey reads a key written by NewSecretKey: 32 bytes in standard base64.
func ParseSecretKey(text string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil || len(key) != 32 {
		return nil, errors.New("a secret key is 32 random bytes in base64 (make one with `actuate secrets keygen`)")
	}
	return key, nil
}

// ReadSecretKey reads a key from the environment variable's value, or else from a file.
func ReadSecretKey(value, file string) ([]byte, error) {
	if value == "" && file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		value = string(b)
	}
	if value == "" {
		return nil, nil
	}
	return ParseSecretKey(value)
}

// NewSecretKey returns a fresh key in the text form ParseSecretKey reads.
func NewSecretKey() string {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand never fails on a supported platform
	}
	return base64.StdEncoding.EncodeToString(key)
}

// NewSealer seals with key and opens values sealed with key or any of old. lookup tells
// which settings of a destination type are secret; settings of an unknown type are all
// sealed.
func NewSealer(lookup workspace.Lookup, key []byte, old ...[]byte) (*Sealer, error) {
	s := &Sealer{byID: map[string]*sealKey{}, check: lookup}
	for i, k := range append([][]byte{key}, old...) {
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(k)
		sk := &sealKey{id: hex.EncodeToString(sum[:8]), aead: aead}
		s.byID[sk.id] = sk
		if i == 0 {
			s.seal = sk
		}
	}
	return s, nil
}

// KeyID is the id of the sealing key, as sealed values carry it.
func (s *Sealer) KeyID() string { return s.seal.id }

// Seal returns value with the secret settings of a destination object sealed.
func (s *Sealer) Seal(key string, value json.RawMessage) (json.RawMessage, error) {
	if s == nil {
		return value, nil
	}
	return s.transform(key, value, func(aad, v string) (string, error) {
		if strings.HasPrefix(v, sealedPrefix) {
			return v, nil // sealed already (a rotation rewrites what it opened)
		}
		nonce := make([]byte, s.seal.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return "", err
		}
		sealed := s.seal.aead.Seal(nonce, nonce, []byte(v), []byte(aad))
		return sealedPrefix + s.seal.id + ":" + base64.StdEncoding.EncodeToString(sealed), nil
	}, true)
}

// Open returns value with its sealed settings opened. A nil Sealer given a sealed value
// returns ErrSecretKey.
func (s *Sealer) Open(key string, value json.RawMessage) (json.RawMessage, error) {
	if !strings.Contains(string(value), sealedPrefix) {
		return value, nil
	}
	if s == nil {
		return nil, ErrSecretKey
	}
	return s.transform(key, value, func(aad, v string) (string, error) {
		rest, ok := strings.CutPrefix(v, sealedPrefix)
		if !ok {
			return v, nil
		}
		id, text, _ := strings.Cut(rest, ":")
		k := s.byID[id]
		if k == nil {
			return "", fmt.Errorf("%w (sealed with key %s, which is not this process's key %s nor an old one)", ErrSecretKey, id, s.seal.id)
		}
		raw, err := base64.StdEncoding.DecodeString(text)
		if err != nil || len(raw) < k.aead.NonceSize() {
			return "", fmt.Errorf("%s: a sealed setting is damaged", key)
		}
		plain, err := k.aead.Open(nil, raw[:k.aead.NonceSize()], raw[k.aead.NonceSize():], []byte(aad))
		if err != nil {
			return "", fmt.Errorf("%s: a sealed setting does not open with key %s (damaged, or moved from another setting)", key, id)
		}
		return string(plain), nil
	}, false)
}

// transform applies f to the string values of the destination object's secret settings
// (sealing) or of every setting (opening, which only touches sealed values).
func (s *Sealer) transform(key string, value json.RawMessage, f func(aad, v string) (string, error), onlySecret bool) (json.RawMessage, error) {
	if kind, _, _ := SplitKey(key); kind != KindDestination || value == nil {
		return value, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(value, &obj); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	var head struct {
		Type     string         `json:"type"`
		Settings map[string]any `json:"settings"`
	}
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.UseNumber() // settings' numbers are written back as they were
	if err := dec.Decode(&head); err != nil {
		return value, nil
	}
	def, known := s.check(head.Type)
	mappings := obj["mappings"]
	if known {
		// Mappings' secret literals (an SFTP password given in the mapping) are sealed
		// like settings, with the mapping and field as additional data.
		if err := transformMappingSecrets(key, obj, def, f); err != nil {
			return nil, err
		}
	}
	if len(head.Settings) == 0 {
		if bytes.Equal(mappings, obj["mappings"]) {
			return value, nil
		}
		return json.Marshal(obj)
	}
	secret := func(string) bool { return true }
	if known && onlySecret {
		secret = func(name string) bool {
			for i := range def.Settings {
				if def.Settings[i].Key == name {
					return def.Settings[i].Secret
				}
			}
			return false
		}
	}
	for name, v := range head.Settings {
		switch {
		case name == "oauth":
			o, ok := v.(map[string]any)
			if !ok {
				continue
			}
			for k, x := range o {
				if str, ok := x.(string); ok && str != "" {
					out, err := f(key+"\x00oauth."+k, str)
					if err != nil {
						return nil, err
					}
					o[k] = out
				}
			}
		case !onlySecret || secret(name):
			if str, ok := v.(string); ok && str != "" {
				out, err := f(key+"\x00"+name, str)
				if err != nil {
					return nil, err
				}
				head.Settings[name] = out
			}
		}
	}
	obj["settings"], _ = json.Marshal(head.Settings)
	return json.Marshal(obj)
}
