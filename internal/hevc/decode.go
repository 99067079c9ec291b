package hevc

import (
	"fmt"
	"math"
	"runtime"
)

// This file: the public API, frame allocation, the order of the decoding
// stages and cropping.

// DefaultMaxPixels is the Options.MaxPixels used when it is 0: 2^28 coded
// luma samples (a 16384x16384 picture).
const DefaultMaxPixels = 1 << 28

// Picture is a decoded picture, cropped to its conformance window. Its
// planes are the decoder's frame buffers (not reused after Decode
// returns), carved from Options.Buf when it was large enough. Safe for
// concurrent reads.
type Picture struct {
	// Width, Height: cropped luma size.
	Width, Height int
	// ChromaFormat: 0 = 4:0:0 (Cb and Cr nil), 1 = 4:2:0.
	ChromaFormat int
	// Y, Cb, Cr: 8-bit samples, row r of a plane starting at r*stride; Cb
	// and Cr are ((Width+1)/2)x((Height+1)/2). Each slice's capacity runs
	// to the end of its plane, which the decoder pads to whole CTBs. With
	// Options.Buf the padded Y, Cb and Cr planes lie back to back from
	// Buf[0]; when the conformance window starts at 0,0, Y starts at
	// Buf[0] and cap(Y), cap(Cb), cap(Cr) are the padded plane sizes.
	Y, Cb, Cr        []byte
	YStride, CStride int
	// FullRange: video_full_range_flag of the SPS VUI (false when absent).
	FullRange bool
	// MatrixCoefficients, ColourPrimaries, TransferCharacteristics: from
	// the SPS VUI colour description (2, unspecified, when absent).
	MatrixCoefficients, ColourPrimaries, TransferCharacteristics int
}

// Options tunes Decode and DecodeAnnexB. A nil *Options or a zero field
// means the default.
type Options struct {
	// MaxPixels: the largest coded picture (luma samples, before
	// cropping) to decode; larger pictures fail with ErrTooLarge before
	// any sample memory is allocated. 0 means DefaultMaxPixels. Decoding
	// allocates about 2.3 bytes per coded luma sample (4:2:0 planes, block
	// metadata, the filters' working buffers): 28 MB for 12 MP.
	MaxPixels int64
	// Workers: goroutines used for WPP rows and the in-loop filters; 0
	// means GOMAXPROCS capped at 4, 1 decodes serially. More workers cost
	// one CABAC state and coefficient buffer each.
	Workers int
	// Buf, when its capacity holds the picture's sample planes (padded to
	// whole CTBs: Y, then Cb and Cr for 4:2:0, 1.5 bytes a padded luma
	// sample), is the memory they are carved from, back to back from
	// Buf[0] (Y, then Cb, then Cr, contiguous), instead of a fresh
	// allocation; the Picture's planes then point into Buf, so a caller
	// can recycle one buffer across decodes (and recognise it afterwards).
	// Its old contents do not matter: the decoder writes every sample of
	// the coded picture before reading it. nil (the default) or a buffer
	// too small means the planes are allocated. The block metadata is
	// always allocated. The caller must not touch Buf while Decode runs,
	// nor reuse it while the Picture is in use.
	Buf []byte
}

// buf returns Options.Buf (nil for nil options).
func (o *Options) buf() []byte {
	if o == nil {
		return nil
	}
	return o.Buf
}

// maxPixels returns the effective pixel limit.
func (o *Options) maxPixels() int64 {
	if o == nil || o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

// workers returns the effective worker count.
func (o *Options) workers() int {
	if o != nil && o.Workers > 0 {
		return o.Workers
	}
	return min(runtime.GOMAXPROCS(0), 4)
}

// Decode decodes the first picture of a HEIF item. params are the
// parameter-set NAL units (from the hvcC arrays, without length prefix);
// data is the item's bytes: NAL units each preceded by a big-endian length
// of lengthSize bytes (1, 2 or 4). Errors wrap ErrUnsupported, ErrCorrupt
// or ErrTooLarge. Decode is safe for concurrent use (calls share nothing);
// it allocates about 2.3 bytes per coded luma sample and runs in time
// linear in the samples and the coded bits.
func Decode(params [][]byte, data []byte, lengthSize int, opts *Options) (pic *Picture, err error) {
	defer guard(&pic, &err)
	nals, err := splitLengthPrefixed(data, lengthSize)
	if err != nil {
		return nil, err
	}
	all := make([][]byte, 0, len(params)+len(nals))
	all = append(all, params...)
	all = append(all, nals...)
	return decodeNALs(all, opts)
}

// DecodeAnnexB decodes the first picture of an Annex B byte stream (NAL
// units after start codes), for tests and tools. See Decode.
func DecodeAnnexB(stream []byte, opts *Options) (pic *Picture, err error) {
	defer guard(&pic, &err)
	return decodeNALs(splitAnnexB(stream), opts)
}

// guard turns a panic of the decoder into ErrCorrupt (a bug: hostile input
// must be caught by explicit checks, but a crash of the caller is worse).
func guard(pic **Picture, err *error) {
	if r := recover(); r != nil {
		*pic = nil
		*err = fmt.Errorf("%w: decoder panic: %v", ErrCorrupt, r)
	}
}

// decodeNALs decodes the first picture found in nals: parameter sets are
// kept by id, slice segments of the first picture are decoded in order, the
// picture ends at the next first_slice_segment_in_pic_flag or the end.
func decodeNALs(nals [][]byte, opts *Options) (*Picture, error) {
	var ps paramSets
	var f *frame
	workers := opts.workers()
	for _, b := range nals {
		nal, err := parseNAL(b)
		if err != nil {
			return nil, err
		}
		if nal.layerID != 0 {
			continue // other layers (multi-layer extensions) are ignored
		}
		switch {
		case nal.typ == nalSPS:
			rbsp, _ := unescape(nal.payload)
			sps, err := parseSPS(rbsp)
			if err != nil {
				return nil, err
			}
			ps.sps[sps.ID] = sps
		case nal.typ == nalPPS:
			rbsp, _ := unescape(nal.payload)
			pps, err := parsePPS(rbsp)
			if err != nil {
				return nil, err
			}
			ps.pps[pps.ID] = pps
		case isSlice(nal.typ):
			if f != nil && len(nal.payload) > 0 && nal.payload[0]&0x80 != 0 {
				// first_slice_segment_in_pic_flag: the next picture.
				return f.finish(workers)
			}
			rbsp, removed := unescape(nal.payload)
			var active *PPS
			if f != nil {
				active = f.pps
			}
			h, pps, err := parseSliceHeader(nal, rbsp, removed, &ps, active)
			if err != nil {
				return nil, err
			}
			if f == nil {
				if !h.FirstSliceInPic {
					// A stream starting in the middle of a picture.
					return nil, corruptf("first slice segment has first_slice_segment_in_pic_flag 0")
				}
				sps := pps.sps
				if err := sps.checkSupported(); err != nil {
					return nil, err
				}
				f, err = newFrame(sps, pps, opts.maxPixels(), opts.buf())
				if err != nil {
					return nil, err
				}
			}
			if f.ctbSlice[h.SegmentAddress] >= 0 {
				return nil, corruptf("slice segment starts at the already decoded CTB %d", h.SegmentAddress)
			}
			f.slices = append(f.slices, h)
			if err := f.decodeSlice(len(f.slices)-1, rbsp, workers); err != nil {
				return nil, err
			}
		}
	}
	if f == nil {
		return nil, corruptf("no slice segment")
	}
	return f.finish(workers)
}

// newFrame allocates the frame of a picture for the active SPS and PPS: it
// checks the coded size against maxPixels before allocating anything, rounds
// the plane sizes up to whole CTBs (so that no block crosses a plane edge),
// and sizes the block metadata. The planes are carved from buf (Y, Cb, Cr
// back to back from buf[0]) when its capacity holds them, else allocated.
//
// Samples carved from buf hold whatever was there, and that is safe
// because the decoder never reads a sample it has not written: every CTB
// of the picture is decoded before the filters run (finish checks it), and
// the coded size (w x h, whole minimum coding blocks) is tiled by the
// coding and transform blocks, each of which writes all its samples;
// intra prediction reads only neighbours that 6.4.1 calls available
// (inside w x h and earlier in decoding order: written), substituting
// the others; deblocking filters edges of 4x4 blocks inside w x h only,
// and SAO reads neighbours inside w x h only (picture edges are not
// available), so the padding beyond w x h up to whole CTBs is never read
// and never returned (the Picture is cropped within w x h).
// TestDecodeDirtyBuf proves it on every conformance fixture.
func newFrame(sps *SPS, pps *PPS, maxPixels int64, buf []byte) (*frame, error) {
	if int64(sps.Width)*int64(sps.Height) > maxPixels {
		return nil, fmt.Errorf("%w: %dx%d over %d pixels", ErrTooLarge, sps.Width, sps.Height, maxPixels)
	}
	f := &frame{sps: sps, pps: pps, w: sps.Width, h: sps.Height}
	f.ctbW, f.ctbH = sps.PicWidthInCtbs, sps.PicHeightInCtbs
	stride := f.ctbW * sps.CtbSize
	rows := f.ctbH * sps.CtbSize
	// The padded planes (at most 1.5 bytes a padded luma sample) must fit
	// in an int, which is 32 bits on 386 and arm.
	if int64(stride)*int64(rows)*3/2 > math.MaxInt {
		return nil, fmt.Errorf("%w: %dx%d padded planes", ErrTooLarge, stride, rows)
	}
	ny, nc := stride*rows, 0
	f.stride[0] = stride
	if sps.ChromaFormatIdc != 0 {
		f.cw, f.ch = f.w/sps.SubWidthC, f.h/sps.SubHeightC
		cs, cr := stride/sps.SubWidthC, rows/sps.SubHeightC
		nc = cs * cr
		f.stride[1], f.stride[2] = cs, cs
	}
	if cap(buf) < ny+2*nc {
		buf = make([]uint8, ny+2*nc)
	}
	f.planes[0] = buf[:ny:ny]
	if nc > 0 {
		f.planes[1] = buf[ny : ny+nc : ny+nc]
		f.planes[2] = buf[ny+nc : ny+2*nc : ny+2*nc]
	}
	f.w4, f.h4 = (f.w+3)/4, (f.h+3)/4
	n4 := f.w4 * f.h4
	f.ipm = make([]uint8, n4)
	f.depth = make([]uint8, n4)
	f.qp = make([]int8, n4)
	f.flags = make([]uint8, n4)
	f.sao = make([]saoParams, f.ctbW*f.ctbH)
	f.ctbSlice = make([]int32, f.ctbW*f.ctbH)
	for i := range f.ctbSlice {
		f.ctbSlice[i] = -1
	}
	return f, nil
}

// finish checks that every CTB was decoded, runs the in-loop filters and
// returns the cropped picture.
func (f *frame) finish(workers int) (*Picture, error) {
	for i, s := range f.ctbSlice {
		if s < 0 {
			return nil, corruptf("CTB %d of %d never decoded", i, len(f.ctbSlice))
		}
	}
	f.deblock(workers)
	f.applySAO(workers)
	return f.picture(), nil
}

// picture crops the frame to the conformance window.
func (f *frame) picture() *Picture {
	s := f.sps
	p := &Picture{
		Width:                   f.w - s.ConfWinLeft - s.ConfWinRight,
		Height:                  f.h - s.ConfWinTop - s.ConfWinBottom,
		ChromaFormat:            s.ChromaFormatIdc,
		YStride:                 f.stride[0],
		FullRange:               s.FullRange,
		MatrixCoefficients:      s.MatrixCoefficients,
		ColourPrimaries:         s.ColourPrimaries,
		TransferCharacteristics: s.TransferCharacteristics,
	}
	p.Y = cropPlane(f.planes[0], f.stride[0], s.ConfWinLeft, s.ConfWinTop, p.Width, p.Height)
	if s.ChromaFormatIdc != 0 {
		p.CStride = f.stride[1]
		cw, ch := (p.Width+s.SubWidthC-1)/s.SubWidthC, (p.Height+s.SubHeightC-1)/s.SubHeightC
		x, y := s.ConfWinLeft/s.SubWidthC, s.ConfWinTop/s.SubHeightC
		p.Cb = cropPlane(f.planes[1], f.stride[1], x, y, cw, ch)
		p.Cr = cropPlane(f.planes[2], f.stride[2], x, y, cw, ch)
	}
	return p
}

// cropPlane returns the sub-slice of plane covering the w x h rectangle at
// (x, y): it starts at the rectangle's first sample and ends after its
// last; its capacity runs to the end of plane.
func cropPlane(plane []uint8, stride, x, y, w, h int) []uint8 {
	start := y*stride + x
	return plane[start : start+(h-1)*stride+w]
}
