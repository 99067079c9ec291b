// Package upload is a thin, signed, streaming client for Veriff's media
// endpoint, POST /v1/sessions/{id}/media, and for submitting a session with
// PATCH /v1/sessions/{id}.
//
// It takes a MIME type and bytes (or an [io.ReaderAt] with a known size),
// validates them against the documented limits before any byte is sent,
// streams the JSON body with the base64 data URI generated on the fly (no
// second copy of a 24 MB data URI in memory), signs it with X-HMAC-SIGNATURE,
// retries network errors, 429 and 5xx with exponential backoff and jitter,
// and checks the x-hmac-signature of every successful response in constant
// time against each configured secret.
//
// Failures are typed: client-side validation returns an *[InvalidMediaError]
// (matching [ErrInvalidMedia]); an API answer other than 2xx returns an
// *[APIError] that also matches one of [ErrUnauthorized], [ErrSessionNotFound],
// [ErrAlreadySubmitted], [ErrValidation], [ErrRateLimited] or [ErrServer]; a
// response whose signature is missing or wrong matches
// [ErrBadResponseSignature]; an attempt that got no complete response
// (connection refused or reset, attempt timeout, truncated body) matches
// [ErrNetwork]. A failed call may still have stored the media: the API
// can store it and the answer be lost or unsigned (see RELIABILITY.md).
//
// Secrets never appear in errors, in the output of fmt verbs applied to a
// [Client], or in log records; the API key appears only as its last 4
// characters. Text that echoes the caller's arguments or the server's
// answer (an invalid session id, context or MIME type, an API error
// message) has every configured secret and the API key masked, so that an
// argument passed in the wrong place does not print a credential.
//
// The package imports no other mediaprep package; preparing images to fit the
// limits is the job of package preprocess. Package uploadtest provides an
// in-process fake of the API for tests and demos.
package upload
