package uploadtest_test

import (
	"context"
	"fmt"
	"os"

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
