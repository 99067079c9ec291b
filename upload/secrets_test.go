package upload_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// Recognisable credentials for the leak tests. The key must be a UUID for
// the fake to accept it.
const (
	leakKey    = "c0ffee00-5ec7-4e7a-8bad-5ec7e7c0ffee"
	leakSecret = "SECRET-KEY-c0ffee-5ec7e7-d00d-f00d"
	leakExtra  = "SECRET-OLD-c0ffee-5ec7e7-beef-cafe"
)

// leakNeedles are strings that must never be printed: the secrets in clear,
// hex and base64, and the API key beyond its last 4 characters (the key is
// a "publishable" identifier per the vendor, so not secret, but nothing
// needs more of it than the client's redacted "…ffee").
func leakNeedles() map[string]string {
	n := map[string]string{
		"API key": leakKey[:len(leakKey)-4],
	}
	for name, s := range map[string]string{"secret": leakSecret, "extra secret": leakExtra} {
		n[name] = s
		n[name+" (prefix)"] = s[:len("SECRET-KEY")]
		n[name+" in hex"] = hex.EncodeToString([]byte(s))[:24]
		n[name+" in base64"] = base64.StdEncoding.EncodeToString([]byte(s))[:16]
		n[name+" in base64url"] = base64.RawURLEncoding.EncodeToString([]byte(s))[:16]
	}
	return n
}

// leakSink gathers every rendering of every value a test produced.
type leakSink struct {
	mu    sync.Mutex
	parts []string
}

var leakVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x"}

// add records v under each fmt verb, its Error() if it is an error and its
// JSON encoding.
func (s *leakSink) add(label string, vs ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vs {
		for _, verb := range leakVerbs {
			s.parts = append(s.parts, label+" "+verb+": "+fmt.Sprintf(verb, v))
		}
		if err, ok := v.(error); ok && err != nil {
			s.parts = append(s.parts, label+" Error(): "+err.Error())
		}
		if b, err := json.Marshal(v); err == nil {
			s.parts = append(s.parts, label+" JSON: "+string(b))
		}
	}
}

func (s *leakSink) check(t *testing.T, extra map[string]string) {
	t.Helper()
	needles := leakNeedles()
	for k, v := range extra {
		needles[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.parts {
		for what, needle := range needles {
			if strings.Contains(p, needle) {
				t.Errorf("%s leaks the %s: %s", p[:min(len(p), 200)], what, p)
			}
		}
	}
}

// TestNewErrorsDoNotLeak: every refusal of New, including base URLs that
// carry the secret as a password.
func TestNewErrorsDoNotLeak(t *testing.T) {
	var sink leakSink
	tests := []struct {
		name, key, secret string
		opts              []upload.Option
	}{
		{"empty secret", leakKey, "", nil},
		{"key with line break", leakKey + "\r\n", leakSecret, nil},
		{"empty key", "", leakSecret, nil},
		{"unparsable base URL with password", leakKey, leakSecret, []upload.Option{upload.WithBaseURL("https://user:" + leakSecret + "@ho st/v1")}},
		{"unparsable host with password", leakKey, leakSecret, []upload.Option{upload.WithBaseURL("https://user:" + leakSecret + "@[::1/v1")}},
		{"bad scheme with password", leakKey, leakSecret, []upload.Option{upload.WithBaseURL("ftp://user:" + leakSecret + "@host/v1")}},
		{"user info refused", leakKey, leakSecret, []upload.Option{upload.WithBaseURL("https://user:" + leakSecret + "@host/v1")}},
		{"query refused", leakKey, leakSecret, []upload.Option{upload.WithBaseURL("https://host/v1?token=" + leakSecret)}},
		{"empty extra secret", leakKey, leakSecret, []upload.Option{upload.WithExtraSecrets(leakExtra, "")}},
		{"negative retry", leakKey, leakSecret, []upload.Option{upload.WithRetryPolicy(upload.RetryPolicy{MaxAttempts: -1})}},
		{"nil HTTP client", leakKey, leakSecret, []upload.Option{upload.WithHTTPClient(nil)}},
		{"nil logger", leakKey, leakSecret, []upload.Option{upload.WithLogger(nil)}},
		{"user agent with line break", leakKey, leakSecret, []upload.Option{upload.WithUserAgent(leakSecret + "\n")}},
		{"integration id with line break", leakKey, leakSecret, []upload.Option{upload.WithIntegrationID(leakSecret + "\n")}},
		{"bad signature check", leakKey, leakSecret, []upload.Option{upload.WithSignatureCheck(7)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := upload.New(tt.key, tt.secret, tt.opts...)
			if !errors.Is(err, upload.ErrInvalidOption) || c != nil {
				t.Fatalf("New = %v, %v; want ErrInvalidOption", c, err)
			}
			sink.add(tt.name, err)
		})
	}
	sink.check(t, nil)
}

// TestErrorsDoNotLeak drives the client into every kind of error it
// returns, and prints each error, response, the client and its options with
// every verb; it also logs at debug level through text and JSON handlers.
// None may show a credential or a request signature.
func TestErrorsDoNotLeak(t *testing.T) {
	var sink leakSink
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewJSONHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}),
	))
	s := uploadtest.Start(t, &uploadtest.Options{APIKey: leakKey, Secret: leakSecret})
	jpg := readFixture(t, "tiny.jpg")
	media := upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}
	fast := upload.WithRetryPolicy(upload.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})
	opts := []upload.Option{upload.WithBaseURL(s.URL), upload.WithExtraSecrets(leakExtra), upload.WithLogger(logger), fast}
	client := func(t *testing.T, secret string, more ...upload.Option) *upload.Client {
		t.Helper()
		all := append(append([]upload.Option{}, opts...), more...)
		c, err := upload.New(leakKey, secret, all...)
		if err != nil {
			t.Fatal(err)
		}
		sink.add("client", c, *c, []any{c}, struct{ C upload.Client }{*c})
		sink.add("options", all, upload.RetryPolicy{})
		return c
	}
	refused := uploadtest.NewServer(nil)
	refused.Close()
	// echo answers 400 with the request's headers in its message, as a
	// careless proxy might.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"status":"fail","code":"1102","message":"bad request from %s"}`, r.Header.Get("X-AUTH-CLIENT"))
	}))
	defer echo.Close()
	// garbled answers 200, correctly signed, with a body that is not JSON
	// and quotes the key.
	garbled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := []byte("key=" + r.Header.Get("X-AUTH-CLIENT"))
		w.Header().Set("X-HMAC-SIGNATURE", upload.Sign([]byte(leakSecret), body))
		w.Write(body)
	}))
	defer garbled.Close()

	submitted := s.NewSession()
	if _, err := client(t, leakSecret).Submit(context.Background(), submitted); err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name string
		call func(t *testing.T) (any, error)
		want error // nil: success
	}{
		{"success", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, nil},
		{"submit success", func(t *testing.T) (any, error) {
			return client(t, leakSecret).Submit(context.Background(), s.NewSession())
		}, nil},
		{"secret passed as session id", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(context.Background(), leakSecret, media)
		}, upload.ErrInvalidSessionID},
		{"key passed as session id with a typo", func(t *testing.T) (any, error) {
			return client(t, leakSecret).Submit(context.Background(), leakKey+"x")
		}, upload.ErrInvalidSessionID},
		{"secret passed as context", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, upload.Media{Context: leakSecret, MIMEType: upload.MIMEJPEG, Content: jpg})
		}, upload.ErrInvalidMedia},
		{"secret passed as MIME type", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: leakExtra, Content: jpg})
		}, upload.ErrInvalidMedia},
		{"empty content", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG})
		}, upload.ErrInvalidMedia},
		{"401 wrong secret", func(t *testing.T) (any, error) {
			return client(t, leakExtra).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrUnauthorized},
		{"400 unsupported context", func(t *testing.T) (any, error) {
			return client(t, leakSecret, upload.AllowAnyContext()).UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "selfie", MIMEType: upload.MIMEJPEG, Content: jpg})
		}, upload.ErrValidation},
		{"400 echoing the key", func(t *testing.T) (any, error) {
			c, err := upload.New(leakKey, leakSecret, upload.WithBaseURL(echo.URL), upload.WithLogger(logger), fast)
			if err != nil {
				t.Fatal(err)
			}
			return c.UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrValidation},
		{"404 unknown session", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(context.Background(), "00000000-0000-4000-8000-000000000000", media)
		}, upload.ErrSessionNotFound},
		{"409 submitted", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(context.Background(), submitted, media)
		}, upload.ErrAlreadySubmitted},
		{"409 submit twice", func(t *testing.T) (any, error) {
			return client(t, leakSecret).Submit(context.Background(), submitted)
		}, upload.ErrAlreadySubmitted},
		{"429", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Status: 429, RetryAfter: "0"}, 2)
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrRateLimited},
		{"500", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Status: 500}, 2)
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrServer},
		{"502 on submit", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Status: 502}, 2)
			return client(t, leakSecret).Submit(context.Background(), s.NewSession())
		}, upload.ErrServer},
		{"503", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Status: 503}, 2)
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrServer},
		{"bad response signature", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{BadSignature: true}, 1)
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrBadResponseSignature},
		{"missing response signature", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{NoSignature: true}, 1)
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrBadResponseSignature},
		{"bad signature accepted with a warning", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{BadSignature: true}, 1)
			return client(t, leakSecret, upload.WithSignatureCheck(upload.SignatureWarn)).UploadMedia(context.Background(), s.SessionID, media)
		}, nil},
		{"malformed answer", func(t *testing.T) (any, error) {
			c, err := upload.New(leakKey, leakSecret, upload.WithBaseURL(garbled.URL), upload.WithLogger(logger), fast)
			if err != nil {
				t.Fatal(err)
			}
			return c.UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrBadResponse},
		{"connection reset", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Reset: true}, 2)
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrNetwork},
		{"truncated answer", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Truncate: true}, 2)
			return client(t, leakSecret).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrNetwork},
		{"attempt timeout", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Delay: time.Minute}, 2)
			return client(t, leakSecret, upload.WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond})).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrNetwork},
		{"connection refused", func(t *testing.T) (any, error) {
			return client(t, leakSecret, upload.WithBaseURL(refused.URL)).UploadMedia(context.Background(), s.SessionID, media)
		}, upload.ErrNetwork},
		{"context canceled", func(t *testing.T) (any, error) {
			return client(t, leakSecret).UploadMedia(canceled, s.SessionID, media)
		}, context.Canceled},
		{"context deadline", func(t *testing.T) (any, error) {
			s.Inject(uploadtest.Fault{Delay: time.Minute}, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			return client(t, leakSecret).UploadMedia(ctx, s.SessionID, media)
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.call(t)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			sink.add(tt.name+" error", err)
			sink.add(tt.name+" result", res)
			var ae *upload.APIError
			if errors.As(err, &ae) {
				sink.add(tt.name+" APIError", ae, *ae)
			}
			var ime *upload.InvalidMediaError
			if errors.As(err, &ime) {
				sink.add(tt.name+" InvalidMediaError", ime, *ime)
			}
			logger.Info("caller logs the outcome", "error", err, "result", res)
		})
	}
	logMu.Lock()
	sink.add("logs", logs.String())
	if !strings.Contains(logs.String(), "upload: retrying") || !strings.Contains(logs.String(), "accepting response with bad signature") {
		t.Errorf("the client logged no retry or signature warning; the log check saw nothing:\n%s", logs.String())
	}
	logMu.Unlock()
	extra := map[string]string{}
	for i, r := range s.Requests() {
		if r.Signature != "" {
			extra[fmt.Sprintf("signature of request %d", i)] = r.Signature
		}
	}
	sink.check(t, extra)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
