package upload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// Client uploads media to the API and submits sessions. Create it with New;
// it is immutable afterwards and safe for concurrent use by many goroutines.
// Printing a Client with any fmt verb redacts its credentials.
type Client struct {
	cfg *config // behind a pointer so that printing a Client value shows no field
}

type config struct {
	apiKey        string
	secret        secret   // signs requests
	verify        []secret // accepted on responses: secret first, then extras
	origin        string   // scheme://host
	prefix        string   // path up to and including "/v1"
	http          *http.Client
	retry         RetryPolicy
	userAgent     string
	integrationID string
	contexts      map[string]bool
	anyContext    bool
	sigCheck      SignatureCheck
	logger        *slog.Logger
	now           func() time.Time
	jitter        func() float64
}

// defaultHTTPClient bounds each attempt; uploads of 24 MB on slow links need
// minutes, a hung connection must not hold a goroutine forever.
var defaultHTTPClient = &http.Client{Timeout: 2 * time.Minute}

// New returns a Client that authenticates with apiKey (X-AUTH-CLIENT) and
// signs with sharedSecret. Both must be non-empty. With no options it talks
// to DefaultBaseURL with http.DefaultTransport, 3 attempts, documented
// contexts only, and requires signed responses. Errors match
// ErrInvalidOption and never contain the secret.
func New(apiKey, sharedSecret string, opts ...Option) (*Client, error) {
	if apiKey == "" || strings.ContainsAny(apiKey, "\r\n") {
		return nil, fmt.Errorf("%w: API key empty or with line breaks", ErrInvalidOption)
	}
	if sharedSecret == "" {
		return nil, fmt.Errorf("%w: empty shared secret", ErrInvalidOption)
	}
	c := &config{
		apiKey:    apiKey,
		secret:    secret(sharedSecret),
		http:      defaultHTTPClient,
		retry:     RetryPolicy{}.withDefaults(),
		userAgent: DefaultUserAgent,
		contexts:  make(map[string]bool, len(Contexts)),
		now:       time.Now,
		jitter:    rand.Float64,
	}
	c.verify = []secret{c.secret}
	for _, ctx := range Contexts {
		c.contexts[ctx] = true
	}
	if err := WithBaseURL(DefaultBaseURL)(c); err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	return &Client{cfg: c}, nil
}

// String describes the client with its credentials redacted. The methods
// that print a Client have value receivers so that a Client value and a
// *Client both redact.
func (c Client) String() string {
	if c.cfg == nil {
		return "upload.Client(nil)"
	}
	return fmt.Sprintf("upload.Client{base: %s%s, apiKey: %s, secrets: %d [REDACTED]}",
		c.cfg.origin, c.cfg.prefix, redactKey(c.cfg.apiKey), len(c.cfg.verify))
}

// GoString is String, so %#v redacts too.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so %v, %+v, %#v and %s redact.
func (c Client) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// scrub replaces every configured secret and the API key in s, a string
// taken from the caller's arguments or the server's answer, so that an
// argument passed in the wrong place (the secret as a session id) or a server
// echoing X-AUTH-CLIENT does not put a credential in an error. Secrets
// shorter than 4 bytes are left alone: replacing them would mangle text and
// hide nothing.
func (c *config) scrub(s string) string {
	for _, sec := range c.verify {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, string(sec), "[REDACTED]")
		}
	}
	if len(c.apiKey) >= 4 {
		s = strings.ReplaceAll(s, c.apiKey, redactKey(c.apiKey))
	}
	return s
}

// redactKey keeps the last 4 characters of an API key, enough to tell keys
// apart in logs.
func redactKey(k string) string {
	if len(k) <= 8 {
		return "[REDACTED]"
	}
	return "…" + k[len(k)-4:]
}

// UploadMedia sends m to POST /v1/sessions/{sessionID}/media and returns the
// API's record of it. It first validates sessionID (a UUID, else
// ErrInvalidSessionID) and m (context, MIME type against the content's first
// bytes, size limits, timestamp; else an *InvalidMediaError), without
// sending anything. The body is streamed: the call allocates about 200 KB
// whatever the content size (BenchmarkUploadMedia: 0.014 bytes per data-URI
// byte at 10 MB, against 4.8 for marshalling the body in memory), and the
// content is read once to sign it plus once per attempt. Retries follow the client's RetryPolicy. Non-2xx answers
// return an *APIError; a missing or wrong response signature returns an
// error matching ErrBadResponseSignature (unless SignatureWarn); a last
// attempt without a complete answer returns an error matching ErrNetwork.
// ctx bounds the whole call, waits included.
func (c *Client) UploadMedia(ctx context.Context, sessionID string, m Media) (*MediaResponse, error) {
	if !isUUID(sessionID) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidSessionID, c.cfg.scrub(clip(sessionID)))
	}
	if err := m.validate(c.cfg.now(), c.cfg.contexts, c.cfg.anyContext); err != nil {
		var ime *InvalidMediaError
		if errors.As(err, &ime) {
			ime.Reason = c.cfg.scrub(ime.Reason)
		}
		return nil, err
	}
	b := newMediaBody(&m)
	sig, n, err := signReader(c.cfg.secret, b.open())
	if err != nil {
		return nil, err
	}
	if n != b.Len() { // cannot happen unless the body generator is wrong
		return nil, fmt.Errorf("upload: internal error: body is %d bytes, expected %d", n, b.Len())
	}
	path := "/sessions/" + sessionID + "/media"
	raw, attempts, err := c.do(ctx, http.MethodPost, path, b.open, b.Len(), sig)
	if err != nil {
		return nil, err
	}
	r, err := decodeMediaResponse(raw)
	if err != nil {
		return nil, fmt.Errorf("upload: POST %s: %w", c.cfg.apiPath(path), err)
	}
	r.Attempts = attempts
	return r, nil
}

// submitBody is the PATCH body that submits a session.
const submitBody = `{"verification":{"status":"submitted"}}`

// Submit sets the session's status to submitted with a signed
// PATCH /v1/sessions/{sessionID}, so Veriff starts the decision. Upload all
// media first: afterwards the API answers uploads with 409
// (ErrAlreadySubmitted). Errors and retries are as for UploadMedia.
func (c *Client) Submit(ctx context.Context, sessionID string) (*SubmitResponse, error) {
	if !isUUID(sessionID) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidSessionID, c.cfg.scrub(clip(sessionID)))
	}
	body := []byte(submitBody)
	open := func() io.ReadCloser { return io.NopCloser(bytes.NewReader(body)) }
	path := "/sessions/" + sessionID
	raw, attempts, err := c.do(ctx, http.MethodPatch, path, open, int64(len(body)), Sign(c.cfg.secret, body))
	if err != nil {
		return nil, err
	}
	r, err := decodeSubmitResponse(raw)
	if err != nil {
		return nil, fmt.Errorf("upload: PATCH %s: %w", c.cfg.apiPath(path), err)
	}
	r.Attempts = attempts
	return r, nil
}

func (c *config) apiPath(path string) string { return "/v1" + path }

// do sends a signed request with retries and returns the raw body of a 2xx
// answer whose signature checked out, and the number of attempts.
func (c *Client) do(ctx context.Context, method, path string, open func() io.ReadCloser, size int64, sig string) ([]byte, int, error) {
	cfg := c.cfg
	url := cfg.origin + cfg.prefix + path
	apiPath := cfg.apiPath(path)
	for attempt := 1; ; attempt++ {
		status, header, raw, err := c.attempt(ctx, method, url, open, size, sig)
		var retryAfter time.Duration
		if header != nil {
			retryAfter = parseRetryAfter(header.Get("Retry-After"), cfg.now())
		}
		retry, reason := cfg.retry.Decide(Outcome{Attempt: attempt, StatusCode: status, Err: err, RetryAfter: retryAfter, CtxErr: ctx.Err()})
		var final error
		switch {
		case err != nil && (errors.Is(err, ErrBadResponse) || errors.Is(err, ErrInvalidMedia)):
			final = fmt.Errorf("upload: %s %s: attempt %d: %w", method, apiPath, attempt, err)
		case err != nil:
			final = fmt.Errorf("upload: %s %s: attempt %d: %w: %w", method, apiPath, attempt, ErrNetwork, err)
		case status < 200 || status > 299:
			e := &APIError{StatusCode: status, Method: method, Path: apiPath, Attempts: attempt}
			decodeAPIError(e, raw)
			e.Message = cfg.scrub(e.Message)
			final = e
		}
		if !retry {
			if final != nil {
				return nil, attempt, final
			}
			if err := c.checkSignature(raw, header.Get("X-Hmac-Signature")); err != nil {
				return nil, attempt, fmt.Errorf("upload: %s %s: %w: %w", method, apiPath, ErrBadResponseSignature, err)
			}
			return raw, attempt, nil
		}
		delay := cfg.retry.Delay(attempt, retryAfter, cfg.jitter())
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			return nil, attempt, fmt.Errorf("%w (not retried: context deadline comes before the next attempt in %v)", final, delay)
		}
		cfg.logger.LogAttrs(ctx, slog.LevelDebug, "upload: retrying",
			slog.String("method", method), slog.String("path", apiPath), slog.Int("attempt", attempt),
			slog.String("reason", string(reason)), slog.Duration("delay", delay), slog.Any("error", final))
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, attempt, fmt.Errorf("upload: %s %s: %w while waiting to retry; last attempt: %w", method, apiPath, ctx.Err(), final)
		case <-t.C:
		}
	}
}

// attempt sends one request and reads the whole response body (bounded).
func (c *Client) attempt(ctx context.Context, method, url string, open func() io.ReadCloser, size int64, sig string) (int, http.Header, []byte, error) {
	cfg := c.cfg
	req, err := http.NewRequestWithContext(ctx, method, url, open())
	if err != nil {
		return 0, nil, nil, err
	}
	req.ContentLength = size
	req.GetBody = func() (io.ReadCloser, error) { return open(), nil }
	h := req.Header // a fresh map per request: nothing shared between calls
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	h.Set("User-Agent", cfg.userAgent)
	h.Set("X-AUTH-CLIENT", cfg.apiKey)
	h.Set("X-HMAC-SIGNATURE", sig)
	if cfg.integrationID != "" {
		h.Set("vrf-integration-id", cfg.integrationID)
	}
	resp, err := cfg.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return 0, resp.Header, nil, fmt.Errorf("reading %d response: %w", resp.StatusCode, err)
	}
	if len(raw) > MaxResponseBytes {
		// A reply this large is not the API's; do not retry into it.
		return resp.StatusCode, resp.Header, nil, &tooLargeError{status: resp.StatusCode}
	}
	return resp.StatusCode, resp.Header, raw, nil
}

// tooLargeError is a response body over MaxResponseBytes. It matches
// ErrBadResponse and is not retried (it is not a network error).
type tooLargeError struct{ status int }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%d response body exceeds %d bytes", e.status, MaxResponseBytes)
}
func (e *tooLargeError) Unwrap() error { return ErrBadResponse }

// checkSignature verifies a 2xx response body against every secret.
func (c *Client) checkSignature(raw []byte, sig string) error {
	secrets := make([][]byte, len(c.cfg.verify))
	for i, s := range c.cfg.verify {
		secrets[i] = s
	}
	err := VerifySignature(raw, sig, secrets...)
	if err != nil && c.cfg.sigCheck == SignatureWarn {
		c.cfg.logger.Warn("upload: accepting response with bad signature", slog.String("error", err.Error()))
		return nil
	}
	return err
}

// isUUID reports whether s is a UUID in 8-4-4-4-12 hex form (any version).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
