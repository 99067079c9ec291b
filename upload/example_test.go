package upload_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mediaprep/mediaprep/upload"
	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

// Sign computes X-HMAC-SIGNATURE; the value matches
// `printf '%s' '{"verification":{"status":"submitted"}}' | openssl dgst -sha256 -hmac abcdef12-3456-7890-abcd-ef1234567890`.
func ExampleSign() {
	body := []byte(`{"verification":{"status":"submitted"}}`)
	fmt.Println(upload.Sign([]byte("abcdef12-3456-7890-abcd-ef1234567890"), body))
	// Output: 1dd5adb8d11da49a2b2d0d7b935905760ea132835cd1b8b2763698d98103c83e
}

// VerifySignature checks a webhook or response body against the current and
// the previous secret during a rotation.
func ExampleVerifySignature() {
	body := []byte(`{"status":"success"}`)
	sig := upload.Sign([]byte("previous-secret"), body)
	err := upload.VerifySignature(body, sig, []byte("current-secret"), []byte("previous-secret"))
	fmt.Println(err)
	err = upload.VerifySignature(body, sig, []byte("current-secret"))
	fmt.Println(errors.Is(err, upload.ErrSignatureMismatch))
	// Output:
	// <nil>
	// true
}

// UploadMedia against the in-process fake: the first attempt meets an
// injected 503 and is retried with the same signed body.
func ExampleClient_UploadMedia() {
	srv := uploadtest.NewServer(nil)
	defer srv.Close()
	c, err := upload.New(srv.APIKey, srv.Secret,
		upload.WithBaseURL(srv.URL), // e.g. "https://stationapi.veriff.com" in production
		upload.WithRetryPolicy(upload.RetryPolicy{BaseDelay: time.Millisecond}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	jpeg, err := os.ReadFile("testdata/tiny.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.Inject(uploadtest.Fault{Status: 503}, 1)
	res, err := c.UploadMedia(context.Background(), srv.SessionID, upload.Media{
		Context:     "document-front",
		MIMEType:    upload.MIMEJPEG,
		Content:     jpeg,
		CaptureTime: time.Now(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Context, res.MIMEType, res.Size == int64(len(jpeg)), res.Attempts, "attempts")
	m := srv.Media(srv.SessionID)[0]
	fmt.Printf("fake stored %s %dx%d\n", m.Format, m.Width, m.Height)

	if _, err := c.Submit(context.Background(), srv.SessionID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.UploadMedia(context.Background(), srv.SessionID, upload.Media{Context: "face", MIMEType: upload.MIMEJPEG, Content: jpeg})
	var apiErr *upload.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, errors.Is(err, upload.ErrAlreadySubmitted))
	}
	// Output:
	// document-front image/jpeg true 2 attempts
	// fake stored image/jpeg 64x48
	// 409 true
}

// Client-side checks fail before anything is sent, with the vendor code the
// API would have answered.
func ExampleInvalidMediaError() {
	c, _ := upload.New("api-key", "shared-secret")
	_, err := c.UploadMedia(context.Background(), "f04bdb47-d3be-4b28-b028-a652feb060b5", upload.Media{
		Context:     "face",
		MIMEType:    upload.MIMEPNG,
		Content:     []byte{0xFF, 0xD8, 0xFF, 0xE0}, // a JPEG declared as PNG
		CaptureTime: time.Now(),
	})
	var ie *upload.InvalidMediaError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field, ie.Code, errors.Is(err, upload.ErrInvalidMedia))
	}
	fmt.Println(err)
	// Output:
	// mimeType 1104 true
	// upload: invalid media: mimeType: declared image/png but content is image/jpeg (code 1104)
}
