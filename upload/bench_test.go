package upload_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/mediaprep/mediaprep/upload"
)

const benchSecret = "bench-secret"

var benchResponse = []byte(`{"status":"success","image":{"id":"d69a07cf-4434-4d36-be6c-d22af7dc01fb","name":"face","context":"face","timestamp":null,"size":1,"mimetype":"image/jpeg","url":"https://x/v1/media/d","sessionId":"f04bdb47-d3be-4b28-b028-a652feb060b5"}}`)

// discardTransport drains request bodies in-process and answers a signed
// success, so that a benchmark measures the client alone.
type discardTransport struct{}

func (discardTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	n, err := io.Copy(io.Discard, r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	if n != r.ContentLength {
		return nil, fmt.Errorf("read %d bytes, Content-Length %d", n, r.ContentLength)
	}
	h := http.Header{}
	h.Set("X-Hmac-Signature", upload.Sign([]byte(benchSecret), benchResponse))
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(bytes.NewReader(benchResponse)), ContentLength: int64(len(benchResponse)), Request: r}, nil
}

// naiveUpload is the baseline: marshal the whole body (base64 string, data
// URI, JSON) in memory, sign it, send it. It is what public clients do.
func naiveUpload(hc *http.Client, url string, m upload.Media) error {
	body, err := json.Marshal(map[string]any{"image": map[string]string{
		"context": m.Context,
		"content": "data:" + m.MIMEType + ";base64," + base64.StdEncoding.EncodeToString(m.Content),
	}})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("X-HMAC-SIGNATURE", upload.Sign([]byte(benchSecret), body))
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return upload.VerifySignature(raw, resp.Header.Get("X-Hmac-Signature"), []byte(benchSecret))
}

// allocated returns the bytes allocated by f.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// benchUpload uploads size bytes per op through the client, or through the
// naive baseline, over an in-process transport ("discard") or a loopback
// httptest server ("loopback"). Metrics: alloc/b64 = bytes allocated per
// upload over the data URI size; alloc-vs-naive = the client's allocation
// over the baseline's, both measured in this run.
func benchUpload(b *testing.B, size int, naive bool, transport string) {
	content := bytes.Repeat([]byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4}, size/8)
	m := upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: content}
	hc := &http.Client{Transport: discardTransport{}}
	base := "https://api.invalid"
	if transport == "loopback" {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("X-Hmac-Signature", upload.Sign([]byte(benchSecret), benchResponse))
			w.Write(benchResponse)
		}))
		defer hs.Close()
		hc, base = hs.Client(), hs.URL
	}
	c, err := upload.New("4f2e1c9a-1111-4222-8333-944455556666", benchSecret, upload.WithBaseURL(base), upload.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	session := "f04bdb47-d3be-4b28-b028-a652feb060b5"
	ours := func() error { _, err := c.UploadMedia(context.Background(), session, m); return err }
	baseline := func() error { return naiveUpload(hc, base+"/v1/sessions/"+session+"/media", m) }
	run := ours
	if naive {
		run = baseline
	}
	// Warm up both (connection, pools) and measure the baseline once.
	if err := ours(); err != nil {
		b.Fatal(err)
	}
	if err := baseline(); err != nil {
		b.Fatal(err)
	}
	naiveAlloc := allocated(func() { baseline() })
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var total uint64
	b.ResetTimer()
	for b.Loop() {
		total += allocated(func() {
			if err := run(); err != nil {
				b.Fatal(err)
			}
		})
	}
	b.StopTimer()
	perOp := float64(total) / float64(b.N)
	b.ReportMetric(perOp/float64(upload.DataURISize(m.MIMEType, int64(size))), "alloc/b64")
	b.ReportMetric(perOp/float64(naiveAlloc), "alloc-vs-naive")
}

func BenchmarkUploadMedia(b *testing.B) {
	for _, transport := range []string{"discard", "loopback"} {
		for _, size := range []int{1 << 20, 10 << 20} {
			for _, impl := range []string{"streaming", "naive"} {
				name := fmt.Sprintf("transport=%s/size=%dMB/impl=%s", transport, size>>20, impl)
				b.Run(name, func(b *testing.B) { benchUpload(b, size, impl == "naive", transport) })
			}
		}
	}
}

// BenchmarkSign measures the HMAC over a 1 MB body (the cost of the first,
// signing pass of an upload).
func BenchmarkSign(b *testing.B) {
	payload := []byte(strings.Repeat("x", 1<<20))
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		upload.Sign([]byte(benchSecret), payload)
	}
}
