package upload

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// DefaultBaseURL is the API host used when WithBaseURL is not given.
const DefaultBaseURL = "https://stationapi.veriff.com"

// DefaultUserAgent is the User-Agent sent when WithUserAgent is not given.
const DefaultUserAgent = "mediaprep-upload/1"

// Option configures a Client in New. Each option validates its argument and
// New returns the first error, which matches ErrInvalidOption.
type Option func(*config) error

// SignatureCheck says what the client does when a successful response's
// x-hmac-signature is missing or wrong.
type SignatureCheck int

const (
	// SignatureRequired fails the call with ErrBadResponseSignature (the
	// default). The media may have been stored by the API all the same.
	SignatureRequired SignatureCheck = iota
	// SignatureWarn logs a warning and returns the decoded response.
	SignatureWarn
)

// WithBaseURL sets the API base URL shown in the customer portal, e.g.
// "https://stationapi.veriff.com" (the default) or "https://api.veriff.me/v1".
// Paths are appended after "/v1", which is added unless the URL's path
// already ends with it; any other path prefix is kept. Only http and https
// are accepted; query and fragment are refused.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		u, err := url.Parse(raw)
		if err != nil {
			// url.Parse quotes the whole URL, user info and password
			// included; keep only the reason.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return fmt.Errorf("%w: base URL does not parse: %v", ErrInvalidOption, err)
		}
		if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%w: base URL %q: want http(s)://host[/path]", ErrInvalidOption, bareURL(u))
		}
		if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("%w: base URL %q: no user info, query or fragment allowed", ErrInvalidOption, bareURL(u))
		}
		p := strings.TrimRight(u.Path, "/")
		if !strings.HasSuffix(p, "/v1") {
			p += "/v1"
		}
		c.origin = u.Scheme + "://" + u.Host
		c.prefix = p
		return nil
	}
}

// bareURL prints u without user info, query and fragment, where people put
// tokens (url.URL.Redacted masks the password only).
func bareURL(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// WithHTTPClient sets the HTTP client; the default is a client with a 2 min
// overall timeout per attempt over http.DefaultTransport. Its Timeout, if
// any, bounds each attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return fmt.Errorf("%w: nil *http.Client", ErrInvalidOption)
		}
		c.http = hc
		return nil
	}
}

// WithRetryPolicy sets the retry policy; zero fields mean their defaults.
// Negative values are refused.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0 {
			return fmt.Errorf("%w: negative retry policy field", ErrInvalidOption)
		}
		c.retry = p.withDefaults()
		return nil
	}
}

// WithUserAgent sets the User-Agent header; the default is DefaultUserAgent.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("%w: user agent empty or with line breaks", ErrInvalidOption)
		}
		c.userAgent = ua
		return nil
	}
}

// WithExtraSecrets adds shared secrets accepted when verifying response
// signatures, for rotation: requests are always signed with the secret given
// to New, responses signed with any of them are accepted.
func WithExtraSecrets(secrets ...string) Option {
	return func(c *config) error {
		for _, s := range secrets {
			if s == "" {
				return fmt.Errorf("%w: empty extra secret", ErrInvalidOption)
			}
			c.verify = append(c.verify, secret(s))
		}
		return nil
	}
}

// WithIntegrationID sends the optional vrf-integration-id header (for
// "flexible API keys" integrations) on every request.
func WithIntegrationID(id string) Option {
	return func(c *config) error {
		if id == "" || strings.ContainsAny(id, "\r\n") {
			return fmt.Errorf("%w: integration id empty or with line breaks", ErrInvalidOption)
		}
		c.integrationID = id
		return nil
	}
}

// AllowContexts accepts media contexts beyond the documented Contexts.
func AllowContexts(contexts ...string) Option {
	return func(c *config) error {
		for _, ctx := range contexts {
			if ctx == "" {
				return fmt.Errorf("%w: empty context", ErrInvalidOption)
			}
			c.contexts[ctx] = true
		}
		return nil
	}
}

// AllowAnyContext accepts any non-empty media context and leaves the check
// to the API (which answers 400 code 1402 for unsupported ones).
func AllowAnyContext() Option {
	return func(c *config) error {
		c.anyContext = true
		return nil
	}
}

// WithSignatureCheck sets what happens when a successful response is not
// signed correctly; the default is SignatureRequired.
func WithSignatureCheck(mode SignatureCheck) Option {
	return func(c *config) error {
		if mode != SignatureRequired && mode != SignatureWarn {
			return fmt.Errorf("%w: signature check %d", ErrInvalidOption, mode)
		}
		c.sigCheck = mode
		return nil
	}
}

// WithLogger sets the logger for retries (debug) and signature warnings
// (warn); the default is slog.Default(). Records never contain secrets,
// signatures or bodies.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrInvalidOption)
		}
		c.logger = l
		return nil
	}
}

// secret holds a shared secret; every fmt verb prints it redacted.
type secret []byte

func (secret) String() string                  { return "[REDACTED]" }
func (secret) GoString() string                { return "[REDACTED]" }
func (s secret) Format(f fmt.State, verb rune) { fmt.Fprint(f, "[REDACTED]") }
func (s secret) MarshalText() ([]byte, error)  { return []byte("[REDACTED]"), nil }
