package pdf

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestTrimKeepsNonEmptyPages(t *testing.T) {
	// kinds.pdf has 13 pages, one per kind (see testdata/make_pdf.sh):
	// non-empty: 1 text, 4 vector, 6 image, 8 annotation appearance,
	// 10 nested form, 12 inline image, 13 text;
	// empty: 2 no contents, 3 q Q over two streams, 5 clip + comment,
	// 7 empty form, 9 link annotation, 11 invisible text.
	tests := []struct {
		file      string
		maxPages  int
		kept      []int
		empty     []int
		wantLabel []string
	}{
		{"kinds.pdf", 0, []int{1, 4, 6, 8, 10}, []int{2, 3, 5, 7, 9}, []string{"p01", "p04", "p06", "p08", "p10"}},
		{"kinds.pdf", 10, []int{1, 4, 6, 8, 10, 12, 13}, []int{2, 3, 5, 7, 9, 11}, []string{"p01", "p04", "p06", "p08", "p10", "p12", "p13"}},
		{"kinds.pdf", 1, []int{1}, nil, []string{"p01"}},
		{"kinds.pdf", 2, []int{1, 4}, []int{2, 3}, []string{"p01", "p04"}},
		{"enc_nouser.pdf", 0, []int{1, 4, 6, 8, 10}, []int{2, 3, 5, 7, 9}, []string{"p01", "p04", "p06", "p08", "p10"}},
		{"enc_rc4_nouser.pdf", 0, []int{1, 4, 6, 8, 10}, []int{2, 3, 5, 7, 9}, []string{"p01", "p04", "p06", "p08", "p10"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/max%d", tt.file, tt.maxPages), func(t *testing.T) {
			in := fixture(t, tt.file)
			r, err := Trim(context.Background(), in, &Options{MaxPages: tt.maxPages})
			if err != nil {
				t.Fatal(err)
			}
			if r.PagesIn != 13 {
				t.Errorf("PagesIn = %d, want 13", r.PagesIn)
			}
			if !slices.Equal(r.Kept, tt.kept) {
				t.Errorf("Kept = %v, want %v", r.Kept, tt.kept)
			}
			if !slices.Equal(r.Empty, tt.empty) {
				t.Errorf("Empty = %v, want %v", r.Empty, tt.empty)
			}
			if got := pageLabels(t, r.Data); !slices.Equal(got, tt.wantLabel) {
				t.Errorf("output page labels = %v, want %v", got, tt.wantLabel)
			}
			if !r.Optimized || r.ImagesResampled != 0 || r.ImageQuality != 0 {
				t.Errorf("Optimized=%v ImagesResampled=%d ImageQuality=%d, want true 0 0", r.Optimized, r.ImagesResampled, r.ImageQuality)
			}
			if len(r.Data) > DefaultMaxBytes {
				t.Errorf("output %d bytes over the default budget", len(r.Data))
			}
		})
	}
}

func TestTrimDecryptsWhenNoPasswordNeeded(t *testing.T) {
	for _, f := range []string{"enc_nouser.pdf", "enc_rc4_nouser.pdf"} {
		t.Run(f, func(t *testing.T) {
			r, err := Trim(context.Background(), fixture(t, f), nil)
			if err != nil {
				t.Fatal(err)
			}
			pc := readBack(t, r.Data)
			if pc.Encrypt != nil || pc.E != nil {
				t.Error("output is still encrypted")
			}
			if strings.Contains(string(r.Data), "/Encrypt") {
				t.Error("output has an /Encrypt entry")
			}
		})
	}
}

func TestTrimErrors(t *testing.T) {
	kinds := fixture(t, "kinds.pdf")
	tests := []struct {
		name string
		in   []byte
		opts *Options
		want error
		msg  string // substring of the message
	}{
		{"needs user password", fixture(t, "enc_user.pdf"), nil, ErrEncrypted, "password"},
		{"zero pages", fixture(t, "zero_pages.pdf"), nil, ErrNoPages, "no pages"},
		{"only empty pages", fixture(t, "all_empty.pdf"), nil, ErrAllEmpty, "3 pages"},
		{"truncated", fixture(t, "truncated.pdf"), nil, ErrCorrupt, "truncated"},
		{"wrong header", fixture(t, "wrong_header.pdf"), nil, ErrCorrupt, "header"},
		{"broken xref and objects", fixture(t, "broken_xref.pdf"), nil, ErrCorrupt, "corrupt"},
		{"broken xref offsets", fixture(t, "xref_offsets.pdf"), nil, ErrCorrupt, "corrupt"},
		{"empty input", nil, nil, ErrCorrupt, "header"},
		{"a JPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), nil, ErrCorrupt, "header"},
		{"header and EOF only", []byte("%PDF-1.7\n%%EOF\n"), nil, ErrCorrupt, "corrupt"},
		{"too many pages", kinds, &Options{MaxInputPages: 12}, ErrTooLarge, "13 pages, limit 12"},
		{"budget below any output", kinds, &Options{MaxBytes: 500}, ErrBudget, "budget 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Trim(context.Background(), tt.in, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if r != nil {
				t.Errorf("result %+v with an error", r)
			}
			if !strings.HasPrefix(err.Error(), "pdf: ") || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q: want prefix %q and %q", err, "pdf: ", tt.msg)
			}
		})
	}
}

func TestTrimBudgetError(t *testing.T) {
	in := noiseScanPDF(t, 1, 600, 400) // a q95 noise image: re-encoding shrinks it a lot
	_, err := Trim(context.Background(), in, &Options{MaxBytes: 1000})
	var be *BudgetError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want *BudgetError", err)
	}
	if be.Budget != 1000 || be.Smallest <= 1000 {
		t.Errorf("BudgetError %+v: want Budget 1000 and Smallest > 1000", be)
	}
	if !errors.Is(err, ErrBudget) {
		t.Error("BudgetError does not match ErrBudget")
	}
	// Images were re-encoded down the quality ladder before giving up.
	if be.Smallest > len(in)/2 {
		t.Errorf("Smallest %d, input %d: images were not re-encoded", be.Smallest, len(in))
	}
}

func TestTrimFitImages(t *testing.T) {
	// a 2400x300 JPEG, a 2000x200 16-bit RGB PNG and a 2100x100 grey PNG (Flate)
	in := fixture(t, "scan.pdf")
	tests := []struct {
		name      string
		opts      *Options
		sizes     [][2]int
		resampled int
	}{
		{"default leaves images", nil, [][2]int{{2000, 200}, {2100, 100}, {2400, 300}}, 0},
		{"FitImages 1920", &Options{FitImages: true}, [][2]int{{1920, 91}, {1920, 192}, {1920, 240}}, 3},
		{"FitImages 1000", &Options{FitImages: true, MaxImageSide: 1000}, [][2]int{{1000, 48}, {1000, 100}, {1000, 125}}, 3},
		{"FitImages 5000 nothing to do", &Options{FitImages: true, MaxImageSide: 5000}, [][2]int{{2000, 200}, {2100, 100}, {2400, 300}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Trim(context.Background(), in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := imageSizes(t, r.Data)
			slices.SortFunc(got, func(a, b [2]int) int { return a[0]*10000 + a[1] - b[0]*10000 - b[1] })
			if !slices.Equal(got, tt.sizes) {
				t.Errorf("image sizes %v, want %v", got, tt.sizes)
			}
			if r.ImagesResampled != tt.resampled {
				t.Errorf("ImagesResampled = %d, want %d", r.ImagesResampled, tt.resampled)
			}
			if (r.ImageQuality != 0) != (tt.resampled != 0) {
				t.Errorf("ImageQuality = %d with %d images resampled", r.ImageQuality, r.ImagesResampled)
			}
			if !slices.Equal(r.Kept, []int{1, 2, 3}) {
				t.Errorf("Kept = %v", r.Kept)
			}
		})
	}
}

func TestTrimFitsBudgetByResampling(t *testing.T) {
	in := noiseScanPDF(t, 2, 2200, 700)
	budget := len(in) / 3
	r, err := Trim(context.Background(), in, &Options{MaxBytes: budget})
	if err != nil {
		t.Fatalf("input %d bytes, budget %d: %v", len(in), budget, err)
	}
	if len(r.Data) > budget {
		t.Fatalf("output %d bytes over budget %d", len(r.Data), budget)
	}
	if r.ImagesResampled == 0 || !slices.Contains(qualityLadder[:], r.ImageQuality) {
		t.Errorf("ImagesResampled=%d ImageQuality=%d", r.ImagesResampled, r.ImageQuality)
	}
	for _, s := range imageSizes(t, r.Data) {
		if s[0] > 2200 || s[1] > 700 {
			t.Errorf("image %v grew", s)
		}
	}
	if !slices.Equal(r.Kept, []int{1, 2}) {
		t.Errorf("Kept = %v", r.Kept)
	}
}

func TestTrimContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Trim(ctx, fixture(t, "kinds.pdf"), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestTrimConcurrent(t *testing.T) {
	in := fixture(t, "kinds.pdf")
	scan := fixture(t, "scan.pdf")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, opts := in, (*Options)(nil)
			if i%2 == 1 {
				b, opts = scan, &Options{FitImages: true}
			}
			r, err := Trim(context.Background(), b, opts)
			if err == nil && len(r.Kept) == 0 {
				err = errors.New("nothing kept")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestTrimDoesNotModifyInput(t *testing.T) {
	in := fixture(t, "kinds.pdf")
	orig := slices.Clone(in)
	if _, err := Trim(context.Background(), in, &Options{FitImages: true}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in, orig) {
		t.Error("Trim modified its input")
	}
}

func TestTrimRecoversPanics(t *testing.T) {
	testHookAfterRead = func() { panic("boom inside the PDF library") }
	defer func() { testHookAfterRead = nil }()
	_, err := Trim(context.Background(), fixture(t, "kinds.pdf"), nil)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want ErrCorrupt with the panic value", err)
	}
}
