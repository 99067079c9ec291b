package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// Recognisable credentials for TestCLINeverPrintsSecrets; the key must be a
// UUID for the fake to accept it.
const (
	cliLeakKey    = "c0ffee00-5ec7-4e7a-8bad-5ec7e7c0ffee"
	cliLeakSecret = "SECRET-KEY-c0ffee-5ec7e7-d00d-f00d"
	cliWrongSec   = "SECRET-BAD-c0ffee-5ec7e7-0bad-0bad"
)

// TestCLINeverPrintsSecrets runs `mediaprep upload` in process for a
// success, an authentication failure, server faults, a bad response
// signature, arguments in the wrong place and usage errors, with the
// credentials in the environment, and checks that neither stdout nor stderr
// shows the shared secret (in clear, hex or base64), the API key beyond its
// last 4 characters, or a request signature. The API key is a publishable
// identifier per the vendor, not a secret, but nothing needs it printed.
func TestCLINeverPrintsSecrets(t *testing.T) {
	srv := uploadtest.Start(t, &uploadtest.Options{APIKey: cliLeakKey, Secret: cliLeakSecret})
	photo := filepath.Join(testdata, "small_640x480.jpg")
	tests := []struct {
		name   string
		env    map[string]string // overrides of the three variables
		before func()            // e.g. inject a fault
		args   func() []string
		code   int
		want   string // must appear in stdout+stderr: the case did happen
	}{
		{"success with submit", nil, nil,
			func() []string { return []string{"upload", "-session", srv.NewSession(), "-submit", photo} }, exitOK, `"submitted":true`},
		{"wrong secret", map[string]string{envSecret: cliWrongSec}, nil,
			func() []string { return []string{"upload", "-session", srv.SessionID, photo} }, exitFailed, "unauthorized"},
		{"server fault", nil, func() { srv.Inject(uploadtest.Fault{Status: 503, RetryAfter: "3600"}, 1) },
			func() []string { return []string{"upload", "-session", srv.SessionID, photo} }, exitFailed, `"kind":"server"`},
		{"bad response signature", nil, func() { srv.Inject(uploadtest.Fault{BadSignature: true}, 1) },
			func() []string { return []string{"upload", "-session", srv.SessionID, photo} }, exitFailed, "bad_response_signature"},
		{"401 with -submit", nil, func() { srv.Inject(uploadtest.Fault{Status: 401}, 1) },
			func() []string { return []string{"upload", "-session", srv.NewSession(), "-submit", photo} }, exitFailed, "unauthorized"},
		{"secret given as session", nil, nil,
			func() []string { return []string{"upload", "-session", cliLeakSecret, photo} }, exitFailed, "invalid_session_id"},
		{"secret given as context", nil, nil,
			func() []string {
				return []string{"upload", "-session", srv.SessionID, "-context", cliLeakSecret, photo}
			}, exitFailed, "invalid_media"},
		{"usage: no session", nil, nil,
			func() []string { return []string{"upload", photo} }, exitUsage, "usage:"},
		{"usage: unknown flag", nil, nil,
			func() []string { return []string{"upload", "-secret", cliLeakSecret, photo} }, exitUsage, "usage:"},
		{"usage: help", nil, nil,
			func() []string { return []string{"upload", "-h"} }, exitOK, "VERIFF_SHARED_SECRET"},
		{"usage: base URL with the secret in its query", map[string]string{envBaseURL: srv.URL + "?token=" + cliLeakSecret}, nil,
			func() []string { return []string{"upload", "-session", srv.SessionID, photo} }, exitUsage, "base URL"},
		{"usage: base URL with the secret as password", map[string]string{envBaseURL: "https://user:" + cliLeakSecret + "@ho st/v1"}, nil,
			func() []string { return []string{"upload", "-session", srv.SessionID, photo} }, exitUsage, "base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envAPIKey, cliLeakKey)
			t.Setenv(envSecret, cliLeakSecret)
			t.Setenv(envBaseURL, srv.URL)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.before != nil {
				tt.before()
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args(), &stdout, &stderr)
			out := stdout.String() + stderr.String()
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, want %d with %q in the output:\n%s", code, tt.code, tt.want, out)
			}
			for stream, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
				for what, needle := range cliLeakNeedles(srv) {
					if strings.Contains(text, needle) {
						t.Errorf("%s shows the %s:\n%s", stream, what, text)
					}
				}
			}
		})
	}
	if srv.PendingFaults() != 0 {
		t.Fatalf("%d injected faults unused: a case did not reach the fake", srv.PendingFaults())
	}
}

// cliLeakNeedles are the strings the CLI must never print.
func cliLeakNeedles(srv *uploadtest.Server) map[string]string {
	n := map[string]string{"API key": cliLeakKey[:len(cliLeakKey)-4]}
	for name, s := range map[string]string{"secret": cliLeakSecret, "wrong secret": cliWrongSec} {
		n[name] = s
		n[name+" (prefix)"] = s[:len("SECRET-KEY")]
		n[name+" in hex"] = hex.EncodeToString([]byte(s))[:24]
		n[name+" in base64"] = base64.StdEncoding.EncodeToString([]byte(s))[:16]
	}
	for i, r := range srv.Requests() {
		if r.Signature != "" {
			n[fmt.Sprintf("signature of request %d", i)] = r.Signature
		}
	}
	return n
}
