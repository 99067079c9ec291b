package uploadtest

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure the fake injects into a request. The fake always reads
// (and records) the whole request body first. Delay is applied before
// anything else; then Reset, else Status; the signature and truncation
// faults change an otherwise normal answer.
type Fault struct {
	// Delay waits before answering (ends early if the client goes away).
	Delay time.Duration
	// Reset closes the connection with a TCP RST instead of answering.
	Reset bool
	// Status, when non-zero, answers with this status and a documented
	// error body (code "1101") without processing the request.
	Status int
	// RetryAfter is sent as the Retry-After header with Status.
	RetryAfter string
	// Truncate sends the headers and half of the body, then closes the
	// connection.
	Truncate bool
	// NoSignature omits x-hmac-signature from the answer.
	NoSignature bool
	// BadSignature signs the answer with a wrong secret.
	BadSignature bool
}

// String describes f, e.g. "status 503" or "reset".
func (f Fault) String() string {
	var parts []string
	if f.Delay > 0 {
		parts = append(parts, "delay "+f.Delay.String())
	}
	if f.Reset {
		parts = append(parts, "reset")
	}
	if f.Status != 0 {
		parts = append(parts, "status "+strconv.Itoa(f.Status))
	}
	if f.RetryAfter != "" {
		parts = append(parts, "retry-after "+f.RetryAfter)
	}
	if f.Truncate {
		parts = append(parts, "truncate")
	}
	if f.NoSignature {
		parts = append(parts, "no signature")
	}
	if f.BadSignature {
		parts = append(parts, "bad signature")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// Inject makes the next n requests suffer f, after any faults already
// queued.
func (s *Server) Inject(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// PendingFaults returns how many injected faults have not been used yet.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

// applyFault performs the delay, reset and status parts of f. It returns
// false when it answered (or dropped) the request itself. commit records
// the request at once: a reset calls it before closing the connection, so
// that a client which sees the reset also sees the request in Requests.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault, rec *Request, commit func()) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false
		}
	}
	if f.Reset {
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic(http.ErrAbortHandler)
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // RST instead of FIN
		}
		commit()
		conn.Close()
		return false
	}
	if f.Status != 0 {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		resp := s.fail(&apiError{f.Status, "1101", fmt.Sprintf("Injected fault: %s.", http.StatusText(f.Status))}, true)
		s.write(w, resp, f, rec)
		return false
	}
	return true
}
