package uploadtest

import (
	"encoding/binary"
	"testing"
)

// bx builds a box: 32-bit size, type, payload.
func bx(typ string, payload ...[]byte) []byte {
	n := 8
	for _, p := range payload {
		n += len(p)
	}
	b := binary.BigEndian.AppendUint32(nil, uint32(n))
	b = append(b, typ...)
	for _, p := range payload {
		b = append(b, p...)
	}
	return b
}

func u32(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.BigEndian.AppendUint32(b, x)
	}
	return b
}

// heifWith builds a minimal HEIF with two ispe properties (a 64x48
// thumbnail at index 1, a 3000x2000 primary at index 2) and ipma mapping
// item 1 (primary, per pitm) to property 2.
func heifWith(pitm, ipma []byte) []byte {
	return append(bx("ftyp", []byte("heic"), u32(0), []byte("mif1heic")),
		bx("meta", u32(0), // version+flags
			pitm,
			bx("iprp",
				bx("ipco",
					bx("ispe", u32(0, 64, 48)),     // index 1
					bx("ispe", u32(0, 3000, 2000)), // index 2
				),
				ipma,
			),
		)...)
}

func TestHEIFDims(t *testing.T) {
	pitm1 := bx("pitm", u32(0), []byte{0, 1}) // v0, item id 1 (u16)
	// ipma v0 flags 0: 2 entries; item 2 -> [1]; item 1 -> [0x82 = essential|2]
	ipma := bx("ipma", u32(0), u32(2), []byte{0, 2, 1, 0x01}, []byte{0, 1, 1, 0x82})
	// ipma v0 flags 1: 16-bit associations; item 1 -> [0x8002]
	ipmaWide := bx("ipma", []byte{0, 0, 0, 1}, u32(1), []byte{0, 1, 1, 0x80, 0x02})
	tests := []struct {
		name    string
		data    []byte
		w, h    int
		wantErr bool
	}{
		{"tiny.heic fixture", fixture(t, "tiny.heic"), 64, 48, false},
		{"wide.heic fixture", fixture(t, "wide.heic"), 2000, 16, false},
		{"primary via pitm+ipma", heifWith(pitm1, ipma), 3000, 2000, false},
		{"primary via 16-bit ipma", heifWith(pitm1, ipmaWide), 3000, 2000, false},
		{"no pitm: largest ispe", heifWith(nil, ipma), 3000, 2000, false},
		{"truncated ipma: largest ispe", heifWith(pitm1, bx("ipma", u32(0), u32(5))), 3000, 2000, false},
		{"empty", nil, 0, 0, true},
		{"no meta", bx("ftyp", []byte("heic")), 0, 0, true},
		{"box size past end", append(u32(100), "meta"...), 0, 0, true},
		{"box size below header", append(u32(4), "meta"...), 0, 0, true},
		{"64-bit size past end", append(append(u32(1), "meta"...), 0, 0, 0, 0, 0xff, 0, 0, 0), 0, 0, true},
		{"no ispe", bx("meta", u32(0), bx("iprp", bx("ipco"))), 0, 0, true},
		{"zero ispe", bx("meta", u32(0), bx("iprp", bx("ipco", bx("ispe", u32(0, 0, 0))))), 0, 0, true},
		{"short ispe", bx("meta", u32(0), bx("iprp", bx("ipco", bx("ispe", u32(0, 5))))), 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h, err := heifDims(tt.data)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %dx%d, want error", w, h)
				}
				return
			}
			if err != nil || w != tt.w || h != tt.h {
				t.Fatalf("got %dx%d, %v; want %dx%d", w, h, err, tt.w, tt.h)
			}
		})
	}
}

// FuzzHEIFDims: never panic; dimensions are positive and bounded on success.
func FuzzHEIFDims(f *testing.F) {
	f.Add(fixture(f, "tiny.heic"))
	f.Add(fixture(f, "wide.heic"))
	f.Add(heifWith(bx("pitm", u32(0), []byte{0, 1}), bx("ipma", u32(0), u32(1), []byte{0, 1, 1, 0x82})))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		w, h, err := heifDims(data)
		if err == nil && (w <= 0 || h <= 0 || w > 1<<20 || h > 1<<20) {
			t.Fatalf("got %dx%d", w, h)
		}
	})
}
