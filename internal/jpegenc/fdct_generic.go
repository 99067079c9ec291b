//go:build !amd64 || purego

package jpegenc

// fdctQuant is the forward DCT of the 8×8 samples at pix[off:] with the
// given stride, quantised with z into zz (zig-zag order); it returns the
// non-zero bitmask and uses b as scratch. Without the AVX2 kernel
// (another GOARCH, or -tags purego) it is fdctQuantGo.
func fdctQuant(b *block, zz *[blockSize]int32, pix []byte, off, stride int, z *quantizer) uint64 {
	return fdctQuantGo(b, zz, pix, off, stride, z)
}
