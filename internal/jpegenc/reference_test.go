package jpegenc

import (
	"image"
	"math"
)

// refReconstruct is an independent oracle for one plane: it tiles the w×h
// plane into 8×8 blocks (repeating the last row and column), applies a
// textbook float DCT, quantises with table (zig-zag order) rounding to
// nearest, dequantises and inverts the DCT, and returns the reconstructed
// w×h plane. A correct encoder's output must decode to (almost exactly)
// this.
func refReconstruct(pix []byte, stride, w, h int, table *[blockSize]uint8) []byte {
	out := make([]byte, w*h)
	var cosTab [8][8]float64
	for x := range 8 {
		for u := range 8 {
			cosTab[x][u] = math.Cos(float64(2*x+1) * float64(u) * math.Pi / 16)
		}
	}
	alpha := func(u int) float64 {
		if u == 0 {
			return 1 / math.Sqrt2
		}
		return 1
	}
	var qnat [blockSize]float64
	for k, n := range unzig {
		qnat[n] = float64(table[k])
	}
	for by := 0; by < h; by += 8 {
		for bx := 0; bx < w; bx += 8 {
			var s, coef [8][8]float64
			for y := range 8 {
				for x := range 8 {
					s[y][x] = float64(pix[min(by+y, h-1)*stride+min(bx+x, w-1)]) - 128
				}
			}
			for v := range 8 {
				for u := range 8 {
					var sum float64
					for y := range 8 {
						for x := range 8 {
							sum += s[y][x] * cosTab[x][u] * cosTab[y][v]
						}
					}
					c := sum * alpha(u) * alpha(v) / 4
					q := qnat[v*8+u]
					coef[v][u] = math.Round(c/q) * q
				}
			}
			for y := range 8 {
				for x := range 8 {
					if by+y >= h || bx+x >= w {
						continue
					}
					var sum float64
					for v := range 8 {
						for u := range 8 {
							sum += alpha(u) * alpha(v) * coef[v][u] * cosTab[x][u] * cosTab[y][v]
						}
					}
					out[(by+y)*w+bx+x] = clamp8(sum/4 + 128)
				}
			}
		}
	}
	return out
}

// chromaPlane returns the chroma plane p (Cb or Cr) of m as a dense cw×ch
// slice, with the sample layout of the MCU grid (index 0 at Rect.Min).
func chromaPlane(m *image.YCbCr, p []byte) (out []byte, cw, ch int) {
	f, err := newFrame(m)
	if err != nil {
		panic(err)
	}
	cw, ch = f.cw, f.ch
	out = make([]byte, cw*ch)
	for y := range ch {
		copy(out[y*cw:], p[y*m.CStride:y*m.CStride+cw])
	}
	return out, cw, ch
}
