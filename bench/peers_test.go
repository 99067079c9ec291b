package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The peers must make the payload Prepare makes: longer side ≤ the limit
// (peerSide here, for speed under -race), never upscaled, EXIF-rotated,
// 4:2:0, else the comparison is unfair.
const peerSide = 320

var peerCases = []struct {
	name              string
	w, h, orientation int
	wantW, wantH      int
}{
	{"landscape_shrunk", 480, 240, 0, 320, 160},
	{"orientation6_rotated", 480, 240, 6, 160, 320},
	{"small_not_upscaled", 200, 150, 0, 200, 150},
}

func TestNaive(t *testing.T) {
	for _, tc := range peerCases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Naive(halves(t, tc.w, tc.h, tc.orientation), peerSide, 90)
			if err != nil {
				t.Fatal(err)
			}
			checkPayload(t, out, tc.wantW, tc.wantH)
		})
	}
}

func TestNaiveErrors(t *testing.T) {
	good := halves(t, 64, 48, 0)
	tests := []struct {
		name    string
		data    []byte
		side, q int
	}{
		{"not_an_image", []byte("not an image"), 1920, 90},
		{"truncated", good[:len(good)/2], 1920, 90},
		{"zero_side", good, 0, 90},
		{"quality_101", good, 1920, 101},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if out, err := Naive(tc.data, tc.side, tc.q); err == nil {
				t.Errorf("Naive = %d bytes, nil error; want an error", len(out))
			}
		})
	}
}

// TestVipsthumbnailArgs runs vipsthumbnail with our arguments, when it is
// installed (apt-get install libvips-tools).
func TestVipsthumbnailArgs(t *testing.T) {
	vips, err := exec.LookPath("vipsthumbnail")
	if err != nil {
		t.Skip("vipsthumbnail not installed")
	}
	dir := t.TempDir()
	for _, tc := range peerCases {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(dir, tc.name+".jpg")
			if err := os.WriteFile(src, halves(t, tc.w, tc.h, tc.orientation), 0o644); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(dir, tc.name+"_out.jpg")
			if out, err := exec.Command(vips, VipsthumbnailArgs(src, dst, peerSide, 90)...).CombinedOutput(); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			out, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			checkPayload(t, out, tc.wantW, tc.wantH)
			if bytes.Contains(out, []byte("Exif\x00\x00")) {
				t.Error("metadata not stripped: the output has an EXIF segment")
			}
		})
	}
}
