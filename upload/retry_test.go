package upload

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	tests := []struct {
		name   string
		policy RetryPolicy
		o      Outcome
		retry  bool
		reason RetryReason
	}{
		{"200", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 200}, false, ReasonSuccess},
		{"400", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 400}, false, ReasonClientError},
		{"401", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 401}, false, ReasonClientError},
		{"404", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 404}, false, ReasonClientError},
		{"409", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 409}, false, ReasonClientError},
		{"413", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 413}, false, ReasonClientError},
		{"3xx", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 302}, false, ReasonClientError},
		{"429", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 429}, true, ReasonRateLimited},
		{"500", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 500}, true, ReasonServerError},
		{"503 second attempt", RetryPolicy{}, Outcome{Attempt: 2, StatusCode: 503}, true, ReasonServerError},
		{"503 third attempt: default max 3", RetryPolicy{}, Outcome{Attempt: 3, StatusCode: 503}, false, ReasonAttemptsExhausted},
		{"503 with MaxAttempts 5", RetryPolicy{MaxAttempts: 5}, Outcome{Attempt: 4, StatusCode: 503}, true, ReasonServerError},
		{"MaxAttempts 1 disables", RetryPolicy{MaxAttempts: 1}, Outcome{Attempt: 1, StatusCode: 503}, false, ReasonAttemptsExhausted},
		{"connection reset", RetryPolicy{}, Outcome{Attempt: 1, Err: reset}, true, ReasonNetworkError},
		{"unexpected EOF", RetryPolicy{}, Outcome{Attempt: 1, Err: io.ErrUnexpectedEOF}, true, ReasonNetworkError},
		{"unknown CA", RetryPolicy{}, Outcome{Attempt: 1, Err: fmt.Errorf("tls: %w", x509.UnknownAuthorityError{})}, false, ReasonPermanentNetwork},
		{"hostname", RetryPolicy{}, Outcome{Attempt: 1, Err: x509.HostnameError{Host: "x"}}, false, ReasonPermanentNetwork},
		{"https to http server", RetryPolicy{}, Outcome{Attempt: 1, Err: http.ErrSchemeMismatch}, false, ReasonPermanentNetwork},
		{"oversized response", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 200, Err: &tooLargeError{200}}, false, ReasonBadResponse},
		{"content reader failed", RetryPolicy{}, Outcome{Attempt: 1, Err: fmt.Errorf("Post: %w", fmt.Errorf("%w: short", ErrInvalidMedia))}, false, ReasonBadContent},
		{"ctx canceled after 503", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 503, CtxErr: context.Canceled}, false, ReasonContextDone},
		{"caller ctx deadline", RetryPolicy{}, Outcome{Attempt: 1, Err: fmt.Errorf("Post: %w", context.DeadlineExceeded), CtxErr: context.DeadlineExceeded}, false, ReasonContextDone},
		{"per-attempt http.Client timeout", RetryPolicy{}, Outcome{Attempt: 1, Err: fmt.Errorf("Post: %w (Client.Timeout exceeded)", context.DeadlineExceeded)}, true, ReasonNetworkError},
		{"Retry-After within cap", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 429, RetryAfter: 30 * time.Second}, true, ReasonRateLimited},
		{"Retry-After over cap", RetryPolicy{}, Outcome{Attempt: 1, StatusCode: 429, RetryAfter: 61 * time.Second}, false, ReasonRetryAfterTooLong},
		{"Retry-After over custom cap", RetryPolicy{MaxRetryAfter: time.Second}, Outcome{Attempt: 1, StatusCode: 503, RetryAfter: 2 * time.Second}, false, ReasonRetryAfterTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			retry, reason := tt.policy.Decide(tt.o)
			if retry != tt.retry || reason != tt.reason {
				t.Fatalf("Decide = %v, %q; want %v, %q", retry, reason, tt.retry, tt.reason)
			}
		})
	}
}

func TestDelay(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	tests := []struct {
		name       string
		policy     RetryPolicy
		attempt    int
		retryAfter time.Duration
		jitter     float64
		want       time.Duration
	}{
		{"first, no jitter", p, 1, 0, 0, 50 * time.Millisecond},
		{"first, full jitter", p, 1, 0, 1, 100 * time.Millisecond},
		{"first, half jitter", p, 1, 0, 0.5, 75 * time.Millisecond},
		{"second doubles", p, 2, 0, 1, 200 * time.Millisecond},
		{"third doubles again", p, 3, 0, 1, 400 * time.Millisecond},
		{"capped", p, 10, 0, 1, time.Second},
		{"capped, no overflow", p, 1000, 0, 1, time.Second},
		{"Retry-After longer wins", p, 1, 3 * time.Second, 0, 3 * time.Second},
		{"Retry-After shorter ignored", p, 3, 10 * time.Millisecond, 1, 400 * time.Millisecond},
		{"jitter clamped", p, 1, 0, 7, 100 * time.Millisecond},
		{"defaults", RetryPolicy{}, 1, 0, 1, DefaultBaseDelay},
		{"defaults capped", RetryPolicy{}, 30, 0, 1, DefaultMaxDelay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.policy.Delay(tt.attempt, tt.retryAfter, tt.jitter); got != tt.want {
				t.Fatalf("Delay = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, h string
		want    time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "7", 7 * time.Second},
		{"spaces", " 2 ", 2 * time.Second},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"huge capped", "99999999999", 24 * time.Hour},
		{"http date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"past date", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"garbage", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.h, now); got != tt.want {
				t.Fatalf("parseRetryAfter(%q) = %v, want %v", tt.h, got, tt.want)
			}
		})
	}
}

func TestAPIErrorIs(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{400, ErrValidation}, {401, ErrUnauthorized}, {404, ErrSessionNotFound},
		{409, ErrAlreadySubmitted}, {429, ErrRateLimited}, {500, ErrServer}, {503, ErrServer},
	}
	all := []error{ErrValidation, ErrUnauthorized, ErrSessionNotFound, ErrAlreadySubmitted, ErrRateLimited, ErrServer}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			var err error = fmt.Errorf("wrapped: %w", &APIError{StatusCode: tt.status, Code: "1101", Method: "POST", Path: "/v1/sessions/x/media"})
			for _, s := range all {
				if errors.Is(err, s) != (s == tt.want) {
					t.Errorf("errors.Is(%d, %v) = %v", tt.status, s, !(s == tt.want))
				}
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status {
				t.Errorf("errors.As failed: %v", err)
			}
		})
	}
	if errors.Is(&APIError{StatusCode: 418}, ErrValidation) {
		t.Error("418 matches ErrValidation")
	}
}
