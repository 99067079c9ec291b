package upload_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// fast retries so that tests do not sleep for long.
var fastRetry = upload.WithRetryPolicy(upload.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newClient(t testing.TB, s *uploadtest.Server, opts ...upload.Option) *upload.Client {
	t.Helper()
	c, err := s.Client(append([]upload.Option{fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestUploadMediaFixtures(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	tests := []struct {
		file, mime, context string
		w, h                int
	}{
		{"tiny.jpg", upload.MIMEJPEG, "document-front", 64, 48},
		{"tiny.png", upload.MIMEPNG, "document-back", 64, 48},
		{"tiny.webp", upload.MIMEWebP, "face", 64, 48},
		{"tiny.heic", upload.MIMEHEIC, "face-pre", 64, 48},
		{"tiny.pdf", upload.MIMEPDF, "address-front", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			content := readFixture(t, tt.file)
			capture := time.Now().Add(-time.Minute)
			res, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: tt.context, MIMEType: tt.mime, Content: content, CaptureTime: capture})
			if err != nil {
				t.Fatal(err)
			}
			if res.ID == "" || res.SessionID != s.SessionID || res.Context != tt.context || res.MIMEType != tt.mime || res.Size != int64(len(content)) || res.Attempts != 1 {
				t.Fatalf("response %+v", res)
			}
			got := s.Media(s.SessionID)
			m := got[len(got)-1]
			if m.ID != res.ID || m.SHA256 != sha(content) || m.Width != tt.w || m.Height != tt.h || !m.DataURI || !m.Timestamp.Equal(capture.Truncate(time.Millisecond)) {
				t.Fatalf("fake recorded %+v", m)
			}
		})
	}
}

func TestUploadMediaReaderAt(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	f, err := os.Open("testdata/tiny.webp")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	s.Inject(uploadtest.Fault{Status: 503}, 1) // the file is read again on retry
	res, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEWebP, Reader: f, Size: st.Size()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 || s.Media(s.SessionID)[0].SHA256 != sha(readFixture(t, "tiny.webp")) {
		t.Fatalf("attempts %d, media %+v", res.Attempts, s.Media(s.SessionID))
	}
}

// TestNoRetry: 4xx answers are final and typed.
func TestNoRetry(t *testing.T) {
	jpg := readFixture(t, "tiny.jpg")
	tests := []struct {
		name    string
		setup   func(s *uploadtest.Server) (c *upload.Client, session string)
		media   upload.Media
		want    error
		status  int
		code    string
		message string
	}{
		{"400 unsupported context", func(s *uploadtest.Server) (*upload.Client, string) {
			return newClient(t, s, upload.AllowAnyContext()), s.SessionID
		}, upload.Media{Context: "selfie", MIMEType: upload.MIMEJPEG, Content: jpg}, upload.ErrValidation, 400, "1402", "Context not supported."},
		{"400 too wide", func(s *uploadtest.Server) (*upload.Client, string) {
			return newClient(t, s), s.SessionID
		}, upload.Media{Context: "face", MIMEType: upload.MIMEWebP, Content: readFixture(t, "wide.webp")}, upload.ErrValidation, 400, "1104", ""},
		{"401 wrong secret", func(s *uploadtest.Server) (*upload.Client, string) {
			c, err := upload.New(s.APIKey, "wrong", upload.WithBaseURL(s.URL), fastRetry)
			if err != nil {
				t.Fatal(err)
			}
			return c, s.SessionID
		}, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}, upload.ErrUnauthorized, 401, "1819", ""},
		{"404 unknown session", func(s *uploadtest.Server) (*upload.Client, string) {
			return newClient(t, s), "f04bdb47-d3be-4b28-b028-a652feb060b5"
		}, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}, upload.ErrSessionNotFound, 404, "1101", "Session not found."},
		{"409 after submit", func(s *uploadtest.Server) (*upload.Client, string) {
			c := newClient(t, s)
			if _, err := c.Submit(context.Background(), s.SessionID); err != nil {
				t.Fatal(err)
			}
			return c, s.SessionID
		}, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}, upload.ErrAlreadySubmitted, 409, "1101", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := uploadtest.Start(t, nil)
			c, session := tt.setup(s)
			before := len(s.Requests())
			_, err := c.UploadMedia(context.Background(), session, tt.media)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var ae *upload.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.Code != tt.code || ae.Attempts != 1 || ae.Method != "POST" || ae.Path != "/v1/sessions/"+session+"/media" {
				t.Fatalf("APIError %+v", ae)
			}
			if tt.message != "" && ae.Message != tt.message {
				t.Fatalf("message %q, want %q", ae.Message, tt.message)
			}
			if n := len(s.Requests()) - before; n != 1 {
				t.Fatalf("%d requests sent, want 1", n)
			}
			if strings.Contains(err.Error(), s.Secret) {
				t.Fatal("secret in error")
			}
		})
	}
}

func TestClientSideValidationSendsNothing(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	jpg := readFixture(t, "tiny.jpg")
	tests := []struct {
		name    string
		session string
		m       upload.Media
		want    error
	}{
		{"session not UUID", "../media", upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}, upload.ErrInvalidSessionID},
		{"stale timestamp", s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg, CaptureTime: time.Now().Add(-2 * time.Hour)}, upload.ErrInvalidMedia},
		{"MIME mismatch", s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEPNG, Content: jpg}, upload.ErrInvalidMedia},
		{"unknown context", s.SessionID, upload.Media{Context: "selfie", MIMEType: upload.MIMEJPEG, Content: jpg}, upload.ErrInvalidMedia},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.UploadMedia(context.Background(), tt.session, tt.m); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := c.Submit(context.Background(), "nope"); !errors.Is(err, upload.ErrInvalidSessionID) {
		t.Fatalf("Submit err = %v", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// retrySignal is a slog handler that reports the client's "retrying"
// record, which it logs just before it starts waiting.
type retrySignal chan struct{}

func (h retrySignal) Enabled(context.Context, slog.Level) bool { return true }
func (h retrySignal) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "upload: retrying" {
		select {
		case h <- struct{}{}:
		default:
		}
	}
	return nil
}
func (h retrySignal) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h retrySignal) WithGroup(string) slog.Handler      { return h }

func TestResponseSignature(t *testing.T) {
	jpg := readFixture(t, "tiny.jpg")
	tests := []struct {
		name  string
		fault uploadtest.Fault
		warn  bool
		want  error // nil = success
	}{
		{"missing", uploadtest.Fault{NoSignature: true}, false, upload.ErrSignatureMissing},
		{"wrong", uploadtest.Fault{BadSignature: true}, false, upload.ErrSignatureMismatch},
		{"missing, warn only", uploadtest.Fault{NoSignature: true}, true, nil},
		{"wrong, warn only", uploadtest.Fault{BadSignature: true}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := uploadtest.Start(t, nil)
			var logs bytes.Buffer
			opts := []upload.Option{upload.WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}
			if tt.warn {
				opts = append(opts, upload.WithSignatureCheck(upload.SignatureWarn))
			}
			c := newClient(t, s, opts...)
			s.Inject(tt.fault, 1)
			res, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg})
			if len(s.Requests()) != 1 {
				t.Fatalf("%d requests: a signature failure must not be retried", len(s.Requests()))
			}
			if tt.want == nil {
				if err != nil || res.ID == "" {
					t.Fatalf("err = %v", err)
				}
				if !strings.Contains(logs.String(), "bad signature") {
					t.Fatalf("no warning logged: %q", logs.String())
				}
				return
			}
			if !errors.Is(err, upload.ErrBadResponseSignature) || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want ErrBadResponseSignature and %v", err, tt.want)
			}
			if strings.Contains(err.Error()+logs.String(), s.Secret) {
				t.Fatal("secret leaked")
			}
		})
	}
}

// TestSecretRotation: responses signed with an extra secret are accepted.
func TestSecretRotation(t *testing.T) {
	body := []byte(`{"status":"success","image":{"id":"m1"}}`)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-HMAC-SIGNATURE", upload.Sign([]byte("new-secret"), body))
		w.Write(body)
	}))
	defer hs.Close()
	m := upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")}
	session := "f04bdb47-d3be-4b28-b028-a652feb060b5"
	for _, tt := range []struct {
		name  string
		extra []string
		ok    bool
	}{
		{"old secret only", nil, false},
		{"old plus new", []string{"new-secret"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := []upload.Option{upload.WithBaseURL(hs.URL), fastRetry}
			if tt.extra != nil {
				opts = append(opts, upload.WithExtraSecrets(tt.extra...))
			}
			c, err := upload.New("key", "old-secret", opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UploadMedia(context.Background(), session, m)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestRequestOnTheWire checks headers, URL, length and signature as a server
// sees them.
func TestRequestOnTheWire(t *testing.T) {
	const key, secret = "4f2e1c9a-1111-4222-8333-944455556666", "s3cret"
	session := "f04bdb47-d3be-4b28-b028-a652feb060b5"
	type seen struct {
		method, path, ct, key, sig, ua, integ string
		length                                int64
		body                                  []byte
	}
	var got []seen
	var mu sync.Mutex
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("X-Auth-Client"), r.Header.Get("X-Hmac-Signature"), r.Header.Get("User-Agent"), r.Header.Get("Vrf-Integration-Id"), r.ContentLength, b})
		mu.Unlock()
		resp := []byte(`{"status":"success","image":{"id":"m1"},"verification":{"id":"` + session + `","status":"submitted"}}`)
		w.Header().Set("X-HMAC-SIGNATURE", upload.Sign([]byte(secret), resp))
		w.Write(resp)
	}))
	defer hs.Close()
	for _, base := range []string{hs.URL + "/api/", hs.URL + "/api/v1"} {
		t.Run(base[len(hs.URL):], func(t *testing.T) {
			got = nil
			c, err := upload.New(key, secret, upload.WithBaseURL(base), upload.WithUserAgent("capture/2"), upload.WithIntegrationID("integ-7"))
			if err != nil {
				t.Fatal(err)
			}
			jpg := readFixture(t, "tiny.jpg")
			if _, err := c.UploadMedia(context.Background(), session, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}); err != nil {
				t.Fatal(err)
			}
			sr, err := c.Submit(context.Background(), session)
			if err != nil || sr.VerificationStatus != "submitted" || sr.ID != session {
				t.Fatalf("Submit = %+v, %v", sr, err)
			}
			if len(got) != 2 {
				t.Fatalf("%d requests", len(got))
			}
			for i, want := range []struct{ method, path string }{{"POST", "/api/v1/sessions/" + session + "/media"}, {"PATCH", "/api/v1/sessions/" + session}} {
				g := got[i]
				if g.method != want.method || g.path != want.path || g.ct != "application/json" || g.key != key || g.ua != "capture/2" || g.integ != "integ-7" {
					t.Fatalf("request %d: %+v", i, g)
				}
				if g.length != int64(len(g.body)) || g.sig != upload.Sign([]byte(secret), g.body) {
					t.Fatalf("request %d: length %d for %d bytes, signature %s", i, g.length, len(g.body), g.sig)
				}
			}
			if string(got[1].body) != `{"verification":{"status":"submitted"}}` {
				t.Fatalf("submit body %s", got[1].body)
			}
		})
	}
}

func TestSubmit(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	jpg := readFixture(t, "tiny.jpg")
	if _, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}); err != nil {
		t.Fatal(err)
	}
	s.Inject(uploadtest.Fault{Status: 502}, 1)
	r, err := c.Submit(context.Background(), s.SessionID)
	if err != nil || r.VerificationStatus != "submitted" || r.ID != s.SessionID || r.Attempts != 2 {
		t.Fatalf("Submit = %+v, %v", r, err)
	}
	if !s.Submitted(s.SessionID) {
		t.Fatal("fake not submitted")
	}
	if _, err := c.Submit(context.Background(), s.SessionID); !errors.Is(err, upload.ErrAlreadySubmitted) {
		t.Fatalf("second Submit err = %v", err)
	}
	if _, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}); !errors.Is(err, upload.ErrAlreadySubmitted) {
		t.Fatalf("upload after submit err = %v", err)
	}
}

func TestConcurrentUploads(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	files := []struct{ name, mime string }{{"tiny.jpg", upload.MIMEJPEG}, {"tiny.png", upload.MIMEPNG}, {"tiny.webp", upload.MIMEWebP}, {"tiny.heic", upload.MIMEHEIC}}
	s.Inject(uploadtest.Fault{Status: 503}, 4)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		f := files[i%len(files)]
		content := readFixture(t, f.name)
		session := s.SessionID
		if i%2 == 1 {
			session = s.NewSession()
		}
		wg.Go(func() {
			_, err := c.UploadMedia(context.Background(), session, upload.Media{Context: upload.Contexts[i%len(upload.Contexts)], MIMEType: f.mime, Content: content})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(s.Media(s.SessionID)); got != n/2 {
		t.Fatalf("fake stored %d media in the shared session, want %d", got, n/2)
	}
}

func TestBasePathMistakeFails(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c, err := upload.New(s.APIKey, s.Secret, upload.WithBaseURL(strings.TrimSuffix(s.URL, uploadtest.DefaultBasePath)), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
	if !errors.Is(err, upload.ErrSessionNotFound) {
		t.Fatalf("err = %v, want a 404", err)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name        string
		key, secret string
		opts        []upload.Option
		ok          bool
	}{
		{"defaults", "k", "s", nil, true},
		{"empty key", "", "s", nil, false},
		{"empty secret", "k", "", nil, false},
		{"key with newline", "k\r\nX-Evil: 1", "s", nil, false},
		{"ftp base", "k", "s", []upload.Option{upload.WithBaseURL("ftp://x")}, false},
		{"relative base", "k", "s", []upload.Option{upload.WithBaseURL("/v1")}, false},
		{"base with query", "k", "s", []upload.Option{upload.WithBaseURL("https://x/?a=1")}, false},
		{"base with user", "k", "s", []upload.Option{upload.WithBaseURL("https://u:p@x/")}, false},
		{"nil http client", "k", "s", []upload.Option{upload.WithHTTPClient(nil)}, false},
		{"negative retry", "k", "s", []upload.Option{upload.WithRetryPolicy(upload.RetryPolicy{MaxAttempts: -1})}, false},
		{"empty extra secret", "k", "s", []upload.Option{upload.WithExtraSecrets("")}, false},
		{"bad signature mode", "k", "s", []upload.Option{upload.WithSignatureCheck(9)}, false},
		{"nil logger", "k", "s", []upload.Option{upload.WithLogger(nil)}, false},
		{"empty user agent", "k", "s", []upload.Option{upload.WithUserAgent("")}, false},
		{"empty integration id", "k", "s", []upload.Option{upload.WithIntegrationID("")}, false},
		{"empty allowed context", "k", "s", []upload.Option{upload.AllowContexts("")}, false},
		{"all options", "k", "s", []upload.Option{upload.WithBaseURL("https://api.veriff.me/v1"), upload.WithHTTPClient(http.DefaultClient), upload.WithRetryPolicy(upload.RetryPolicy{MaxAttempts: 1}), upload.WithUserAgent("x"), upload.WithExtraSecrets("t"), upload.WithIntegrationID("i"), upload.AllowContexts("selfie"), upload.AllowAnyContext(), upload.WithSignatureCheck(upload.SignatureWarn), upload.WithLogger(slog.Default()), nil}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := upload.New(tt.key, tt.secret, tt.opts...)
			if tt.ok != (err == nil) || tt.ok != (c != nil) {
				t.Fatalf("New = %v, %v", c, err)
			}
			if err != nil && !errors.Is(err, upload.ErrInvalidOption) {
				t.Fatalf("err %v does not match ErrInvalidOption", err)
			}
		})
	}
}

func TestRedaction(t *testing.T) {
	const key, secret, extra = "4f2e1c9a-1111-4222-8333-944455556666", "TOP-SECRET-VALUE", "OTHER-SECRET-VALUE"
	c, err := upload.New(key, secret, upload.WithExtraSecrets(extra))
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{c, *c} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, secret) || strings.Contains(out, extra) || strings.Contains(out, key) ||
				strings.Contains(out, hex.EncodeToString([]byte(secret))) {
				t.Errorf("%s of %T leaks: %s", verb, v, out)
			}
		}
	}
	if !strings.Contains(c.String(), "6666") {
		t.Errorf("String() = %s; want the key's last 4 characters to tell keys apart", c)
	}
	if _, err := upload.New(key, ""); err == nil || strings.Contains(err.Error(), key) {
		t.Errorf("New error %v", err)
	}
}

// TestMalformedResponses: oversized or undecodable 2xx answers fail with
// ErrBadResponse after one attempt.
func TestMalformedResponses(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{"oversized", bytes.Repeat([]byte(" "), upload.MaxResponseBytes+1)},
		{"not JSON", []byte("<html>ok</html>")},
		{"no media id", []byte(`{"status":"success","image":{}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits int
			var mu sync.Mutex
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				hits++
				mu.Unlock()
				w.Header().Set("X-HMAC-SIGNATURE", upload.Sign([]byte("s"), tt.body))
				w.Write(tt.body)
			}))
			defer hs.Close()
			c, err := upload.New("k", "s", upload.WithBaseURL(hs.URL), fastRetry)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UploadMedia(context.Background(), "f04bdb47-d3be-4b28-b028-a652feb060b5", upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
			if !errors.Is(err, upload.ErrBadResponse) || hits != 1 {
				t.Fatalf("err = %v after %d requests", err, hits)
			}
		})
	}
}
