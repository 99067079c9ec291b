package upload_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// usage is a count of the process's goroutines and open file descriptors
// (fds is -1 where /proc/self/fd does not exist).
type usage struct{ goroutines, fds int }

func currentUsage() usage {
	u := usage{goroutines: runtime.NumGoroutine(), fds: -1}
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		u.fds = len(ents) - 1 // ReadDir's own descriptor is listed too
	}
	return u
}

// settle calls closeIdle and polls until usage is back to base at most,
// for up to 10 s; it returns the last usage seen. Goroutines of closed
// connections and finished handlers need a moment to exit, which no event
// announces, hence the polling (the only sleep in these tests).
func settle(base usage, closeIdle func()) usage {
	deadline := time.Now().Add(10 * time.Second)
	for {
		closeIdle()
		u := currentUsage()
		if (u.goroutines <= base.goroutines && u.fds <= base.fds) || time.Now().After(deadline) {
			return u
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkNoLeaks fails t if usage did not return to base, listing the
// goroutines and descriptors left.
func checkNoLeaks(t *testing.T, base usage, closeIdle func()) usage {
	t.Helper()
	u := settle(base, closeIdle)
	if u.goroutines > base.goroutines {
		var b bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&b, 1)
		t.Errorf("%d goroutines, %d before:\n%s", u.goroutines, base.goroutines, b.String())
	}
	if u.fds > base.fds {
		t.Errorf("%d open file descriptors, %d before: %s", u.fds, base.fds, openFDs())
	}
	return u
}

func openFDs() string {
	ents, _ := os.ReadDir("/proc/self/fd")
	var out []string
	for _, e := range ents {
		target, _ := os.Readlink("/proc/self/fd/" + e.Name())
		out = append(out, e.Name()+"→"+target)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestNoLeaks runs each kind of failing upload several times and checks
// that no goroutine or file descriptor outlives it (issue #6 item 6): the
// client closes every response body and connection it opened, and stops
// waiting when the context ends.
func TestNoLeaks(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Log("no /proc/self/fd: counting goroutines only")
	}
	const rounds = 5
	jpg := readFixture(t, "tiny.jpg")
	media := upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpg}
	refused := uploadtest.NewServer(nil)
	refused.Close() // its port now refuses connections
	var top usage   // the process at rest, seen from a subtest like those below
	t.Run("at rest", func(t *testing.T) { top = currentUsage() })

	type env struct {
		s      *uploadtest.Server
		c      *upload.Client
		signal retrySignal
	}
	tests := []struct {
		name  string
		setup func(e *env)                                                   // queue faults before each round
		call  func(ctx context.Context, e *env) error                        // one upload or submit
		opts  func(s *uploadtest.Server, tr *http.Transport) []upload.Option // extra client options
		want  []error                                                        // the error must match each
	}{
		{"connection reset", func(e *env) { e.s.Inject(uploadtest.Fault{Reset: true}, 3) }, nil, nil,
			[]error{upload.ErrNetwork}},
		{"attempt timeout", func(e *env) { e.s.Inject(uploadtest.Fault{Delay: time.Minute}, 3) }, nil,
			func(_ *uploadtest.Server, tr *http.Transport) []upload.Option {
				return []upload.Option{
					upload.WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond, Transport: tr}),
					upload.WithRetryPolicy(upload.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}),
				}
			},
			[]error{upload.ErrNetwork, context.DeadlineExceeded}},
		{"truncated answer", func(e *env) { e.s.Inject(uploadtest.Fault{Truncate: true}, 3) }, nil, nil,
			[]error{upload.ErrNetwork}},
		{"bad response signature", func(e *env) { e.s.Inject(uploadtest.Fault{BadSignature: true}, 1) }, nil, nil,
			[]error{upload.ErrBadResponseSignature}},
		{"503 exhausted", func(e *env) { e.s.Inject(uploadtest.Fault{Status: 503}, 3) }, nil, nil,
			[]error{upload.ErrServer}},
		{"401 wrong secret", nil, nil,
			func(*uploadtest.Server, *http.Transport) []upload.Option { return nil }, // the client below signs with another secret
			[]error{upload.ErrUnauthorized}},
		{"connection refused", nil, nil,
			func(_ *uploadtest.Server, tr *http.Transport) []upload.Option {
				return []upload.Option{upload.WithBaseURL(refused.URL)}
			},
			[]error{upload.ErrNetwork}},
		{"context deadline during a slow answer", func(e *env) { e.s.Inject(uploadtest.Fault{Delay: time.Minute}, 1) },
			func(ctx context.Context, e *env) error {
				ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
				_, err := e.c.UploadMedia(ctx, e.s.SessionID, media)
				return err
			}, nil,
			[]error{context.DeadlineExceeded}},
		{"cancel while backing off", func(e *env) { e.s.Inject(uploadtest.Fault{Status: 503}, 1) },
			func(ctx context.Context, e *env) error {
				ctx, cancel := context.WithCancel(ctx)
				defer cancel()
				done := make(chan error, 1)
				go func() {
					_, err := e.c.UploadMedia(ctx, e.s.SessionID, media)
					done <- err
				}()
				select {
				case <-e.signal:
					cancel()
				case err := <-done:
					return fmt.Errorf("returned before backing off: %w", err)
				}
				return <-done
			},
			func(_ *uploadtest.Server, tr *http.Transport) []upload.Option {
				return []upload.Option{upload.WithRetryPolicy(upload.RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour})}
			},
			[]error{context.Canceled, upload.ErrServer}},
		{"submit after 502s", func(e *env) { e.s.Inject(uploadtest.Fault{Status: 502}, 3) },
			func(ctx context.Context, e *env) error {
				_, err := e.c.Submit(ctx, e.s.SessionID)
				return err
			}, nil,
			[]error{upload.ErrServer}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Let the connections of the previous case wind down, then
			// count with the fake running and no connection open.
			if u := settle(top, func() {}); u.goroutines > top.goroutines || u.fds > top.fds {
				t.Logf("previous cases still winding down: %+v, at rest %+v", u, top)
			}
			s := uploadtest.Start(t, nil)
			base := currentUsage()
			tr := http.DefaultTransport.(*http.Transport).Clone()
			e := &env{s: s, signal: make(retrySignal, 1)}
			opts := []upload.Option{
				upload.WithHTTPClient(&http.Client{Timeout: 5 * time.Second, Transport: tr}),
				upload.WithLogger(slog.New(e.signal)),
			}
			if tt.opts != nil {
				opts = append(opts, tt.opts(s, tr)...)
			}
			secret := s.Secret
			if strings.HasPrefix(tt.name, "401") {
				secret = "not-" + s.Secret
			}
			c, err := upload.New(s.APIKey, secret, append([]upload.Option{upload.WithBaseURL(s.URL), fastRetry}, opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			e.c = c
			call := tt.call
			if call == nil {
				call = func(ctx context.Context, e *env) error {
					_, err := e.c.UploadMedia(ctx, e.s.SessionID, media)
					return err
				}
			}
			for round := range rounds {
				if tt.setup != nil {
					tt.setup(e)
				}
				err := call(context.Background(), e)
				for _, w := range tt.want {
					if !errors.Is(err, w) {
						t.Fatalf("round %d: err = %v, want it to match %v", round, err, w)
					}
				}
			}
			u := checkNoLeaks(t, base, tr.CloseIdleConnections)
			t.Logf("after %d rounds: %d goroutines (baseline %d), %d fds (baseline %d)", rounds, u.goroutines, base.goroutines, u.fds, base.fds)
		})
	}
}

// TestNoLeaksOversizedAnswer: an answer over MaxResponseBytes is the one
// the client stops reading before its end, so only closing the body frees
// the connection (the other cases read to EOF, which frees it anyway).
func TestNoLeaksOversizedAnswer(t *testing.T) {
	var top usage
	t.Run("at rest", func(t *testing.T) { top = currentUsage() })
	t.Run("oversized", func(t *testing.T) {
		settle(top, func() {})
		big := bytes.Repeat([]byte(" "), 4*upload.MaxResponseBytes)
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusOK)
			w.Write(big) // blocks until the client reads or closes
		}))
		t.Cleanup(hs.Close)
		base := currentUsage()
		tr := http.DefaultTransport.(*http.Transport).Clone()
		c, err := upload.New("4f2e1c9a-1111-4222-8333-944455556666", "s3cret", upload.WithBaseURL(hs.URL),
			upload.WithHTTPClient(&http.Client{Transport: tr}), fastRetry)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			_, err := c.UploadMedia(context.Background(), "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
				upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: readFixture(t, "tiny.jpg")})
			if !errors.Is(err, upload.ErrBadResponse) {
				t.Fatalf("err = %v, want ErrBadResponse", err)
			}
		}
		u := checkNoLeaks(t, base, tr.CloseIdleConnections)
		t.Logf("%d goroutines (baseline %d), %d fds (baseline %d)", u.goroutines, base.goroutines, u.fds, base.fds)
	})
}
