package jpegenc

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// readPNM parses djpeg's binary PGM (P5) or PPM (P6) output.
func readPNM(b []byte) (w, h, channels int, pix []byte, err error) {
	r := bufio.NewReader(bytes.NewReader(b))
	var magic string
	var maxv int
	if _, err = fmt.Fscan(r, &magic, &w, &h, &maxv); err != nil {
		return
	}
	if _, err = r.ReadByte(); err != nil { // the single whitespace byte
		return
	}
	switch magic {
	case "P5":
		channels = 1
	case "P6":
		channels = 3
	default:
		return 0, 0, 0, nil, fmt.Errorf("unexpected PNM magic %q", magic)
	}
	pix = make([]byte, w*h*channels)
	_, err = io.ReadFull(r, pix)
	return
}

// TestDjpeg decodes our output with libjpeg's djpeg (skipped when it is
// not installed): every sampling, Gray, bit-spliced parallel stripes and
// optimised tables must decode without a warning to the right size, and to pixels
// close to image/jpeg's decode of the same file.
func TestDjpeg(t *testing.T) {
	djpeg, err := exec.LookPath("djpeg")
	if err != nil {
		t.Skip("djpeg not on PATH")
	}
	type tc struct {
		name string
		img  image.Image
		o    *Options
	}
	var cases []tc
	rect := image.Rect(1, 3, 1+301, 3+257) // odd sizes and Min, > 64 Ki px
	for _, r := range ratios {
		m := newYCbCr(photoLike, rect, r, 5)
		cases = append(cases,
			tc{r.String() + "/single", m, &Options{Workers: 1}},
			tc{r.String() + "/stripes", m, &Options{Workers: 4}},
			tc{r.String() + "/optimize-stripes", m, &Options{Workers: 4, OptimizeHuffman: true, Quality: 75}},
		)
	}
	g := newGray(photoLike, rect, 5)
	cases = append(cases,
		tc{"gray/single", g, &Options{Workers: 1}},
		tc{"gray/stripes-optimize", g, &Options{Workers: 4, OptimizeHuffman: true}},
		tc{"tiny/1x1", newYCbCr(photoLike, image.Rect(0, 0, 1, 1), image.YCbCrSubsampleRatio420, 1), nil},
		tc{"420/jfif", newYCbCr(photoLike, rect, image.YCbCrSubsampleRatio420, 6), &Options{Workers: 2, JFIF: true}},
	)
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Append(nil, c.img, c.o)
			if err != nil {
				t.Fatal(err)
			}
			if f, _ := newFrame(c.img); c.o != nil && c.o.Workers > 1 && f.plan(c.o.Workers, minParallelPixels).stripes < 2 {
				t.Fatalf("expected parallel stripes")
			}
			path := filepath.Join(dir, "out.jpg")
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(djpeg, "-dct", "int", "-nosmooth", path)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Fatalf("djpeg: %v: %s", err, stderr.String())
			}
			w, h, ch, pix, err := readPNM(stdout.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			b := c.img.Bounds()
			if w != b.Dx() || h != b.Dy() {
				t.Fatalf("djpeg decoded %dx%d, want %dx%d", w, h, b.Dx(), b.Dy())
			}
			var fromDjpeg image.Image
			if ch == 1 {
				fromDjpeg = &image.Gray{Pix: pix, Stride: w, Rect: image.Rect(0, 0, w, h)}
			} else {
				rgb := image.NewRGBA(image.Rect(0, 0, w, h))
				for i := range w * h {
					copy(rgb.Pix[4*i:], pix[3*i:3*i+3])
					rgb.Pix[4*i+3] = 0xff
				}
				fromDjpeg = rgb
			}
			// djpeg upsamples chroma by replication here (-nosmooth) but
			// rounds colour conversion differently: expect near-identity.
			if p := psnr(t, fromDjpeg, decode(t, out)); p < 38 {
				t.Errorf("djpeg and image/jpeg decodes differ: PSNR %.2f dB", p)
			}
		})
	}
}
