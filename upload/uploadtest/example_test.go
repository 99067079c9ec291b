package uploadtest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// A fake API in-process, as `mediaprep demo` runs it: a client configured
// for it, a PNG upload, the fake's record of what it received.
func ExampleNewServer() {
	srv := uploadtest.NewServer(&uploadtest.Options{RequireDataURI: true})
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	png, err := os.ReadFile("../testdata/tiny.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := c.UploadMedia(context.Background(), srv.SessionID, upload.Media{Context: "document-back", MIMEType: upload.MIMEPNG, Content: png})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range srv.Media(srv.SessionID) {
		fmt.Println(m.ID == res.ID, m.Context, m.Format, m.Width, m.Height, m.Size == len(png))
	}
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Status, r.Fault == "")
	}
	// Output:
	// true document-back image/png 64 48 true
	// POST 200 true
}

// Random faults for a soak test: here every request fails with 502 or 503
// (Rate 1) and the client gives up after 2 attempts. At a Rate of 0.2 a
// fifth of the requests would, and the same ones on every run.
func ExampleFaultPlan() {
	srv := uploadtest.NewServer(&uploadtest.Options{Faults: &uploadtest.FaultPlan{
		Rate:   1,
		Faults: []uploadtest.Fault{{Status: 502}, {Status: 503}},
		Seed:   1,
	}})
	defer srv.Close()
	c, err := srv.Client(upload.WithRetryPolicy(upload.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	if err != nil {
		fmt.Println(err)
		return
	}
	png, err := os.ReadFile("../testdata/tiny.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.UploadMedia(context.Background(), srv.SessionID, upload.Media{Context: "document-back", MIMEType: upload.MIMEPNG, Content: png})
	fmt.Println(errors.Is(err, upload.ErrServer))
	for _, r := range srv.Requests() {
		fmt.Println(r.Repeat, r.SignatureOK, r.Status >= 502 && r.Status <= 503, len(srv.Media(srv.SessionID)))
	}
	// Output:
	// true
	// 1 true true 0
	// 2 true true 0
}
