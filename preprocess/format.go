package preprocess

// Format is an input or output format recognised by [Sniff].
type Format string

// The formats [Sniff] recognises. JPEG, PNG, WebP, HEIC and PDF are accepted
// by the vendor as they are; TIFF, BMP and GIF are read and always converted.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
	HEIC Format = "heic"
	PDF  Format = "pdf"
	TIFF Format = "tiff"
	BMP  Format = "bmp"
	GIF  Format = "gif"
)

// MIMEType returns the MIME type the vendor expects for f, or "" for
// formats it does not accept as they are (TIFF, BMP, GIF).
func (f Format) MIMEType() string {
	switch f {
	case JPEG:
		return "image/jpeg"
	case PNG:
		return "image/png"
	case WebP:
		return "image/webp"
	case HEIC:
		return "image/heic"
	case PDF:
		return "application/pdf"
	}
	return ""
}
