package upload_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// TestErrNetwork: ErrNetwork marks exactly the calls whose last attempt got
// no complete answer, and keeps the transport's error reachable.
func TestErrNetwork(t *testing.T) {
	jpg := readFixture(t, "tiny.jpg")
	media := upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}
	oversized := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte(" "), upload.MaxResponseBytes+1))
	}))
	defer oversized.Close()
	tests := []struct {
		name    string
		fault   *uploadtest.Fault
		client  func(s *uploadtest.Server) *upload.Client
		media   upload.Media
		network bool
		also    error // the error must match this too
	}{
		{"reset", &uploadtest.Fault{Reset: true}, nil, media, true, nil},
		{"truncated", &uploadtest.Fault{Truncate: true}, nil, media, true, io.ErrUnexpectedEOF},
		{"attempt timeout", &uploadtest.Fault{Delay: time.Minute}, func(s *uploadtest.Server) *upload.Client {
			return newClient(t, s, upload.WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}))
		}, media, true, context.DeadlineExceeded},
		{"503", &uploadtest.Fault{Status: 503}, nil, media, false, upload.ErrServer},
		{"bad signature", &uploadtest.Fault{BadSignature: true}, nil, media, false, upload.ErrBadResponseSignature},
		{"oversized answer", nil, func(*uploadtest.Server) *upload.Client {
			c, err := upload.New("k", "s", upload.WithBaseURL(oversized.URL), fastRetry)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, media, false, upload.ErrBadResponse},
		{"content shrinks while sending", nil, nil,
			upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Reader: &shrinkingReader{data: jpg}, Size: int64(len(jpg))},
			false, upload.ErrInvalidMedia},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := uploadtest.Start(t, nil)
			c := newClient(t, s)
			if tt.client != nil {
				c = tt.client(s)
			}
			if tt.fault != nil {
				s.Inject(*tt.fault, upload.DefaultMaxAttempts)
			}
			_, err := c.UploadMedia(context.Background(), s.SessionID, tt.media)
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, upload.ErrNetwork); got != tt.network {
				t.Fatalf("errors.Is(%v, ErrNetwork) = %v, want %v", err, got, tt.network)
			}
			var ue *url.Error
			if tt.network && tt.name != "truncated" && !errors.As(err, &ue) {
				t.Fatalf("%v: the transport's *url.Error is not reachable", err)
			}
			if tt.also != nil && !errors.Is(err, tt.also) {
				t.Fatalf("%v does not match %v", err, tt.also)
			}
		})
	}
}
