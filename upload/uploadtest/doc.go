// Package uploadtest runs an in-process fake of Veriff's media API for tests
// and demos: an httptest server that checks what the real API documents and
// answers as it does.
//
// The fake checks the X-AUTH-CLIENT key and the X-HMAC-SIGNATURE of every
// request (401 with codes 1801, 1802, 1803, 1812, 1819), the body shape
// (400/1102), base64 (1401), context (1402), timestamp (1201, 1202), that the
// data URI's MIME type matches the content's real format, the longer image
// side (≤ 1920 px; read from the image header, for HEIC from its ispe box),
// that JPEG, PNG and WebP decode fully and PDFs end with %%EOF (unless
// Options.HeaderOnly), the size limits (data URI ≤ 24 MB for images, ≤ 20 MB for PDFs), unknown
// sessions (404) and uploads after submit (409). It signs its responses,
// records every request (with a SHA-256 of its body) and every accepted
// media, and can inject faults into the next requests: an error status,
// a delay, a connection reset, a truncated body, a missing or wrong response
// signature. A FaultPlan (Options.Faults, Server.SetFaultPlan) injects them
// at random into a fraction of requests, reproducibly from a seed, for soak
// tests; each recorded Request says whether its signature was valid and how
// many times the same body had been received (Request.Repeat).
//
// It is served under a base path (Options.BasePath) so that a client that
// drops the configured base URL's path gets 404 instead of passing by chance.
//
//	srv := uploadtest.Start(t, nil)
//	c, _ := srv.Client()
//	res, err := c.UploadMedia(ctx, srv.SessionID, upload.Media{...})
//	got := srv.Media(srv.SessionID)
//
// A Server is safe for concurrent use.
package uploadtest
