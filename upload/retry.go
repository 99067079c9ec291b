package upload

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says when and how long to wait before re-sending a request.
// The zero value means the defaults: 3 attempts, 500 ms base delay doubling
// per attempt up to 10 s, Retry-After honoured up to 60 s. Values are
// copied by the Client; a RetryPolicy is safe for concurrent use.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts including the first one;
	// 0 means 3, 1 disables retries.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt; 0 means 500 ms.
	BaseDelay time.Duration
	// MaxDelay caps the exponential backoff; 0 means 10 s.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After the client will wait for;
	// a longer one ends the retries. 0 means 60 s.
	MaxRetryAfter time.Duration
}

// Defaults of RetryPolicy.
const (
	DefaultMaxAttempts   = 3
	DefaultBaseDelay     = 500 * time.Millisecond
	DefaultMaxDelay      = 10 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return p
}

// RetryReason explains a retry decision; it is meant for logs and tests.
type RetryReason string

// Reasons returned by RetryPolicy.Decide.
const (
	ReasonSuccess           RetryReason = "success"
	ReasonNetworkError      RetryReason = "network error"
	ReasonPermanentNetwork  RetryReason = "permanent network error"
	ReasonRateLimited       RetryReason = "rate limited"
	ReasonServerError       RetryReason = "server error"
	ReasonClientError       RetryReason = "client error"
	ReasonContextDone       RetryReason = "context done"
	ReasonAttemptsExhausted RetryReason = "attempts exhausted"
	ReasonRetryAfterTooLong RetryReason = "Retry-After too long"
	ReasonBadResponse       RetryReason = "malformed response"
	ReasonBadContent        RetryReason = "content unreadable"
)

// Outcome is what one attempt produced, the input of RetryPolicy.Decide.
type Outcome struct {
	// Attempt is the number of attempts made so far, 1 after the first.
	Attempt int
	// StatusCode is the HTTP status, 0 when no response arrived.
	StatusCode int
	// Err is the transport error (or the error reading the response
	// body); nil when a whole response arrived.
	Err error
	// RetryAfter is the server's Retry-After, 0 when absent.
	RetryAfter time.Duration
	// CtxErr is ctx.Err() after the attempt.
	CtxErr error
}

// Decide reports whether the request should be sent again after o, and why.
// It retries network errors (except TLS certificate and protocol errors),
// 429 and 5xx; never other statuses nor an oversized (ErrBadResponse) reply, never once the context is done, never
// beyond MaxAttempts, never when Retry-After exceeds MaxRetryAfter. It is a
// pure function of p and o; the caller's context is judged by CtxErr alone.
func (p RetryPolicy) Decide(o Outcome) (bool, RetryReason) {
	p = p.withDefaults()
	// Only the caller's context ends retries: an http.Client.Timeout also
	// wraps context.DeadlineExceeded, but it bounds one attempt only.
	if o.CtxErr != nil {
		return false, ReasonContextDone
	}
	var reason RetryReason
	switch {
	case errors.Is(o.Err, ErrBadResponse):
		return false, ReasonBadResponse
	case errors.Is(o.Err, ErrInvalidMedia): // Media.Reader failed while sending
		return false, ReasonBadContent
	case o.Err != nil:
		if permanentNetworkError(o.Err) {
			return false, ReasonPermanentNetwork
		}
		reason = ReasonNetworkError
	case o.StatusCode == http.StatusTooManyRequests:
		reason = ReasonRateLimited
	case o.StatusCode >= 500 && o.StatusCode <= 599:
		reason = ReasonServerError
	case o.StatusCode >= 200 && o.StatusCode <= 299:
		return false, ReasonSuccess
	default:
		return false, ReasonClientError
	}
	if o.Attempt >= p.MaxAttempts {
		return false, ReasonAttemptsExhausted
	}
	if o.RetryAfter > p.MaxRetryAfter {
		return false, ReasonRetryAfterTooLong
	}
	return true, reason
}

// Delay returns the wait before attempt number attempt+1: BaseDelay doubled
// per attempt made, capped at MaxDelay, with "equal jitter" (half fixed, half
// scaled by jitter in [0,1)), and never shorter than retryAfter. It is a pure
// function; the client passes a random jitter.
func (p RetryPolicy) Delay(attempt int, retryAfter time.Duration, jitter float64) time.Duration {
	p = p.withDefaults()
	d := p.BaseDelay
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	jitter = min(max(jitter, 0), 1)
	d = d/2 + time.Duration(float64(d/2)*jitter)
	return max(d, retryAfter)
}

// permanentNetworkError reports transport errors that a retry cannot fix.
func permanentNetworkError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		certInvalid      x509.CertificateInvalidError
		hostname         x509.HostnameError
		recordHeader     tls.RecordHeaderError
		certVerify       *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &certInvalid) ||
		errors.As(err, &hostname) || errors.As(err, &recordHeader) ||
		errors.As(err, &certVerify) || errors.Is(err, http.ErrSchemeMismatch)
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
// Malformed or past values give 0.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		if s > int64(24*time.Hour/time.Second) {
			s = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
