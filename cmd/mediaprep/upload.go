package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mediaprep/mediaprep/preprocess"
	"github.com/mediaprep/mediaprep/upload"
)

func init() {
	commands["upload"] = command{
		summary: "prepare files and upload them to a session (VERIFF_API_KEY, VERIFF_SHARED_SECRET, VERIFF_BASE_URL)",
		run:     runUpload,
	}
}

// Environment variables read by `mediaprep upload`.
const (
	envAPIKey  = "VERIFF_API_KEY"
	envSecret  = "VERIFF_SHARED_SECRET"
	envBaseURL = "VERIFF_BASE_URL"
)

// submitRecord is the JSON line printed after -submit.
type submitRecord struct {
	Session   string      `json:"session"`
	Submitted bool        `json:"submitted"`
	Status    string      `json:"status,omitempty"`
	Error     *errorField `json:"error,omitempty"`
}

func runUpload(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("upload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var pf pipelineFlags
	pf.register(fs)
	session := fs.String("session", "", "verification session id (UUID)")
	mediaCtx := fs.String("context", "document-front", "media context, e.g. document-front, document-back, face")
	submit := fs.Bool("submit", false, "submit the session after the last upload (only when every upload succeeded)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s upload -session ID [-context CTX] [-submit] FILE...\n", programName)
		fmt.Fprintf(stderr, "credentials: $%s, $%s; base URL: $%s (default %s)\n", envAPIKey, envSecret, envBaseURL, upload.DefaultBaseURL)
		fs.PrintDefaults()
	}
	opts, code, ok := pf.parse(fs, args, stderr)
	if !ok {
		return code
	}
	key, secret := os.Getenv(envAPIKey), os.Getenv(envSecret)
	if *session == "" || key == "" || secret == "" || fs.NArg() == 0 {
		fmt.Fprintf(stderr, "%s upload: need -session, FILE arguments, $%s and $%s\n", programName, envAPIKey, envSecret)
		fs.Usage()
		return exitUsage
	}
	copts := []upload.Option{}
	if base := os.Getenv(envBaseURL); base != "" {
		copts = append(copts, upload.WithBaseURL(base))
	}
	client, err := upload.New(key, secret, copts...)
	if err != nil {
		fmt.Fprintf(stderr, "%s upload: %v\n", programName, err)
		return exitUsage
	}
	return uploadFiles(ctx, client, *session, *mediaCtx, *submit, fs.Args(), opts, stdout, stderr)
}

// uploadFiles prepares and uploads each file, printing a JSON line per
// file, then submits the session when asked and every upload succeeded.
func uploadFiles(ctx context.Context, client *upload.Client, session, mediaCtx string, submit bool,
	files []string, opts *preprocess.Options, stdout, stderr io.Writer) int {
	code := exitOK
	bar := newProgress(stderr, len(files))
	for i, file := range files {
		bar.update(i, file)
		rec := uploadOne(ctx, client, session, mediaCtx, file, opts)
		if rec.Error != nil {
			code = exitFailed
		}
		if err := emit(stdout, rec); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", programName, err)
			return exitFailed
		}
	}
	bar.done()
	if !submit {
		return code
	}
	sr := submitRecord{Session: session}
	if code != exitOK {
		// Submitting would close the session to the uploads that failed.
		sr.Error = &errorField{Kind: "not_submitted", Message: "an upload failed; the session was left open so it can be retried"}
	} else if res, err := client.Submit(ctx, session); err != nil {
		sr.Error = &errorField{Kind: errorKind(err), Message: err.Error()}
		code = exitFailed
	} else {
		sr.Submitted = true
		sr.Status = res.VerificationStatus
	}
	if err := emitJSON(stdout, sr); err != nil {
		return exitFailed
	}
	return code
}

func uploadOne(ctx context.Context, client *upload.Client, session, mediaCtx, file string, opts *preprocess.Options) *record {
	rec := &record{Input: file}
	start := time.Now()
	defer func() { rec.MS = msSince(start) }()
	p, err := prepareFile(ctx, file, opts)
	if err != nil {
		rec.fail(err)
		return rec
	}
	rec.fill(p)
	res, err := client.UploadMedia(ctx, session, upload.Media{
		Context:  mediaCtx,
		MIMEType: p.MIMEType,
		Content:  p.Data,
	})
	if err != nil {
		rec.fail(err)
		return rec
	}
	rec.MediaID = res.ID
	return rec
}

// uploadErrorKind names the class of an upload error, "" when err is none.
func uploadErrorKind(err error) string {
	kinds := []struct {
		target error
		kind   string
	}{
		{upload.ErrUnauthorized, "unauthorized"},
		{upload.ErrSessionNotFound, "session_not_found"},
		{upload.ErrAlreadySubmitted, "already_submitted"},
		{upload.ErrValidation, "validation"},
		{upload.ErrRateLimited, "rate_limited"},
		{upload.ErrServer, "server"},
		{upload.ErrBadResponseSignature, "bad_response_signature"},
		{upload.ErrBadResponse, "bad_response"},
		{upload.ErrInvalidMedia, "invalid_media"},
		{upload.ErrInvalidSessionID, "invalid_session_id"},
		{upload.ErrNetwork, "network"},
	}
	for _, k := range kinds {
		if errors.Is(err, k.target) {
			return k.kind
		}
	}
	return ""
}
