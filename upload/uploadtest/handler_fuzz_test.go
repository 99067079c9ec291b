package uploadtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mediaprep/mediaprep/upload"
)

// fuzzSession is the session every FuzzServeHTTP input may address; it is
// reset (open, no media) before each input.
const fuzzSession = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"

// FuzzServeHTTP drives whole requests (method, path, body, signed or not)
// through the fake's handler, without a network: it must never panic, must
// answer only documented statuses with a JSON body whose "status" says
// success exactly on 200, must sign every answer except 401s, and must store
// a media exactly when it answers 200 to a media POST.
func FuzzServeHTTP(f *testing.F) {
	jpg := fixture(f, "tiny.jpg")
	media := "/v1/sessions/" + fuzzSession + "/media"
	f.Add(uint8(0), media, mediaJSON("face", uri("image/jpeg", jpg), ""), true)
	f.Add(uint8(0), media, mediaJSON("face", base64.StdEncoding.EncodeToString(fixture(f, "tiny.png")), ""), true)
	f.Add(uint8(0), media, mediaJSON("document-front", uri("application/pdf", fixture(f, "tiny.pdf")), ""), true)
	f.Add(uint8(0), media, mediaJSON("face", uri("image/jpeg", jpg), ""), false)
	f.Add(uint8(0), media, []byte(`{"image":{"context":"face","content":"data:image/jpeg;base64,@@"}}`), true)
	f.Add(uint8(1), "/v1/sessions/"+fuzzSession, []byte(`{"verification":{"status":"submitted"}}`), true)
	f.Add(uint8(1), "/v1/sessions/"+fuzzSession, []byte(`{"verification":{"status":"approved"}}`), true)
	f.Add(uint8(1), "/v1/sessions/"+fuzzSession, []byte(`{"verification":null}`), true)
	f.Add(uint8(2), media, []byte(`{}`), true)
	f.Add(uint8(0), "/v1/sessions/00000000-0000-4000-8000-000000000000/media", []byte(`{}`), true)
	f.Add(uint8(0), "/v1/sessions//media/../x", []byte{}, true)
	f.Add(uint8(3), "/v2/%zz", []byte("\x00"), false)

	s := NewServer(&Options{APIKey: "0b6a1f9e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", Secret: "fuzz-secret"})
	defer s.Close()
	methods := []string{http.MethodPost, http.MethodPatch, http.MethodGet, http.MethodDelete}
	documented := map[int]bool{200: true, 400: true, 401: true, 404: true, 405: true, 409: true, 413: true}

	f.Fuzz(func(t *testing.T, method uint8, path string, body []byte, signed bool) {
		if len(body) > 1<<16 || len(path) > 512 {
			return
		}
		req, err := http.NewRequest(methods[int(method)%len(methods)], "http://fake"+DefaultBasePath+path, bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("X-AUTH-CLIENT", s.APIKey)
		if signed {
			req.Header.Set("X-HMAC-SIGNATURE", upload.Sign([]byte(s.Secret), body))
		} else {
			req.Header.Set("X-HMAC-SIGNATURE", upload.Sign([]byte("other"), body))
		}
		s.mu.Lock()
		s.sessions[fuzzSession] = &session{}
		s.requests, s.seen = nil, map[string]int{}
		s.mu.Unlock()
		const nreq = 0

		w := httptest.NewRecorder()
		s.serveHTTP(w, req)

		status := w.Code
		if !documented[status] {
			t.Fatalf("status %d", status)
		}
		var out struct {
			Status string `json:"status"`
			Code   string `json:"code"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%d answer is not JSON: %v: %q", status, err, w.Body.Bytes())
		}
		if (out.Status == "success") != (status == 200) || (status != 200 && (out.Status != "fail" || out.Code == "")) {
			t.Fatalf("%d answer %s", status, w.Body.Bytes())
		}
		sig := w.Header().Get("X-Hmac-Signature")
		if status == 401 {
			if sig != "" {
				t.Fatal("401 answer signed")
			}
		} else if upload.VerifySignature(w.Body.Bytes(), sig, []byte(s.Secret)) != nil {
			t.Fatalf("%d answer not signed", status)
		}
		if !signed && status == 200 {
			t.Fatal("accepted a request with a wrong signature")
		}
		stored := len(s.Media(fuzzSession))
		isMediaPOST := req.Method == http.MethodPost && req.URL.Path == DefaultBasePath+media
		if want := 0; status == 200 && isMediaPOST {
			if stored != 1 {
				t.Fatalf("200 to a media POST but %d media stored", stored)
			}
		} else if stored != want {
			t.Fatalf("answer %d but %d media stored", status, stored)
		}
		reqs := s.Requests()
		if len(reqs) != nreq+1 {
			t.Fatalf("%d requests recorded, want %d", len(reqs), nreq+1)
		}
		if r := reqs[nreq]; r.Status != status || r.SignatureOK != signed || r.BodySize != len(body) {
			t.Fatalf("recorded %+v for a %d answer", r, status)
		}
	})
}
