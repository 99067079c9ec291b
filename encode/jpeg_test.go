package encode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"testing"

	"github.com/mediaprep/mediaprep/internal/resize"
)

// checkResult asserts the properties every JPEG result must have.
func checkResult(t *testing.T, r *Result, src image.Image, s settings) image.Image {
	t.Helper()
	if got := DataURILen(MIMEType, len(r.Data)); got > s.maxBase64 {
		t.Fatalf("data URI %d bytes over budget %d", got, s.maxBase64)
	}
	if r.Quality < s.minQuality || r.Quality > s.quality {
		t.Fatalf("quality %d not in [%d, %d]", r.Quality, s.minQuality, s.quality)
	}
	if r.Passes < 1 {
		t.Fatalf("passes %d", r.Passes)
	}
	dec, err := jpeg.Decode(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if db := dec.Bounds(); db.Dx() != r.Width || db.Dy() != r.Height {
		t.Fatalf("decoded %v, result says %dx%d", db, r.Width, r.Height)
	}
	w0, h0 := src.Bounds().Dx(), src.Bounds().Dy()
	if r.Shrinks == 0 {
		if r.Width != w0 || r.Height != h0 {
			t.Fatalf("no shrink but %dx%d from %dx%d", r.Width, r.Height, w0, h0)
		}
	} else {
		if r.Width > w0 || r.Height > h0 || (r.Width == w0 && r.Height == h0) {
			t.Fatalf("shrunk %d times to %dx%d from %dx%d", r.Shrinks, r.Width, r.Height, w0, h0)
		}
		// Aspect ratio within one pixel on the shorter output side.
		if w0 >= h0 {
			if want := float64(h0) * float64(r.Width) / float64(w0); abs(float64(r.Height)-want) > 1 {
				t.Fatalf("aspect: %dx%d from %dx%d", r.Width, r.Height, w0, h0)
			}
		} else if want := float64(w0) * float64(r.Height) / float64(h0); abs(float64(r.Width)-want) > 1 {
			t.Fatalf("aspect: %dx%d from %dx%d", r.Width, r.Height, w0, h0)
		}
	}
	return dec
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// TestJPEGBudgets runs budgets × contents × layouts and checks every
// output's properties; for alpha layouts also that the transparent quarter
// decodes white.
func TestJPEGBudgets(t *testing.T) {
	const w, h = 320, 240
	budgets := []int{0, 300_000, 100_000, 50_000, 20_000}
	for _, c := range contents {
		src := rgbaImage(w, h, c.gen)
		for _, l := range layouts {
			img := l.make(src)
			for _, budget := range budgets {
				name := fmt.Sprintf("%s/%s/%d", c.name, l.name, budget)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					opts := &Options{MaxBase64: budget}
					s, _ := opts.resolve()
					r, err := JPEG(context.Background(), img, opts)
					if err != nil {
						t.Fatal(err)
					}
					dec := checkResult(t, r, img, s)
					if budget == 0 && (r.Passes != 1 || r.Quality != DefaultQuality) {
						t.Errorf("default budget: %d passes at q%d, want 1 at q%d", r.Passes, r.Quality, DefaultQuality)
					}
					if _, gray := img.(*image.Gray); gray {
						if _, ok := dec.(*image.Gray); !ok {
							t.Errorf("gray input decoded as %T, want *image.Gray", dec)
						}
					}
					if l.alpha {
						// Centre of the transparent quarter, in output pixels.
						x, y := r.Width/4, r.Height/4
						cr, cg, cb, _ := dec.At(x, y).RGBA()
						if cr>>8 < 245 || cg>>8 < 245 || cb>>8 < 245 {
							t.Errorf("transparent region decodes (%d,%d,%d) at %d,%d, want white", cr>>8, cg>>8, cb>>8, x, y)
						}
					}
					t.Logf("%dx%d q%d passes %d shrinks %d, %d B", r.Width, r.Height, r.Quality, r.Passes, r.Shrinks, len(r.Data))
				})
			}
		}
	}
}

// TestJPEGNearOptimal compares the search with an exhaustive one: the
// quality found must be within 2 of the highest quality that fits.
func TestJPEGNearOptimal(t *testing.T) {
	const w, h = 256, 192
	for _, c := range contents {
		img := toYCbCr(rgbaImage(w, h, c.gen), image.YCbCrSubsampleRatio420)
		sizes := make([]int, 100)
		for q := DefaultMinQuality; q <= DefaultQuality; q++ {
			sizes[q-1] = len(mustAppend(t, img, q))
		}
		lo, hi := sizes[DefaultMinQuality-1], sizes[DefaultQuality-1]
		for i := 1; i <= 6; i++ {
			limit := lo + (hi-lo)*i/7
			budget := DataURILen(MIMEType, limit)
			t.Run(fmt.Sprintf("%s/%d", c.name, budget), func(t *testing.T) {
				want := optimum(sizes, DefaultMinQuality, DefaultQuality, maxContent(MIMEType, budget))
				r, err := JPEG(context.Background(), img, &Options{MaxBase64: budget})
				if err != nil {
					t.Fatal(err)
				}
				if r.Shrinks != 0 || len(r.Data) != sizes[r.Quality-1] {
					t.Fatalf("q%d: %d bytes, %d shrinks; exhaustive %d bytes", r.Quality, len(r.Data), r.Shrinks, sizes[r.Quality-1])
				}
				if gap := want - r.Quality; gap < 0 || gap > 2 {
					t.Errorf("q%d in %d passes, optimum q%d", r.Quality, r.Passes, want)
				}
			})
		}
	}
}

// TestJPEGUnreachable: 1 KB cannot hold a noisy 2000×2000 image at any size
// allowed; the error reports the smallest encoding reached, which must be
// reproducible.
func TestJPEGUnreachable(t *testing.T) {
	img := noisyYCbCr(2000, 2000)
	r, err := JPEG(context.Background(), img, &Options{MaxBase64: 1000})
	if err == nil {
		t.Fatalf("fits: %dx%d q%d %d B", r.Width, r.Height, r.Quality, len(r.Data))
	}
	var be *BudgetError
	if !errors.As(err, &be) || !errors.Is(err, ErrBudget) {
		t.Fatalf("err = %v, want *BudgetError matching ErrBudget", err)
	}
	if be.Budget != 1000 || be.Smallest <= 1000 || be.Quality != DefaultMinQuality ||
		be.Width != DefaultMinSide || be.Height != DefaultMinSide {
		t.Fatalf("implausible %+v", be)
	}
	small, err := resize.Resize(img, 1, be.Width, be.Height)
	if err != nil {
		t.Fatal(err)
	}
	if n := DataURILen(MIMEType, len(mustAppend(t, small, be.Quality))); n != be.Smallest {
		t.Fatalf("Smallest %d, re-encoding gives %d", be.Smallest, n)
	}
	t.Log(be)
}

// TestJPEGShrinkFits: a budget below the minimum-quality size at full size
// but reachable smaller shrinks and ends at a quality in range.
func TestJPEGShrinkFits(t *testing.T) {
	img := noisyYCbCr(900, 600)
	for _, budget := range []int{200_000, 40_000, 8_000} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			opts := &Options{MaxBase64: budget}
			s, _ := opts.resolve()
			r, err := JPEG(context.Background(), img, opts)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, img, s)
			if r.Shrinks == 0 {
				t.Fatalf("no shrink for budget %d", budget)
			}
			t.Logf("%dx%d q%d passes %d shrinks %d", r.Width, r.Height, r.Quality, r.Passes, r.Shrinks)
		})
	}
}

func TestJPEGOptions(t *testing.T) {
	img := toYCbCr(rgbaImage(64, 48, contents[0].gen), image.YCbCrSubsampleRatio420)
	tests := []struct {
		name    string
		img     image.Image
		opts    *Options
		wantErr error
		wantQ   int
	}{
		{"nil options", img, nil, nil, DefaultQuality},
		{"zero options", img, &Options{}, nil, DefaultQuality},
		{"quality 100", img, &Options{Quality: 100}, nil, 100},
		{"quality below default min", img, &Options{Quality: 20}, nil, 20},
		{"quality 101", img, &Options{Quality: 101}, ErrInvalid, 0},
		{"quality negative", img, &Options{Quality: -1}, ErrInvalid, 0},
		{"min above quality", img, &Options{Quality: 50, MinQuality: 60}, ErrInvalid, 0},
		{"min negative", img, &Options{MinQuality: -5}, ErrInvalid, 0},
		{"budget negative", img, &Options{MaxBase64: -1}, ErrInvalid, 0},
		{"min side negative", img, &Options{MinSide: -1}, ErrInvalid, 0},
		{"nil image", nil, nil, ErrInvalid, 0},
		{"empty image", image.NewYCbCr(image.Rect(0, 0, 0, 10), image.YCbCrSubsampleRatio420), nil, ErrInvalid, 0},
		{"too wide", image.NewGray(image.Rect(0, 0, 1<<16, 1)), nil, ErrInvalid, 0},
		{"budget below prefix", img, &Options{MaxBase64: 10}, ErrBudget, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := JPEG(context.Background(), tt.img, tt.opts)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Quality != tt.wantQ || r.Passes != 1 {
				t.Fatalf("q%d in %d passes, want q%d in 1", r.Quality, r.Passes, tt.wantQ)
			}
		})
	}
}

func TestJPEGContext(t *testing.T) {
	img := noisyYCbCr(64, 64)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := JPEG(ctx, img, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestAppendJPEGQuality: AppendJPEG honours q (not image/jpeg's nil-options
// 75): its output decodes to the same pixels as image/jpeg's at the same
// quality (the encoder behind encodePlanar may differ in bytes, not in
// coefficients). It appends after existing bytes and refuses q outside
// 1..100.
func TestAppendJPEGQuality(t *testing.T) {
	img := toYCbCr(rgbaImage(96, 64, contents[1].gen), image.YCbCrSubsampleRatio420)
	for _, q := range []int{1, 40, 75, 90, 100} {
		t.Run(fmt.Sprint(q), func(t *testing.T) {
			var want bytes.Buffer
			if err := jpeg.Encode(&want, img, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			got, err := AppendJPEG([]byte("xy"), img, q)
			if err != nil {
				t.Fatal(err)
			}
			if string(got[:2]) != "xy" {
				t.Fatal("dst prefix lost")
			}
			wd, err := jpeg.Decode(&want)
			if err != nil {
				t.Fatal(err)
			}
			gd, err := jpeg.Decode(bytes.NewReader(got[2:]))
			if err != nil {
				t.Fatal(err)
			}
			w, g := wd.(*image.YCbCr), gd.(*image.YCbCr)
			if !bytes.Equal(w.Y, g.Y) || !bytes.Equal(w.Cb, g.Cb) || !bytes.Equal(w.Cr, g.Cr) {
				t.Fatalf("AppendJPEG(q%d) decodes differently from image/jpeg at the same quality", q)
			}
		})
	}
	for _, q := range []int{0, -1, 101} {
		if _, err := AppendJPEG(nil, img, q); !errors.Is(err, ErrInvalid) {
			t.Errorf("q%d: err = %v, want ErrInvalid", q, err)
		}
	}
}
