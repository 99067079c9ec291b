package upload_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// TestRetries: transient faults are retried and every attempt sends the
// same bytes with the same signature.
func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		fault    uploadtest.Fault
		n        int
		attempts int
		stored   int // media the fake keeps: a truncated answer came after storing
	}{
		{"500 once", uploadtest.Fault{Status: 500}, 1, 2, 1},
		{"503 twice", uploadtest.Fault{Status: 503}, 2, 3, 1},
		{"502 once", uploadtest.Fault{Status: 502}, 1, 2, 1},
		{"429 with Retry-After 0", uploadtest.Fault{Status: 429, RetryAfter: "0"}, 1, 2, 1},
		{"connection reset twice", uploadtest.Fault{Reset: true}, 2, 3, 1},
		{"delay then reset", uploadtest.Fault{Reset: true, Delay: 10 * time.Millisecond}, 1, 2, 1},
		{"truncated response", uploadtest.Fault{Truncate: true}, 1, 2, 2},
	}
	content := readFixture(t, "tiny.jpg")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := uploadtest.Start(t, nil)
			c := newClient(t, s)
			s.Inject(tt.fault, tt.n)
			res, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: content})
			if err != nil {
				t.Fatal(err)
			}
			reqs := s.Requests()
			if res.Attempts != tt.attempts || len(reqs) != tt.attempts {
				t.Fatalf("attempts %d, fake saw %d, want %d", res.Attempts, len(reqs), tt.attempts)
			}
			for i, r := range reqs {
				if r.BodySHA256 != reqs[0].BodySHA256 || r.Signature != reqs[0].Signature || r.BodySize != reqs[0].BodySize {
					t.Fatalf("attempt %d sent different bytes: %+v vs %+v", i+1, r, reqs[0])
				}
			}
			if n := len(s.Media(s.SessionID)); n != tt.stored {
				t.Fatalf("fake stored %d media, want %d", n, tt.stored)
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	s.Inject(uploadtest.Fault{Status: 503}, 5)
	_, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
	var ae *upload.APIError
	if !errors.Is(err, upload.ErrServer) || !errors.As(err, &ae) || ae.Attempts != 3 || ae.StatusCode != 503 || ae.Code != "1101" {
		t.Fatalf("err = %v (%+v)", err, ae)
	}
	if n := len(s.Requests()); n != upload.DefaultMaxAttempts {
		t.Fatalf("fake saw %d requests, want %d", n, upload.DefaultMaxAttempts)
	}
}

// shrinkingReader serves its bytes for the signing pass only, as a file
// truncated during the upload would.
type shrinkingReader struct {
	data  []byte
	reads int
}

func (r *shrinkingReader) ReadAt(p []byte, off int64) (int, error) {
	r.reads++
	if r.reads > 2 { // validation's sniff, then signing
		return 0, io.EOF
	}
	return bytes.NewReader(r.data).ReadAt(p, off)
}

func TestContentChangesWhileSending(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	jpg := readFixture(t, "tiny.jpg")
	_, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Reader: &shrinkingReader{data: jpg}, Size: int64(len(jpg))})
	if !errors.Is(err, upload.ErrInvalidMedia) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want ErrInvalidMedia wrapping io.ErrUnexpectedEOF", err)
	}
	if n := len(s.Media(s.SessionID)); n != 0 {
		t.Fatalf("fake stored %d media", n)
	}
	if n := len(s.Requests()); n > 1 {
		t.Fatalf("%d requests: a content error must not be retried", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	s := uploadtest.Start(t, nil)
	waiting := make(retrySignal, 1)
	c := newClient(t, s, upload.WithRetryPolicy(upload.RetryPolicy{BaseDelay: time.Minute, MaxDelay: time.Minute}), upload.WithLogger(slog.New(waiting)))
	s.Inject(uploadtest.Fault{Status: 503}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.UploadMedia(ctx, s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("returned before backing off: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !errors.Is(err, upload.ErrServer) {
			t.Fatalf("err = %v, want context.Canceled and the last 503", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("UploadMedia kept waiting after cancel")
	}
	if n := len(s.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestDeadlineBeforeNextAttempt(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s, upload.WithRetryPolicy(upload.RetryPolicy{BaseDelay: time.Minute, MaxDelay: time.Minute}))
	s.Inject(uploadtest.Fault{Status: 500}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.UploadMedia(ctx, s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
	if !errors.Is(err, upload.ErrServer) || time.Since(start) > 10*time.Second {
		t.Fatalf("err = %v after %v; want the 500 at once", err, time.Since(start))
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	s := uploadtest.Start(t, nil)
	c := newClient(t, s)
	s.Inject(uploadtest.Fault{Status: 429, RetryAfter: "1"}, 1)
	start := time.Now()
	res, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
	if err != nil || res.Attempts != 2 {
		t.Fatalf("err %v, res %+v", err, res)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("retried after %v, server asked for 1s", d)
	}
	// A Retry-After beyond the policy's cap ends the retries at once.
	s.Inject(uploadtest.Fault{Status: 503, RetryAfter: "3600"}, 1)
	_, err = c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
	var ae *upload.APIError
	if !errors.As(err, &ae) || ae.Attempts != 1 {
		t.Fatalf("err = %v", err)
	}
}

// TestAttemptTimeoutRetried: an attempt cut by the HTTP client's timeout is
// a network error and is retried.
func TestAttemptTimeoutRetried(t *testing.T) {
	s := uploadtest.Start(t, nil)
	hc := &http.Client{Timeout: 300 * time.Millisecond, Transport: s.HTTPClient().Transport}
	c := newClient(t, s, upload.WithHTTPClient(hc))
	s.Inject(uploadtest.Fault{Delay: time.Minute}, 1)
	res, err := c.UploadMedia(context.Background(), s.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
	// 2 attempts, or 3 when a loaded machine stretches the second past
	// 300 ms too.
	if err != nil || res.Attempts < 2 {
		t.Fatalf("res %+v, err %v", res, err)
	}
}
