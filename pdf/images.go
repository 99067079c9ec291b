package pdf

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"sort"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// qualityLadder is the sequence of JPEG qualities tried when images must be
// re-encoded to fit the budget: the first step mostly downsamples (to
// MaxImageSide), the next ones lower the quality.
var qualityLadder = [...]int{85, 70, 55, 40, 25}

// fitResult is the outcome of fitImages.
type fitResult struct {
	data      []byte
	resampled int
	quality   int
}

// fitImages re-encodes the images of base (a PDF written by Trim) until it is
// within o.MaxBytes, or, with o.FitImages, until every image obeys
// o.MaxImageSide. Each attempt starts again from base, so images are never
// re-compressed twice.
func fitImages(ctx context.Context, base []byte, o *Options) (fitResult, error) {
	smallest := len(base)
	over := len(base) > o.MaxBytes
	// The estimate (base size plus stream size changes) ignores the small
	// change in dictionary bytes; aim a little under the budget.
	target := o.MaxBytes - o.MaxBytes/100
	cache := &imageCache{imgs: map[int]image.Image{}}
	for _, q := range qualityLadder {
		if err := ctx.Err(); err != nil {
			return fitResult{}, err
		}
		pc, err := readContext(base, o)
		if err != nil {
			return fitResult{}, err
		}
		est, replaced, decodable := len(base), 0, 0
		for _, im := range collectImages(pc.XRefTable) {
			if err := ctx.Err(); err != nil {
				return fitResult{}, err
			}
			oversize := max(im.w, im.h) > o.MaxImageSide
			if !(over && est > target) && !(o.FitImages && oversize) {
				continue
			}
			raw, w, h, ok := cache.reencode(pc.XRefTable, im.nr, im.sd, o.MaxImageSide, q)
			if !ok {
				continue
			}
			decodable++
			if !oversize && len(raw) >= len(im.sd.Raw) {
				continue // no gain
			}
			est += len(raw) - len(im.sd.Raw)
			replaceImage(im.entry, im.sd, raw, w, h)
			replaced++
		}
		if replaced == 0 {
			if !over {
				return fitResult{data: base}, nil
			}
			if decodable == 0 {
				break // nothing we can re-encode: lower qualities won't help
			}
			continue
		}
		out, err := writeContext(pc)
		if err != nil {
			return fitResult{}, err
		}
		smallest = min(smallest, len(out))
		if len(out) <= o.MaxBytes {
			return fitResult{data: out, resampled: replaced, quality: q}, nil
		}
		over = true // FitImages alone made it grow past the budget: keep going
	}
	return fitResult{}, &BudgetError{Budget: o.MaxBytes, Smallest: smallest}
}

// pdfImage is an image XObject found in the cross-reference table.
type pdfImage struct {
	nr    int // object number
	entry *model.XRefTableEntry
	sd    types.StreamDict
	w, h  int
}

// collectImages lists the image XObjects of xt that may be re-encoded,
// largest encoded stream first. Images used as another image's soft mask or
// stencil mask, and stencil masks themselves, are left alone.
func collectImages(xt *model.XRefTable) []pdfImage {
	masks := map[int]bool{}
	var imgs []pdfImage
	for nr, e := range xt.Table {
		if e == nil || e.Free {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok || !isImage(sd) {
			continue
		}
		for _, k := range []string{"SMask", "Mask"} {
			if ir := sd.IndirectRefEntry(k); ir != nil {
				masks[ir.ObjectNumber.Value()] = true
			}
		}
		if b := sd.BooleanEntry("ImageMask"); b != nil && *b {
			continue
		}
		if _, ok := sd.Find("SMaskInData"); ok {
			continue
		}
		w, h := sd.IntEntry("Width"), sd.IntEntry("Height")
		if w == nil || h == nil || *w <= 0 || *h <= 0 {
			continue
		}
		imgs = append(imgs, pdfImage{nr: nr, entry: e, sd: sd, w: *w, h: *h})
	}
	kept := imgs[:0]
	for _, im := range imgs {
		if !masks[im.nr] {
			kept = append(kept, im)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return len(kept[i].sd.Raw) > len(kept[j].sd.Raw) })
	return kept
}

func isImage(sd types.StreamDict) bool {
	st := sd.Subtype()
	return st != nil && *st == "Image"
}

// imageComponents returns the number of colour components of an image's
// colour space when it is one we can re-encode as JPEG (gray or RGB,
// device, calibrated or ICC-based), otherwise 0.
func imageComponents(xt *model.XRefTable, sd types.StreamDict) int {
	o, ok := sd.Find("ColorSpace")
	if !ok {
		return 0
	}
	o, err := xt.Dereference(o)
	if err != nil {
		return 0
	}
	switch v := o.(type) {
	case types.Name:
		switch v {
		case "DeviceGray", "CalGray":
			return 1
		case "DeviceRGB", "CalRGB":
			return 3
		}
	case types.Array:
		if len(v) == 2 {
			if n, ok := v[0].(types.Name); ok && (n == "ICCBased" || n == "CalRGB" || n == "CalGray") {
				if n == "CalGray" {
					return 1
				}
				if n == "CalRGB" {
					return 3
				}
				icc, _, err := xt.DereferenceStreamDict(v[1])
				if err != nil || icc == nil {
					return 0
				}
				if nn := icc.IntEntry("N"); nn != nil && (*nn == 1 || *nn == 3) {
					return *nn
				}
			}
		}
	}
	return 0
}

// decodeImage decodes a gray or RGB image stored as 8-bit JPEG (DCTDecode)
// or as 8- or 16-bit unfiltered/Flate samples (16-bit samples keep their high
// byte); ok is false for anything else.
func decodeImage(xt *model.XRefTable, sd types.StreamDict, w, h int) (img image.Image, ok bool) {
	n := imageComponents(xt, sd)
	if n == 0 || int64(w)*int64(h) > maxImagePixels {
		return nil, false
	}
	bpc := sd.IntEntry("BitsPerComponent")
	if bpc == nil || (*bpc != 8 && *bpc != 16) {
		return nil, false
	}
	var names []string
	for _, f := range sd.FilterPipeline {
		names = append(names, f.Name)
	}
	switch {
	case len(names) == 1 && names[0] == "DCTDecode" && *bpc == 8:
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(sd.Raw))
		if err != nil || cfg.Width != w || cfg.Height != h {
			return nil, false
		}
		if (n == 1) != (cfg.ColorModel == color.GrayModel) || cfg.ColorModel == color.CMYKModel {
			return nil, false
		}
		m, err := jpeg.Decode(bytes.NewReader(sd.Raw))
		if err != nil {
			return nil, false
		}
		return m, true
	case len(names) == 0 || (len(names) == 1 && names[0] == "FlateDecode"):
		bps := *bpc / 8 // bytes per sample
		need := int64(w) * int64(h) * int64(n) * int64(bps)
		if need > maxRawImageBytes {
			return nil, false
		}
		pix, err := decodeStream(&sd, need+need/64+64<<10) // some slack for trailing bytes
		if err != nil || int64(len(pix)) < need {
			return nil, false
		}
		if n == 1 {
			if bps == 1 {
				return &image.Gray{Pix: pix[:need], Stride: w, Rect: image.Rect(0, 0, w, h)}, true
			}
			m := image.NewGray(image.Rect(0, 0, w, h))
			for i := range m.Pix {
				m.Pix[i] = pix[2*i]
			}
			return m, true
		}
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		step := 3 * bps
		for i, j := 0, 0; i < int(need); i, j = i+step, j+4 {
			m.Pix[j], m.Pix[j+1], m.Pix[j+2], m.Pix[j+3] = pix[i], pix[i+bps], pix[i+2*bps], 0xff
		}
		return m, true
	}
	return nil, false
}

// maxCachedPixelBytes bounds the downsampled images kept between the
// quality steps of one fitImages call (beyond it images are decoded again).
const maxCachedPixelBytes = 256 << 20

// imageCache keeps decoded, downsampled images by object number across the
// quality steps of one fitImages call; nil entries mark images that cannot
// be re-encoded. Not safe for concurrent use.
type imageCache struct {
	imgs  map[int]image.Image
	bytes int
}

// reencode decodes image object nr (stream sd), downsamples it so its longer
// side is at most side, and encodes it as JPEG at quality q. Decoder panics
// are recovered: such an image is left alone.
func (c *imageCache) reencode(xt *model.XRefTable, nr int, sd types.StreamDict, side, q int) (raw []byte, w, h int, ok bool) {
	defer func() {
		if r := recover(); r != nil { // a decoder panic: leave the image alone
			c.imgs[nr] = nil
			raw, ok = nil, false
		}
	}()
	img, seen := c.imgs[nr]
	if !seen {
		wp, hp := sd.IntEntry("Width"), sd.IntEntry("Height")
		if wp == nil || hp == nil {
			return nil, 0, 0, false
		}
		if src, ok := decodeImage(xt, sd, *wp, *hp); ok {
			img = fitSide(src, side)
		}
		if n := pixelBytes(img); c.bytes+n <= maxCachedPixelBytes {
			c.imgs[nr] = img
			c.bytes += n
		}
	}
	if img == nil {
		return nil, 0, 0, false
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, 0, 0, false
	}
	b := img.Bounds()
	return buf.Bytes(), b.Dx(), b.Dy(), true
}

// pixelBytes estimates the memory held by an image's pixels.
func pixelBytes(m image.Image) int {
	switch m := m.(type) {
	case *image.Gray:
		return len(m.Pix)
	case *image.RGBA:
		return len(m.Pix)
	case *image.YCbCr:
		return len(m.Y) + len(m.Cb) + len(m.Cr)
	case nil:
		return 0
	}
	b := m.Bounds()
	return 4 * b.Dx() * b.Dy()
}

// replaceImage swaps the stream of an image XObject for a baseline JPEG of
// w×h pixels, keeping its colour space and other entries.
func replaceImage(e *model.XRefTableEntry, sd types.StreamDict, raw []byte, w, h int) {
	d := sd.Dict.Clone().(types.Dict)
	d.Delete("DecodeParms")
	d.Delete("Length")
	d["Filter"] = types.Name("DCTDecode")
	d["Width"] = types.Integer(w)
	d["Height"] = types.Integer(h)
	d["BitsPerComponent"] = types.Integer(8)
	l := int64(len(raw))
	d["Length"] = types.Integer(l)
	nsd := types.NewStreamDict(d, 0, &l, nil, []types.PDFFilter{{Name: "DCTDecode"}})
	nsd.Raw = raw
	e.Object = nsd
}
