package preprocess

import (
	"bytes"
	"image/color"
)

// bytesPerPixel is the decoded size of one pixel of a colour model, plus
// what resampling adds for layouts without a fused fast path in
// internal/resize (a full-size NRGBA copy, 4 bytes a pixel); the fast paths
// (YCbCr, Gray, RGBA, NRGBA, Paletted) need scratch proportional to the
// width only.
func bytesPerPixel(m color.Model) float64 {
	switch m {
	case color.GrayModel:
		return 1
	case color.YCbCrModel:
		return 3 // 4:4:4 in the worst case; 4:2:0 needs 1.5
	case color.RGBAModel, color.NRGBAModel:
		return 4
	case color.Gray16Model:
		return 2 + 4
	case color.NYCbCrAModel:
		return 4 + 4
	case color.RGBA64Model, color.NRGBA64Model:
		return 8 + 4
	case color.CMYKModel:
		return 4 + 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 + 4
}

// heicBytesPerPixel is the peak memory of a HEIC decode per pixel, measured
// with internal/heif's BenchmarkDecodeCold on 12 MP photos: a single HEVC
// frame holds the decoder's linear memory, the frame and the NRGBA output
// (355–366 MiB); a grid is decoded tile by tile in tile-sized instances
// (150–170 MiB).
func heicBytesPerPixel(grid bool) float64 {
	if grid {
		return 14
	}
	return 30
}

// workingSet estimates the peak bytes one image job allocates: the decoded
// image at 1/scale, the fitted image and the encoder's buffers (each at
// most maxSide² pixels at 4 bytes). With streamed (a baseline JPEG decoded
// and fitted in one pass, see streamJPEG) the decoded image is only the
// decoder's window: two bands and the rows the resampler keeps, each about
// 22 source rows per unit of scale (16 output rows of Lanczos3 support).
func workingSet(hdr header, scale, maxSide int, streamed bool) int64 {
	w := int64((hdr.width + scale - 1) / scale)
	h := int64((hdr.height + scale - 1) / scale)
	rows := h
	if streamed && maxSide > 0 {
		ratio := (max(w, h) + int64(maxSide) - 1) / int64(maxSide)
		span := 22*ratio + 2
		band := max(128, 2*span)
		rows = min(h, 2*band+span+32)
	}
	decoded := int64(float64(w*rows) * hdr.bpp)
	out := min(int64(maxSide)*int64(maxSide), int64(hdr.width)*int64(hdr.height))
	return decoded + 2*4*out
}

// downscales reports whether an image of header hdr, decoded at 1/scale, is
// made smaller by fitting it to maxSide (the case streamJPEG handles).
func downscales(hdr header, scale, maxSide int) bool {
	w, h := (hdr.width+scale-1)/scale, (hdr.height+scale-1)/scale
	return max(w, h) > maxSide
}

// pdfWorkingSet is what a PDF job reserves from a Limiter: measured peaks
// are ~8× the input for image-heavy scans being resampled (g_10page.pdf,
// 11.4 MB: 104 MiB with a 2 MB budget and FitImages) and up to ~150 MiB for
// object-dense files at the pdf stage's 50,000-object cap, whatever their
// size.
func pdfWorkingSet(n int) int64 {
	return max(8*int64(n), 160<<20)
}

// maxJPEGScans is the most start-of-scan markers a JPEG may have. A
// baseline file has one per component group (1-3), a progressive one ~10;
// image/jpeg visits every block of the image in each scan (4.5 ms a scan at
// 12 MP), so a small file of thousands of scans would cost minutes.
// libjpeg-turbo's djpeg offers the same guard (-maxscans).
const maxJPEGScans = 100

// jpegScans counts the SOS markers in data: 0xFF 0xDA cannot occur inside
// entropy-coded data (0xFF is stuffed there), only in APP payloads, where a
// stray pair costs one count. It runs at memory speed.
func jpegScans(data []byte) int {
	return bytes.Count(data, []byte{0xFF, 0xDA})
}

// jpegBaseline reports whether a JPEG is baseline or extended sequential
// Huffman (SOF0/SOF1), the files the fast scaled decoder covers; others are
// decoded at full size by image/jpeg. It reads marker headers only.
func jpegBaseline(data []byte) bool {
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return false
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0xC0 || m == 0xC1:
			return true
		case m >= 0xC2 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			return false // progressive, lossless, arithmetic
		case m == 0xDA || m == 0xD9:
			return false
		}
		i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
	}
	return false
}
