package upload

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
)

// Signature errors returned by VerifySignature. Both also match
// ErrSignatureMismatch so callers that do not care why can test one value.
var (
	// ErrSignatureMismatch is matched by every error of VerifySignature.
	ErrSignatureMismatch = errors.New("upload: signature mismatch")
	// ErrSignatureMissing means the signature string was empty.
	ErrSignatureMissing = errors.New("upload: signature missing")
	// ErrSignatureMalformed means the signature is not 64 hex digits.
	ErrSignatureMalformed = errors.New("upload: signature is not a hex SHA-256 HMAC")
)

// SignatureSize is the length in characters of a signature made by Sign.
const SignatureSize = 2 * sha256.Size

// Sign returns the lowercase hex HMAC-SHA256 of payload keyed with secret:
// the X-HMAC-SIGNATURE of a POST or PATCH body, of a response body, or of a
// session id for GET and DELETE. It is what
// `printf %s PAYLOAD | openssl dgst -sha256 -hmac SECRET` prints. Safe for
// concurrent use; cost is one pass over payload.
func Sign(secret, payload []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(payload)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifySignature reports whether signature (hex, either case) is the
// HMAC-SHA256 of payload under any of secrets, comparing in constant time.
// It returns nil on a match, else an error matching ErrSignatureMismatch and,
// where it applies, ErrSignatureMissing or ErrSignatureMalformed. Empty
// secrets are skipped. Use it for webhooks and for responses of the API (the
// payload must be the raw bytes, never re-serialised JSON). Safe for
// concurrent use; cost is one HMAC pass over payload per secret.
func VerifySignature(payload []byte, signature string, secrets ...[]byte) error {
	want, err := decodeSignature(signature)
	if err != nil {
		return err
	}
	ok := false
	for _, s := range secrets {
		if len(s) == 0 {
			continue
		}
		m := hmac.New(sha256.New, s)
		m.Write(payload)
		// No early exit: the time taken does not reveal which secret matched.
		if hmac.Equal(m.Sum(nil), want) {
			ok = true
		}
	}
	if !ok {
		return ErrSignatureMismatch
	}
	return nil
}

func decodeSignature(signature string) ([]byte, error) {
	if signature == "" {
		return nil, sigError{ErrSignatureMissing}
	}
	if len(signature) != SignatureSize {
		return nil, sigError{ErrSignatureMalformed}
	}
	want, err := hex.DecodeString(signature)
	if err != nil {
		return nil, sigError{ErrSignatureMalformed}
	}
	return want, nil
}

// signReader returns the hex HMAC-SHA256 of everything r yields, streaming.
func signReader(secret []byte, r io.Reader) (string, int64, error) {
	m := hmac.New(sha256.New, secret)
	n, err := io.Copy(m, r)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(m.Sum(nil)), n, nil
}

// sigError is a specific signature failure that also matches
// ErrSignatureMismatch.
type sigError struct{ kind error }

func (e sigError) Error() string        { return e.kind.Error() }
func (e sigError) Unwrap() error        { return e.kind }
func (e sigError) Is(target error) bool { return target == ErrSignatureMismatch }
