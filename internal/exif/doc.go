// Package exif reads the EXIF orientation tag (0x0112) from untrusted JPEG,
// PNG and WebP bytes, so that the pipeline can show a photo upright.
//
// It is deliberately small: it reads IFD0 only, follows no offset chains
// (so there is nothing to loop on), never copies or allocates in
// proportion to the input, and does bounded work for any input (at most
// one pass over the container's segment or chunk headers plus at most
// [MaxEntries] IFD entries). Absence of EXIF or of the tag is not an
// error and yields [Identity]; anything malformed yields Identity and an
// error that matches [ErrMalformed]. That includes an orientation of 0,
// which some cameras write for "unknown": callers that want to show such
// images as stored can ignore the error, since the value returned with it
// is always Identity.
//
// All functions are safe for concurrent use: they only read their input.
package exif
