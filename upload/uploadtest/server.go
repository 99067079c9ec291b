package uploadtest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/mediaprep/mediaprep/upload"
)

// DefaultBasePath is the path the fake serves under when Options.BasePath is
// empty; clients must be given Server.URL, which includes it.
const DefaultBasePath = "/veriff-fake"

// MaxRequestBytes is the largest request body the fake reads (40 MB); a
// larger one gets 413.
const MaxRequestBytes = 40 << 20

// Options configure a Server. A nil *Options and zero fields mean the
// defaults.
type Options struct {
	// APIKey is the key expected in X-AUTH-CLIENT; "" means a random UUID.
	APIKey string
	// Secret is the shared secret; "" means 32 random bytes in hex.
	Secret string
	// BasePath is the path prefix of the API; "" means DefaultBasePath.
	BasePath string
	// ExtraContexts are accepted besides upload.Contexts.
	ExtraContexts []string
	// RequireDataURI refuses content sent as bare base64 (the API is
	// documented to take a data URI; the vendor's demo sends bare base64,
	// which the fake accepts by default).
	RequireDataURI bool
	// RejectPDF answers PDFs with 400/1104, as the API does when PDF upload
	// is not enabled for the integration.
	RejectPDF bool
	// HeaderOnly checks images by their headers only. By default the fake
	// also decodes JPEG, PNG and WebP fully (bounded by the 1920 px check)
	// and wants "%%EOF" near the end of a PDF, to catch corrupt or truncated
	// output; HEIC is always checked by header (its ispe box).
	HeaderOnly bool
	// KeepContent stores the decoded content of accepted media in
	// Media.Content (memory grows with every upload).
	KeepContent bool
	// Now is the clock for timestamp checks; nil means time.Now.
	Now func() time.Time
	// Faults injects faults at random into a fraction of requests; nil
	// means none. See FaultPlan and Server.SetFaultPlan. NewServer panics
	// with an error matching ErrInvalidFaultPlan if it is invalid.
	Faults *FaultPlan
}

// Server is a running fake of the API. Its fields are read-only. It is safe
// for concurrent use.
type Server struct {
	// URL is the base URL to give upload.WithBaseURL (it includes the base
	// path), e.g. "http://127.0.0.1:40123/veriff-fake".
	URL string
	// APIKey is the key the fake expects in X-AUTH-CLIENT.
	APIKey string
	// Secret is the shared secret requests must be signed with and
	// responses are signed with.
	Secret string
	// SessionID is a session created at start, ready for uploads.
	SessionID string

	hs    *httptest.Server
	opts  Options
	rules checkRules // contexts; now is set per request

	mu       sync.Mutex
	sessions map[string]*session
	faults   []Fault
	plan     *FaultPlan
	seen     map[string]int // requests received per body SHA-256
	requests []Request
}

type session struct {
	submitted bool
	media     []Media
}

// Media is an accepted upload as the fake recorded it.
type Media struct {
	ID        string    // media id returned to the client
	SessionID string    // session it was uploaded to
	Context   string    // e.g. "document-front"
	MIMEType  string    // declared in the data URI ("" for bare base64)
	Format    string    // sniffed from the content, e.g. "image/jpeg"
	Width     int       // pixels, 0 for PDF
	Height    int       // pixels, 0 for PDF
	Size      int       // decoded content bytes
	SHA256    string    // hex SHA-256 of the decoded content
	DataURI   bool      // content was sent as a data URI
	Timestamp time.Time // capture time sent, zero when absent
	Content   []byte    // decoded content, only with Options.KeepContent
}

// Request is one request the fake received, whatever its outcome.
type Request struct {
	Method     string // e.g. "POST"
	Path       string // path without the base path, e.g. "/v1/sessions/…/media"
	SessionID  string // "" when the path had none
	BodySize   int    // bytes read (at most MaxRequestBytes+1)
	BodySHA256 string // hex SHA-256 of the body
	Signature  string // X-HMAC-SIGNATURE as received
	Status     int    // status answered; 0 when the connection was reset
	Code       string // vendor code answered, "" on success
	Fault      string // the injected fault, "" when none
	// SignatureOK reports whether Signature is the HMAC of the body under
	// Server.Secret, checked for every request, faulted or not.
	SignatureOK bool
	// Repeat is 1 for the first request with this body, 2 for the second
	// (a retry, as a rule), and so on; 0 when the client aborted the body.
	Repeat int
}

// NewServer starts a fake with one session (Server.SessionID) and returns
// it; call Close when done. opts may be nil. It panics if opts.Faults is
// invalid (a programming error in the test).
func NewServer(opts *Options) *Server {
	var o Options
	if opts != nil {
		o = *opts
	}
	if err := o.Faults.validate(); err != nil {
		panic(err)
	}
	if o.APIKey == "" {
		o.APIKey = newUUID()
	}
	if o.Secret == "" {
		var b [32]byte
		rand.Read(b[:])
		o.Secret = hex.EncodeToString(b[:])
	}
	if o.BasePath == "" {
		o.BasePath = DefaultBasePath
	}
	o.BasePath = "/" + strings.Trim(o.BasePath, "/")
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{
		APIKey:   o.APIKey,
		Secret:   o.Secret,
		opts:     o,
		sessions: map[string]*session{},
		seen:     map[string]int{},
		rules:    checkRules{contexts: map[string]bool{}, requireDataURI: o.RequireDataURI, rejectPDF: o.RejectPDF, headerOnly: o.HeaderOnly},
	}
	for _, c := range upload.Contexts {
		s.rules.contexts[c] = true
	}
	for _, c := range o.ExtraContexts {
		s.rules.contexts[c] = true
	}
	s.SetFaultPlan(o.Faults) // validated above
	s.SessionID = s.NewSession()
	s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.hs.URL + o.BasePath
	return s
}

// TB is the part of testing.TB that Start needs; the package does not
// import testing, so binaries (e.g. `mediaprep demo`) can use the fake.
type TB interface {
	Helper()
	Cleanup(func())
}

// Start is NewServer for tests: the server is closed when t ends. Pass a
// *testing.T, *testing.B or *testing.F.
func Start(t TB, opts *Options) *Server {
	t.Helper()
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

// Close shuts the server down, waiting for requests in flight.
func (s *Server) Close() {
	s.hs.CloseClientConnections()
	s.hs.Close()
}

// HTTPClient returns an *http.Client that talks to the server.
func (s *Server) HTTPClient() *http.Client { return s.hs.Client() }

// Client returns an upload.Client configured for the server (base URL, key,
// secret, HTTP client); opts are applied after those.
func (s *Server) Client(opts ...upload.Option) (*upload.Client, error) {
	all := append([]upload.Option{upload.WithBaseURL(s.URL), upload.WithHTTPClient(s.hs.Client())}, opts...)
	return upload.New(s.APIKey, s.Secret, all...)
}

// NewSession creates a session that accepts uploads and returns its id.
func (s *Server) NewSession() string {
	id := newUUID()
	s.mu.Lock()
	s.sessions[id] = &session{}
	s.mu.Unlock()
	return id
}

// Media returns a copy of the media accepted for a session, in order.
func (s *Server) Media(sessionID string) []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss := s.sessions[sessionID]; ss != nil {
		return append([]Media(nil), ss.media...)
	}
	return nil
}

// Submitted reports whether a session was submitted.
func (s *Server) Submitted(sessionID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[sessionID]
	return ss != nil && ss.submitted
}

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r)
	s.mu.Unlock()
}

// serveHTTP reads the body, applies any injected fault, then handles the
// request as the API would.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rec := Request{Method: r.Method, Signature: r.Header.Get("X-HMAC-SIGNATURE")}
	// Record when the handler ends, also when a fault aborts it, unless a
	// fault already recorded it before the client could see its effect.
	recorded := false
	defer func() {
		if !recorded {
			s.record(rec)
		}
	}()
	commit := func() { s.record(rec); recorded = true }
	path, ok := strings.CutPrefix(r.URL.Path, s.opts.BasePath)
	rec.Path = path
	if rest, isSession := strings.CutPrefix(path, "/v1/sessions/"); ok && isSession {
		rec.SessionID, _, _ = strings.Cut(rest, "/") // known before any fault
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBytes+1))
	rec.BodySize = len(body)
	sum := sha256.Sum256(body)
	rec.BodySHA256 = hex.EncodeToString(sum[:])
	rec.SignatureOK = upload.VerifySignature(body, rec.Signature, []byte(s.Secret)) == nil
	if err != nil {
		rec.Fault = "client aborted: " + err.Error()
		return
	}
	f, hasFault, repeat := s.pickFault(rec.BodySHA256)
	rec.Repeat = repeat
	if hasFault {
		rec.Fault = f.String()
		if !s.applyFault(w, r, f, &rec, commit) {
			return
		}
	}
	var resp response
	if len(body) > MaxRequestBytes {
		resp = s.fail(&apiError{413, "1104", "Request body too large."}, true)
	} else {
		resp = s.handle(r, path, ok, body, &rec)
	}
	s.write(w, resp, f, &rec)
}

// response is an answer before it is written.
type response struct {
	status int
	body   []byte
	signed bool
}

func (s *Server) handle(r *http.Request, path string, underBase bool, body []byte, rec *Request) response {
	rest, ok := strings.CutPrefix(path, "/v1/sessions/")
	if !underBase || !ok || rest == "" {
		return s.fail(&apiError{status: 404, code: "1101", message: "Resource not found."}, true)
	}
	id, sub, _ := strings.Cut(rest, "/")
	rec.SessionID = id
	if e := s.authenticate(r, body); e != nil {
		return s.fail(e, false) // documented 401 answers carry no signature
	}
	switch {
	case sub == "media" && r.Method == http.MethodPost:
		return s.uploadMedia(id, body)
	case sub == "" && r.Method == http.MethodPatch:
		return s.submit(id, body)
	case sub == "media" || sub == "":
		return s.fail(&apiError{status: 405, code: "1101", message: "Method not allowed."}, true)
	}
	return s.fail(&apiError{status: 404, code: "1101", message: "Resource not found."}, true)
}

// authenticate checks X-AUTH-CLIENT and the body's X-HMAC-SIGNATURE.
func (s *Server) authenticate(r *http.Request, body []byte) *apiError {
	key := r.Header.Get("X-AUTH-CLIENT")
	switch {
	case key == "":
		return &apiError{401, "1801", "Mandatory X-AUTH-CLIENT header containing the API key is missing from the request."}
	case !isUUID(key):
		return &apiError{401, "1802", "API key is not a valid UUID."}
	case key != s.APIKey:
		return &apiError{401, "1803", "Integration not found."}
	}
	err := upload.VerifySignature(body, r.Header.Get("X-HMAC-SIGNATURE"), []byte(s.Secret))
	switch {
	case err == nil:
		return nil
	case err == upload.ErrSignatureMismatch:
		return &apiError{401, "1819", "Signature does not match the HMAC of the request body."}
	default:
		return &apiError{401, "1812", "Signature is not a valid SHA-256 HMAC."}
	}
}

func (s *Server) uploadMedia(id string, body []byte) response {
	s.mu.Lock()
	ss := s.sessions[id]
	submitted := ss != nil && ss.submitted
	s.mu.Unlock()
	if ss == nil {
		return s.fail(&apiError{404, "1101", "Session not found."}, true)
	}
	if submitted {
		return s.fail(&apiError{409, "1101", "Session is already submitted."}, true)
	}
	rules := s.rules
	rules.now = s.opts.Now()
	p, e := checkMedia(body, rules)
	if e != nil {
		return s.fail(e, true)
	}
	sum := sha256.Sum256(p.content)
	m := Media{
		ID: newUUID(), SessionID: id, Context: p.context, MIMEType: p.declared, Format: p.format,
		Width: p.width, Height: p.height, Size: len(p.content), SHA256: hex.EncodeToString(sum[:]),
		DataURI: p.dataURI, Timestamp: p.timestamp,
	}
	if s.opts.KeepContent {
		m.Content = p.content
	}
	s.mu.Lock()
	if ss.submitted { // submitted while we were checking
		s.mu.Unlock()
		return s.fail(&apiError{409, "1101", "Session is already submitted."}, true)
	}
	ss.media = append(ss.media, m)
	s.mu.Unlock()
	mime := p.declared
	if mime == "" {
		mime = p.format
	}
	out, _ := json.Marshal(map[string]any{
		"status": "success",
		"image": map[string]any{
			"id": m.ID, "name": m.Context, "context": m.Context, "timestamp": nil,
			"size": m.Size, "mimetype": mime, "url": s.URL + "/v1/media/" + m.ID, "sessionId": id,
		},
	})
	return response{status: 200, body: out, signed: true}
}

func (s *Server) submit(id string, body []byte) response {
	var req struct {
		Verification *struct {
			Status *string `json:"status"`
		} `json:"verification"`
	}
	if json.Unmarshal(body, &req) != nil || req.Verification == nil || req.Verification.Status == nil {
		return s.fail(badRequest("1102", "Mandatory parameters are missing from the request."), true)
	}
	if *req.Verification.Status != "submitted" {
		return s.fail(badRequest("1104", "Invalid parameters: status must be \"submitted\"."), true)
	}
	s.mu.Lock()
	ss := s.sessions[id]
	var already bool
	if ss != nil {
		already = ss.submitted
		ss.submitted = true
	}
	s.mu.Unlock()
	switch {
	case ss == nil:
		return s.fail(&apiError{404, "1101", "Session not found."}, true)
	case already:
		return s.fail(&apiError{409, "1101", "Session is already submitted."}, true)
	}
	out, _ := json.Marshal(map[string]any{
		"status": "success",
		"verification": map[string]any{
			"id": id, "url": s.URL + "/v/" + id, "vendorData": nil, "host": s.URL,
			"status": "submitted", "sessionToken": newUUID(),
		},
	})
	return response{status: 200, body: out, signed: true}
}

func (s *Server) fail(e *apiError, signed bool) response {
	out, _ := json.Marshal(map[string]string{"status": "fail", "code": e.code, "message": e.message})
	return response{status: e.status, body: out, signed: signed}
}

// write sends resp, applying the signature and truncation faults.
func (s *Server) write(w http.ResponseWriter, resp response, f Fault, rec *Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("x-auth-client", s.APIKey)
	switch {
	case f.NoSignature:
	case f.BadSignature:
		h.Set("x-hmac-signature", upload.Sign([]byte("not-the-secret"), resp.body))
	case resp.signed:
		h.Set("x-hmac-signature", upload.Sign([]byte(s.Secret), resp.body))
	}
	rec.Status = resp.status
	if resp.status != 200 {
		var e struct {
			Code string `json:"code"`
		}
		json.Unmarshal(resp.body, &e)
		rec.Code = e.Code
	}
	if f.Truncate {
		h.Set("Content-Length", fmt.Sprint(len(resp.body)))
		w.WriteHeader(resp.status)
		w.Write(resp.body[:len(resp.body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // closes the connection mid-body
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
