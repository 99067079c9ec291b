package preprocess

import (
	"io"
	"time"

	"github.com/mediaprep/mediaprep/encode"
)

// Payload is the result of [Prepare]: the bytes to upload, their MIME type,
// and what each stage decided, for logging and benchmarks.
type Payload struct {
	// MIMEType of Data: "image/jpeg" after re-encoding, the input's own
	// type on passthrough, "application/pdf" for PDFs.
	MIMEType string
	// Data is the content to upload (not base64-encoded). It belongs to
	// the caller.
	Data []byte
	// Width and Height of the output image (0 for PDFs).
	Width, Height int

	// InputFormat is what the sniffer recognised.
	InputFormat Format
	// InputBytes is the length of the input.
	InputBytes int
	// InputWidth and InputHeight are the stored (pre-orientation)
	// dimensions declared by the input's header (0 for PDFs).
	InputWidth, InputHeight int

	// Orientation is the EXIF orientation (1..8) that was applied; 1 when
	// none. HEIC transforms (irot/imir) are applied by the decoder and
	// reported in HEICTransform instead, never as an EXIF orientation.
	Orientation int
	// HEICTransform reports that a HEIC input carried irot/imir transforms.
	HEICTransform bool
	// Scale is output longer side / oriented input longer side (1 when
	// not resized; below 1 when downscaled, including budget shrinks).
	Scale float64
	// Quality is the JPEG quality of a re-encoded output (0 on passthrough
	// and for PDFs).
	Quality int
	// Passes counts full JPEG encodes performed by the budget search.
	Passes int
	// Passthrough reports that Data is the input, byte for byte.
	Passthrough bool
	// DecodeScale is the DCT-domain scale denominator (1, 2, 4 or 8) used
	// by the fast JPEG decoder; 1 when decoding at full size.
	DecodeScale int

	// PDF holds the PDF stage's decisions (nil for images).
	PDF *PDFInfo

	// Timings are the wall-clock durations of each stage.
	Timings Timings
}

// PDFInfo is what the PDF stage decided.
type PDFInfo struct {
	PagesIn    int   // pages in the input
	PagesKept  []int // original 1-based page numbers kept, in order
	PagesEmpty []int // original page numbers dropped as empty
	// ImagesResampled counts embedded images re-encoded to fit.
	ImagesResampled int
}

// Timings are per-stage wall-clock durations. Stages that did not run are 0.
type Timings struct {
	Read   time.Duration // reading the input
	Header time.Duration // sniffing, header parsing, EXIF
	Wait   time.Duration // waiting for Options.Limiter
	// Decode is the decode stage; for a streamed baseline JPEG it is the
	// whole decode-and-fit pass, of which Fit ran alongside the decoding.
	Decode time.Duration
	Fit    time.Duration // orientation and resampling, fused
	Encode time.Duration // all budget-search passes
	PDF    time.Duration // the PDF stage
	Total  time.Duration
}

// DataURILen returns the length in bytes of p's data URI
// ("data:<mime>;base64,<base64 of Data>") without building it. O(1).
func (p *Payload) DataURILen() int {
	return encode.DataURILen(p.MIMEType, len(p.Data))
}

// WriteDataURI streams p's data URI to w in small chunks (no second full
// copy of the payload in memory) and returns the bytes written.
func (p *Payload) WriteDataURI(w io.Writer) (int64, error) {
	return encode.WriteDataURI(w, p.MIMEType, p.Data)
}
