package uploadtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/upload"
)

type answer struct {
	status int
	code   string
	sig    string
	body   []byte
}

// send posts body to path (relative to the base URL) with the given key
// and signature; sign=="" computes the right one, "-" sends none.
func send(t *testing.T, s *Server, method, path, key, sig string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "-" {
		req.Header.Set("X-AUTH-CLIENT", key)
	}
	switch sig {
	case "":
		req.Header.Set("X-HMAC-SIGNATURE", upload.Sign([]byte(s.Secret), body))
	case "-":
	default:
		req.Header.Set("X-HMAC-SIGNATURE", sig)
	}
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var e struct{ Code string }
	json.Unmarshal(raw, &e)
	return answer{resp.StatusCode, e.Code, resp.Header.Get("X-Hmac-Signature"), raw}
}

func TestServerAnswers(t *testing.T) {
	s := Start(t, nil)
	body := mediaJSON("face", uri("image/jpeg", fixture(t, "tiny.jpg")), "")
	media := "/v1/sessions/" + s.SessionID + "/media"
	other := NewServer(nil) // a second integration: its key is a valid UUID unknown here
	other.Close()
	tests := []struct {
		name, method, path, key, sig string
		body                         []byte
		status                       int
		code                         string
		signed                       bool
	}{
		{"ok", "POST", media, s.APIKey, "", body, 200, "", true},
		{"no key", "POST", media, "-", "", body, 401, "1801", false},
		{"key not UUID", "POST", media, "my-key", "", body, 401, "1802", false},
		{"unknown key", "POST", media, other.APIKey, "", body, 401, "1803", false},
		{"no signature", "POST", media, s.APIKey, "-", body, 401, "1812", false},
		{"signature not hex", "POST", media, s.APIKey, strings.Repeat("x", 64), body, 401, "1812", false},
		{"signature of other body", "POST", media, s.APIKey, upload.Sign([]byte(s.Secret), []byte("{}")), body, 401, "1819", false},
		{"signature with other secret", "POST", media, s.APIKey, upload.Sign([]byte("x"), body), body, 401, "1819", false},
		{"unknown session", "POST", "/v1/sessions/f04bdb47-d3be-4b28-b028-a652feb060b5/media", s.APIKey, "", body, 404, "1101", true},
		{"no v1", "POST", "/sessions/" + s.SessionID + "/media", s.APIKey, "", body, 404, "1101", true},
		{"GET media", "GET", media, s.APIKey, "", nil, 405, "1101", true},
		{"bad body", "POST", media, s.APIKey, "", []byte(`{"image":{}}`), 400, "1102", true},
		{"submit bad body", "PATCH", "/v1/sessions/" + s.SessionID, s.APIKey, "", []byte(`{"verification":{"status":"approved"}}`), 400, "1104", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, s, tt.method, tt.path, tt.key, tt.sig, tt.body)
			if a.status != tt.status || a.code != tt.code {
				t.Fatalf("got %d/%s, want %d/%s: %s", a.status, a.code, tt.status, tt.code, a.body)
			}
			if tt.signed != (a.sig != "") {
				t.Fatalf("signed = %v, want %v", a.sig != "", tt.signed)
			}
			if a.sig != "" {
				if err := upload.VerifySignature(a.body, a.sig, []byte(s.Secret)); err != nil {
					t.Fatalf("response signature: %v", err)
				}
			}
		})
	}
	// Outside the base path: the fake must not answer as the API would.
	resp, err := s.HTTPClient().Post(strings.TrimSuffix(s.URL, DefaultBasePath)+media, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("request without base path: status %d, want 404", resp.StatusCode)
	}
	if got := len(s.Media(s.SessionID)); got != 1 {
		t.Fatalf("recorded %d media, want 1", got)
	}
	if got := len(s.Requests()); got != len(tests)+1 {
		t.Fatalf("recorded %d requests, want %d", got, len(tests)+1)
	}
}

func TestServerSubmit(t *testing.T) {
	s := Start(t, nil)
	body := mediaJSON("face", uri("image/jpeg", fixture(t, "tiny.jpg")), "")
	media := "/v1/sessions/" + s.SessionID + "/media"
	sub := []byte(`{"verification":{"status":"submitted"}}`)
	steps := []struct {
		name, method, path string
		body               []byte
		status             int
	}{
		{"upload before", "POST", media, body, 200},
		{"submit", "PATCH", "/v1/sessions/" + s.SessionID, sub, 200},
		{"upload after", "POST", media, body, 409},
		{"submit again", "PATCH", "/v1/sessions/" + s.SessionID, sub, 409},
	}
	for _, st := range steps {
		if a := send(t, s, st.method, st.path, s.APIKey, "", st.body); a.status != st.status {
			t.Fatalf("%s: status %d, want %d: %s", st.name, a.status, st.status, a.body)
		}
	}
	if !s.Submitted(s.SessionID) || len(s.Media(s.SessionID)) != 1 {
		t.Fatal("state not recorded")
	}
}

func TestServerFaults(t *testing.T) {
	s := Start(t, nil)
	body := mediaJSON("face", uri("image/jpeg", fixture(t, "tiny.jpg")), "")
	path := "/v1/sessions/" + s.SessionID + "/media"
	post := func() (*http.Response, error) {
		req, _ := http.NewRequest("POST", s.URL+path, bytes.NewReader(body))
		req.Header.Set("X-AUTH-CLIENT", s.APIKey)
		req.Header.Set("X-HMAC-SIGNATURE", upload.Sign([]byte(s.Secret), body))
		return s.HTTPClient().Do(req)
	}
	tests := []struct {
		name  string
		fault Fault
		check func(t *testing.T, resp *http.Response, err error)
	}{
		{"status 503 with Retry-After", Fault{Status: 503, RetryAfter: "2"}, func(t *testing.T, resp *http.Response, err error) {
			if err != nil || resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" {
				t.Fatalf("got %v, %v", resp, err)
			}
		}},
		{"reset", Fault{Reset: true}, func(t *testing.T, resp *http.Response, err error) {
			if err == nil {
				t.Fatalf("got status %d, want a network error", resp.StatusCode)
			}
		}},
		{"truncate", Fault{Truncate: true}, func(t *testing.T, resp *http.Response, err error) {
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(resp.Body)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("read err = %v, want unexpected EOF", err)
			}
		}},
		{"no signature", Fault{NoSignature: true}, func(t *testing.T, resp *http.Response, err error) {
			if err != nil || resp.StatusCode != 200 || resp.Header.Get("X-Hmac-Signature") != "" {
				t.Fatalf("got %v, %v", resp, err)
			}
		}},
		{"bad signature", Fault{BadSignature: true}, func(t *testing.T, resp *http.Response, err error) {
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			if upload.VerifySignature(raw, resp.Header.Get("X-Hmac-Signature"), []byte(s.Secret)) == nil {
				t.Fatal("signature verifies")
			}
		}},
		{"delay", Fault{Delay: 20 * time.Millisecond}, func(t *testing.T, resp *http.Response, err error) {
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("got %v, %v", resp, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Inject(tt.fault, 1)
			resp, err := post()
			tt.check(t, resp, err)
			if resp != nil {
				resp.Body.Close()
			}
			if s.PendingFaults() != 0 {
				t.Fatal("fault not consumed")
			}
			reqs := s.Requests()
			if last := reqs[len(reqs)-1]; last.Fault != tt.fault.String() {
				t.Fatalf("recorded fault %q, want %q", last.Fault, tt.fault.String())
			}
		})
	}
	s.Inject(Fault{Status: 500}, 2)
	if s.PendingFaults() != 2 {
		t.Fatal("Inject(…, 2) did not queue 2 faults")
	}
}
