package hevc

import (
	"encoding/binary"
	"fmt"
)

// cabac is the arithmetic decoding engine of 9.3.4.3 over one substream
// (a slice segment's data, or one WPP row / entry point).
//
// Representation: the spec's 9-bit ivlOffset is kept together with up to
// 54 bits of look-ahead in the 64-bit register val, so that
//
//	ivlOffset == val >> cnt
//
// where cnt is the number of buffered look-ahead bits. Comparing ivlOffset
// with ivlCurrRange is then val < rng<<cnt, and renormalisation by n bits
// is cnt -= n (no shifting of val). The register is refilled several bytes
// at a time whenever cnt drops below 8, which keeps cnt >= 8 between calls:
// no single operation consumes more than 7 bits (an LPS renormalises by at
// most 6 bits since rangeTabLps >= 6; MPS, bypass and terminate by 1).
//
// Past the end of the substream the register is fed zero bytes; err then
// reports ErrCorrupt once a bit beyond the end was actually consumed (look-
// ahead alone is not an error). The engine never panics and every call is
// O(1), so a caller that checks err once per CTU bounds its work by the
// input size.
type cabac struct {
	val  uint64 // ivlOffset << cnt | look-ahead bits
	rng  uint32 // ivlCurrRange, 256..510 between calls
	cnt  uint   // look-ahead bits in val
	pos  int    // bytes of data loaded into val (may exceed len(data): zeros)
	data []byte
	bad  bool // init found a non-conforming ivlOffset (510 or 511)
}

// init implements the initialisation of the arithmetic decoding engine
// (9.3.2.5) at the start of data: ivlCurrRange = 510, ivlOffset = the
// first 9 bits. It returns ErrCorrupt when data is empty or starts with an
// offset of 510 or 511, which no conforming encoder produces.
func (c *cabac) init(data []byte) error {
	c.data = data
	c.pos = 0
	c.val = 0
	c.cnt = 0
	c.rng = 510
	c.bad = false
	if len(data) == 0 {
		c.bad = true
		return fmt.Errorf("%w: empty CABAC substream", ErrCorrupt)
	}
	// Load 7 bytes: 9 bits of offset and 47 of look-ahead.
	for i := range 7 {
		c.val <<= 8
		if i < len(data) {
			c.val |= uint64(data[i])
		}
	}
	c.pos = 7
	c.cnt = 47
	if off := c.val >> 47; off >= 510 {
		// Keep the engine invariant (offset < range) so that a caller
		// going on regardless gets zeros, never out-of-range values.
		c.val = 0
		c.bad = true
		return fmt.Errorf("%w: CABAC offset %d at substream start", ErrCorrupt, off)
	}
	return nil
}

// refill tops the look-ahead up to between 47 and 54 bits. Called when
// cnt < 8; bytes past the end of data read as zero. cnt <= 54 keeps
// rng<<cnt and val below 2^63.
func (c *cabac) refill() {
	k := (54 - c.cnt) >> 3 // bytes to load
	if c.pos+8 <= len(c.data) {
		w := binary.BigEndian.Uint64(c.data[c.pos:])
		c.val = c.val<<(8*k) | w>>(64-8*k)
		c.pos += int(k)
		c.cnt += 8 * k
		return
	}
	for ; k > 0; k-- {
		c.val <<= 8
		if c.pos < len(c.data) {
			c.val |= uint64(c.data[c.pos])
		}
		c.pos++
		c.cnt += 8
	}
}

// decodeBin decodes one context-coded bin (9.3.4.3.2) with the context
// variable *ctx, packed as pStateIdx<<1 | valMps, and updates it (9.3.4.3.2.2).
func (c *cabac) decodeBin(ctx *uint8) int {
	s := *ctx
	var lps uint
	c.val, c.rng, c.cnt, lps = cabacBinStep(c.val, c.rng, c.cnt, s)
	*ctx = cabacTrans[(uint(s)<<1|lps)&255]
	if c.cnt < 8 {
		c.refill()
	}
	return int(uint(s&1) ^ lps)
}

// cabacBinStep is the arithmetic part of DecodeDecision (9.3.4.3.2.1 and
// RenormD 9.3.4.3.3) on engine registers held by the caller, so that hot
// loops keep them in CPU registers (it is small enough to be inlined). s is
// the packed context state; lps is 1 when the LPS was decoded (the bin is
// then (s&1)^1, and the next state cabacTrans[s<<1|lps]). The caller must
// refill when the returned cnt is below 8. Branch-free: the MPS/LPS choice
// is a mask, since it is unpredictable.
func cabacBinStep(val uint64, rng uint32, cnt uint, s uint8) (nval uint64, nrng uint32, ncnt uint, lps uint) {
	rLps := uint32(cabacLpsTab[(rng>>6)<<7|uint32(s)])
	rng -= rLps
	scaled := uint64(rng) << (cnt & 63)
	mask := uint64(int64(scaled-val-1) >> 63) // all ones when val >= scaled: LPS
	val -= scaled & mask
	rng ^= (rng ^ rLps) & uint32(mask)
	n := uint(cabacRenorm[(rng>>3)&63])
	return val, rng << (n & 31), cnt - n, uint(mask & 1)
}

// cabacRenorm[r>>3] is the number of RenormD shifts (9.3.4.3.3) that bring
// a range r (6 <= r <= 510) to at least 256: 8 - floor(log2(r)) below
// 256, else 0. Buckets of 8 never straddle a power of two above 8.
var cabacRenorm = [64]uint8{
	6, 5, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
}

// cabacBypassStep is DecodeBypass (9.3.4.3.4) on caller-held registers;
// the caller refills when cnt drops below 8.
func cabacBypassStep(val uint64, rng uint32, cnt uint) (nval uint64, ncnt uint, bin uint) {
	cnt--
	scaled := uint64(rng) << (cnt & 63)
	mask := uint64(int64(scaled-val-1) >> 63)
	return val - scaled&mask, cnt, uint(mask & 1)
}

// refillRegs is refill for caller-held registers.
func (c *cabac) refillRegs(val uint64, cnt uint) (uint64, uint) {
	c.val, c.cnt = val, cnt
	c.refill()
	return c.val, c.cnt
}

// decodeBypass decodes one bypass bin (9.3.4.3.4).
func (c *cabac) decodeBypass() int {
	var bin uint
	c.val, c.cnt, bin = cabacBypassStep(c.val, c.rng, c.cnt)
	if c.cnt < 8 {
		c.refill()
	}
	return int(bin)
}

// decodeBypassBits decodes n bypass bins (0 <= n <= 64) and returns them
// as an unsigned integer, first bin in the most significant position (the
// FL binarisation of 9.3.3.5 and suffixes of 9.3.3.11).
//
// n bypass bins at once: each DecodeBypass step is one step of binary long
// division of the offset (extended by the next bits) by ivlCurrRange, so n
// steps yield the quotient q = (ivlOffset<<n | next n bits) / ivlCurrRange
// (< 2^n since ivlOffset < ivlCurrRange) and leave the remainder as the
// new offset: one division instead of n dependent steps.
func (c *cabac) decodeBypassBits(n int) int {
	if n <= 0 {
		return 0
	}
	if n > 32 {
		hi := c.decodeBypassBits(n - 32)
		return int(uint64(hi)<<32 | uint64(c.decodeBypassBits(32)))
	}
	if c.cnt < uint(n)+8 {
		c.refill() // leaves cnt >= 47
	}
	sh := c.cnt - uint(n)
	scaled := uint64(c.rng) << (sh & 63)
	q := c.val / scaled
	c.val -= q * scaled
	c.cnt = sh
	return int(q)
}

// peekBypass16 returns the next 16 bypass bins (first bin in bit 15)
// without consuming them; skipBypass(j, q) then consumes the first j of
// them (j <= 16, q the peeked value). See decodeBypassBits for why a
// division gives the bins; the first j bins are q >> (16-j) and leave the
// offset reduced by that quotient times the range at their position.
func (c *cabac) peekBypass16() uint64 {
	if c.cnt < 24 {
		c.refill()
	}
	return c.val / (uint64(c.rng) << ((c.cnt - 16) & 63))
}

func (c *cabac) skipBypass(j uint, q uint64) {
	sh := c.cnt - j
	c.val -= (q >> (16 - j)) * (uint64(c.rng) << (sh & 63))
	c.cnt = sh
}

// decodeTerminate decodes a bin with the terminating process (9.3.4.3.5):
// end_of_slice_segment_flag, end_of_subset_one_bit, pcm_flag. After it
// returns 1 the engine is finished; alignedPos tells where the following
// byte-aligned data (pcm_sample, the next substream) begins.
func (c *cabac) decodeTerminate() int {
	c.rng -= 2
	scaled := uint64(c.rng) << c.cnt
	if c.val >= scaled {
		// The engine is finished; restore the range so that the register
		// invariants (256 <= rng <= 510) hold even if a caller goes on.
		c.rng += 2
		return 1
	}
	if c.rng < 256 {
		c.rng <<= 1
		c.cnt--
		if c.cnt < 8 {
			c.refill()
		}
	}
	return 0
}

// consumedBits is the number of bits of data the spec's decoder has read
// (9 at initialisation plus one per renormalisation shift).
func (c *cabac) consumedBits() int {
	return c.pos*8 - int(c.cnt)
}

// alignedPos returns the byte offset in data just after the bits consumed
// so far, rounded up to a byte boundary. After decodeTerminate returned 1
// the last consumed bit is the final bit of the arithmetic codeword (the
// stop / alignment one bit), so for pcm_flag this is where pcm_sample()
// starts (after pcm_alignment_zero_bits); re-initialise with
// init(data[alignedPos()+pcmBytes:]) after the PCM samples.
func (c *cabac) alignedPos() int {
	return (c.consumedBits() + 7) >> 3
}

// err returns an ErrCorrupt-wrapped error when the decoder has consumed bits
// beyond the end of its substream or was initialised on invalid data; nil
// otherwise. Once non-nil it stays non-nil until the next init.
func (c *cabac) err() error {
	if c.bad {
		return fmt.Errorf("%w: invalid CABAC substream start", ErrCorrupt)
	}
	if c.consumedBits() > 8*len(c.data) {
		return fmt.Errorf("%w: CABAC read past the end of the substream", ErrCorrupt)
	}
	return nil
}

// rangeTabLps is Table 9-52 (rangeTabLps[pStateIdx][qRangeIdx]), flattened
// to index pStateIdx<<2 | qRangeIdx.
var rangeTabLps = [64 * 4]uint8{
	128, 176, 208, 240, 128, 167, 197, 227, 128, 158, 187, 216, 123, 150, 178, 205,
	116, 142, 169, 195, 111, 135, 160, 185, 105, 128, 152, 175, 100, 122, 144, 166,
	95, 116, 137, 158, 90, 110, 130, 150, 85, 104, 123, 142, 81, 99, 117, 135,
	77, 94, 111, 128, 73, 89, 105, 122, 69, 85, 100, 116, 66, 80, 95, 110,
	62, 76, 90, 104, 59, 72, 86, 99, 56, 69, 81, 94, 53, 65, 77, 89,
	51, 62, 73, 85, 48, 59, 69, 80, 46, 56, 66, 76, 43, 53, 63, 72,
	41, 50, 59, 69, 39, 48, 56, 65, 37, 45, 54, 62, 35, 43, 51, 59,
	33, 41, 48, 56, 32, 39, 46, 53, 30, 37, 43, 50, 29, 35, 41, 48,
	27, 33, 39, 45, 26, 31, 37, 43, 24, 30, 35, 41, 23, 28, 33, 39,
	22, 27, 32, 37, 21, 26, 30, 35, 20, 24, 29, 33, 19, 23, 27, 31,
	18, 22, 26, 30, 17, 21, 25, 28, 16, 20, 23, 27, 15, 19, 22, 25,
	14, 18, 21, 24, 14, 17, 20, 23, 13, 16, 19, 22, 12, 15, 18, 21,
	12, 14, 17, 20, 11, 14, 16, 19, 11, 13, 15, 18, 10, 12, 15, 17,
	10, 12, 14, 16, 9, 11, 13, 15, 9, 11, 12, 14, 8, 10, 12, 14,
	8, 9, 11, 13, 7, 9, 11, 12, 7, 9, 10, 12, 7, 8, 10, 11,
	6, 8, 9, 11, 6, 7, 9, 10, 6, 7, 8, 9, 2, 2, 2, 2,
}

// transIdxLpsTab is the transIdxLps column of Table 9-53, by pStateIdx.
var transIdxLpsTab = [64]uint8{
	0, 0, 1, 2, 2, 4, 4, 5, 6, 7, 8, 9, 9, 11, 11, 12,
	13, 13, 15, 15, 16, 16, 18, 18, 19, 19, 21, 21, 22, 22, 23, 24,
	24, 25, 26, 26, 27, 27, 28, 29, 29, 30, 30, 30, 31, 32, 32, 33,
	33, 33, 34, 34, 35, 35, 35, 36, 36, 36, 37, 37, 37, 38, 38, 63,
}

// cabacTrans maps packed context state s (pStateIdx<<1 | valMps) and the
// decoded symbol kind to the next state: cabacTrans[s<<1] after an MPS,
// cabacTrans[s<<1|1] after an LPS (9.3.4.3.2.2, Table 9-53), including the
// valMps flip on an LPS in pStateIdx 0.
var cabacTrans [256]uint8

// cabacLpsTab is rangeTabLps re-indexed for cabacBinStep:
// [(ivlCurrRange>>6)<<7 | s] with s the packed state, so that the index
// needs no masking; ivlCurrRange>>6 is 4..7, rows 0..3 repeat them so that
// any 9-bit range indexes a valid entry.
var cabacLpsTab [1024]uint8

func init() {
	for s := range 128 {
		p, m := s>>1, s&1
		np := min(p+1, 62)
		if p == 63 {
			np = 63
		}
		cabacTrans[s<<1] = uint8(np<<1 | m)
		lm := m
		if p == 0 {
			lm = 1 - m
		}
		cabacTrans[s<<1|1] = uint8(int(transIdxLpsTab[p])<<1 | lm)
		for r := range 8 {
			cabacLpsTab[r<<7|s] = rangeTabLps[p<<2|r&3]
		}
	}
}
