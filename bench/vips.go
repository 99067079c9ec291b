package bench

import (
	"fmt"
	"os/exec"
	"strings"
)

// VipsthumbnailArgs returns the vipsthumbnail arguments that do the work
// Prepare does with ForceReencode and otherwise default options, so that
// the two are compared on equal terms: longer side at most maxSide and
// never upscaled (the ">" suffix; plain "WxH" enlarges small images),
// auto-rotated by EXIF orientation (vipsthumbnail's default), written as a
// baseline JPEG at quality with 4:2:0 chroma (libvips alone switches to
// 4:4:4 at Q ≥ 90, a bigger and slower file than ours) and with metadata
// stripped. dst must not contain '[' or ']'.
func VipsthumbnailArgs(src, dst string, maxSide, quality int) []string {
	return []string{
		src,
		"--size", fmt.Sprintf("%dx%d>", maxSide, maxSide),
		"-o", fmt.Sprintf("%s[Q=%d,strip,subsample-mode=on,interlace=false]", dst, quality),
	}
}

// VipsVersion returns the libvips version that `vips --version` reports
// ("vips-8.14.1"), or "" when it is not installed.
func VipsVersion() string {
	out, err := exec.Command("vips", "--version").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
