package jpegenc

// buildHuffSpec computes an optimal length-limited Huffman table for the
// symbol frequencies freq, following ITU T.81 Annex K.2 (and libjpeg's
// jpeg_gen_optimal_table): a reserved symbol of frequency 1 keeps any code
// from being all ones, code lengths over 16 are folded back, and symbols are
// listed by increasing code length. Symbols of frequency 0 get no code.
func buildHuffSpec(freq *[256]uint32) huffSpec {
	var s huffSpec
	s.build(freq)
	return s
}

// build is buildHuffSpec into s, reusing s.value's storage.
func (s *huffSpec) build(freq *[256]uint32) {
	const reserved = 256
	var f [257]uint64
	var codesize [257]int
	var others [257]int
	for i := range f {
		if i < reserved {
			f[i] = uint64(freq[i])
		}
		others[i] = -1
	}
	f[reserved] = 1

	for {
		// c1 is the symbol of least non-zero frequency (the highest index
		// on ties, so the reserved symbol gets a longest code), c2 the next.
		c1, c2 := -1, -1
		var v1, v2 uint64 = 1 << 63, 1 << 63
		for i, x := range f {
			if x != 0 && x <= v1 {
				v1, c1 = x, i
			}
		}
		for i, x := range f {
			if x != 0 && x <= v2 && i != c1 {
				v2, c2 = x, i
			}
		}
		if c2 < 0 {
			break
		}
		f[c1] += f[c2]
		f[c2] = 0
		for codesize[c1]++; others[c1] >= 0; codesize[c1]++ {
			c1 = others[c1]
		}
		others[c1] = c2
		for codesize[c2]++; others[c2] >= 0; codesize[c2]++ {
			c2 = others[c2]
		}
	}

	// 257 symbols with 32-bit counts cannot build a tree deeper than 257.
	var count [258]int
	for _, n := range codesize {
		if n > 0 {
			count[n]++
		}
	}
	// Fold lengths over 16 back (Annex K.3 Figure K.3, "Adjust_BITS").
	for i := len(count) - 1; i > 16; i-- {
		for count[i] > 0 {
			j := i - 2
			for count[j] == 0 {
				j--
			}
			count[i] -= 2
			count[i-1]++
			count[j+1] += 2
			count[j]--
		}
	}
	// Drop the reserved symbol's code, one of the longest.
	for i := 16; i > 0; i-- {
		if count[i] > 0 {
			count[i]--
			break
		}
	}

	s.value = s.value[:0]
	for i := range s.count {
		s.count[i] = uint8(count[i+1])
	}
	for n := 1; n < len(count); n++ {
		for sym := range reserved {
			if codesize[sym] == n {
				s.value = append(s.value, uint8(sym))
			}
		}
	}
}
