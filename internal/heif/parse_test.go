package heif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// fixture reads testdata/heic/name from the repository root.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "heic", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file         string
		want         Info
		dispW, dispH int
		transformed  bool
	}{
		{"plain.heic", Info{Width: 96, Height: 64, Mirror: -1}, 96, 64, false},
		{"irot90.heic", Info{Width: 64, Height: 96, Rotation: 90, Mirror: -1}, 96, 64, true},
		{"irot180.heic", Info{Width: 96, Height: 64, Rotation: 180, Mirror: -1}, 96, 64, true},
		{"irot270.heic", Info{Width: 64, Height: 96, Rotation: 270, Mirror: -1}, 96, 64, true},
		{"imir0.heic", Info{Width: 96, Height: 64, Mirror: 0, MirrorFirst: true}, 96, 64, true},
		{"imir1.heic", Info{Width: 96, Height: 64, Mirror: 1, MirrorFirst: true}, 96, 64, true},
		{"irot90-imir0.heic", Info{Width: 64, Height: 96, Rotation: 90, Mirror: 0}, 96, 64, true},
		{"exif-orient6.heic", Info{Width: 96, Height: 64, Mirror: -1, Exif: true}, 96, 64, false},
		{"irot270-exif6.heic", Info{Width: 64, Height: 96, Rotation: 270, Mirror: -1, Exif: true}, 96, 64, true},
		{"grid.heic", Info{Width: 128, Height: 96, Mirror: -1, Grid: true, Tiles: 4, tilePixels: 64 * 64}, 128, 96, false},
		{"grid-irot90.heic", Info{Width: 96, Height: 128, Rotation: 90, Mirror: -1, Grid: true, Tiles: 4, tilePixels: 64 * 64}, 128, 96, true},
		{"grid1x1.heic", Info{Width: 64, Height: 48, Mirror: -1, Grid: true, Tiles: 1, tilePixels: 64 * 64}, 64, 48, false},
		{"bomb-60000.heic", Info{Width: 60000, Height: 60000, Mirror: -1}, 60000, 60000, false},
		{"corrupt-hevc.heic", Info{Width: 96, Height: 64, Mirror: -1}, 96, 64, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.dispW, tt.want.dispH = tt.dispW, tt.dispH
			if got != tt.want {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
			if got.Transformed() != tt.transformed {
				t.Errorf("Transformed() = %v, want %v", got.Transformed(), tt.transformed)
			}
		})
	}
}

// Box builders for hand-made headers. Every field is spelled out at the
// call site with a comment.
func box(typ string, payload ...[]byte) []byte {
	p := bytes.Join(payload, nil)
	return append(append(binary.BigEndian.AppendUint32(nil, uint32(8+len(p))), typ...), p...)
}

func u8(v ...byte) []byte { return v }
func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// minimal builds ftyp + meta for one hvc1 primary item (ID 1) with the given
// ipco properties, all associated with item 1 in order.
func minimal(props ...[]byte) []byte {
	assoc := []byte{}
	for i := range props {
		assoc = append(assoc, byte(i+1)) // essential bit 0, 7-bit index
	}
	return bytes.Join([][]byte{
		box("ftyp", []byte("heic"), u32(0), []byte("mif1heic")), // major, minor, compatible
		box("meta", u32(0), // version 0, flags 0
			box("hdlr", u32(0), u32(0), []byte("pict"), make([]byte, 12), u8(0)), // v/f, pre_defined, handler, reserved, name ""
			box("pitm", u32(0), u16(1)), // v/f, item_ID 1
			box("iinf", u32(0), u16(1), // v/f, entry_count 1
				box("infe", u8(2, 0, 0, 0), u16(1), u16(0), []byte("hvc1"), u8(0))), // v2, item_ID 1, protection 0, type, name ""
			box("iprp",
				box("ipco", props...),
				box("ipma", u32(0), u32(1), u16(1), u8(byte(len(props))), assoc)), // v/f, entry_count, item_ID, count, indexes
		),
	}, nil)
}

func ispe(w, h uint32) []byte { return box("ispe", u32(0), u32(w), u32(h)) }

func TestParseHandMade(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    Info // compared when wantErr is nil
		wantErr error
	}{
		{"ispe only", minimal(ispe(40, 30)), Info{Width: 40, Height: 30, Mirror: -1, dispW: 40, dispH: 30}, nil},
		{"irot 270 then imir 1", minimal(ispe(40, 30), box("irot", u8(3)), box("imir", u8(1))),
			Info{Width: 40, Height: 30, Rotation: 270, Mirror: 1, dispW: 30, dispH: 40}, nil},
		{"irot reserved bits ignored", minimal(ispe(40, 30), box("irot", u8(0xfd))),
			Info{Width: 40, Height: 30, Rotation: 90, Mirror: -1, dispW: 30, dispH: 40}, nil},
		{"clap crops", minimal(ispe(40, 30), box("clap", u32(39), u32(1), u32(29), u32(1), u32(0), u32(1), u32(0), u32(1))),
			Info{Width: 40, Height: 30, Mirror: -1, dispW: 39, dispH: 29}, nil},
		{"clap larger than image", minimal(ispe(40, 30), box("clap", u32(41), u32(1), u32(29), u32(1), u32(0), u32(1), u32(0), u32(1))), Info{}, ErrCorrupt},
		{"clap zero denominator", minimal(ispe(40, 30), box("clap", u32(39), u32(0), u32(29), u32(1), u32(0), u32(1), u32(0), u32(1))), Info{}, ErrCorrupt},
		{"no ispe", minimal(box("irot", u8(1))), Info{}, ErrCorrupt},
		{"ispe zero width", minimal(ispe(0, 30)), Info{}, ErrCorrupt},
		{"two irot", minimal(ispe(40, 30), box("irot", u8(1)), box("irot", u8(1))), Info{}, ErrUnsupported},
		{"irot truncated", minimal(ispe(40, 30), box("irot")), Info{}, ErrCorrupt},
		{"empty", nil, Info{}, ErrCorrupt},
		{"stray bytes", []byte{0, 0, 0}, Info{}, ErrCorrupt},
		{"not ftyp first", box("free", u32(0)), Info{}, ErrCorrupt},
		{"avif brand", box("ftyp", []byte("avif"), u32(0), []byte("avif")), Info{}, ErrUnsupported},
		{"ftyp only", box("ftyp", []byte("heic"), u32(0)), Info{}, ErrUnsupported},
		{"box size below header", append(box("ftyp", []byte("heic"), u32(0)), 0, 0, 0, 4, 'm', 'e', 't', 'a'), Info{}, ErrCorrupt},
		{"box size past end", append(box("ftyp", []byte("heic"), u32(0)), 0, 0, 1, 0, 'm', 'd', 'a', 't'), Info{}, ErrCorrupt},
		{"64-bit size truncated", append(box("ftyp", []byte("heic"), u32(0)), 0, 0, 0, 1, 'm', 'd', 'a', 't', 0), Info{}, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestParseBadIndexes covers ipma entries pointing outside ipco and a
// primary item without item info.
func TestParseBadIndexes(t *testing.T) {
	good := minimal(ispe(40, 30))
	// The ipma association byte is the last byte of the file: index 1.
	bad := bytes.Clone(good)
	bad[len(bad)-1] = 9 // property 9 of 1
	if _, err := Parse(bad); !errors.Is(err, ErrCorrupt) {
		t.Errorf("index out of range: err = %v, want ErrCorrupt", err)
	}
	other := bytes.Replace(good, []byte("pitm\x00\x00\x00\x00\x00\x01"), []byte("pitm\x00\x00\x00\x00\x00\x07"), 1)
	if _, err := Parse(other); !errors.Is(err, ErrCorrupt) {
		t.Errorf("primary without infe: err = %v, want ErrCorrupt", err)
	}
	av1 := bytes.Replace(good, []byte("hvc1"), []byte("av01"), 1)
	if _, err := Parse(av1); !errors.Is(err, ErrUnsupported) {
		t.Errorf("av01 primary: err = %v, want ErrUnsupported", err)
	}
}

// TestParseTruncated cuts every fixture at each 1/16th: Parse must return an
// error (the mdat, last in the file, is then incomplete), never panic.
func TestParseTruncated(t *testing.T) {
	for _, name := range []string{"plain.heic", "irot90-imir0.heic", "grid-irot90.heic", "exif-orient6.heic", "grid1x1.heic"} {
		b := fixture(t, name)
		for i := 0; i < 16; i++ {
			n := len(b) * i / 16
			t.Run(name+"/"+strconv.Itoa(n), func(t *testing.T) {
				if _, err := Parse(b[:n]); err == nil {
					t.Errorf("Parse of %d of %d bytes: no error", n, len(b))
				}
				if _, err := DecodeConfig(b[:n]); err == nil {
					t.Errorf("DecodeConfig of %d of %d bytes: no error", n, len(b))
				}
			})
		}
	}
}

// TestParseAllocs checks that Parse allocates a bounded, small amount that
// does not follow declared sizes: the bomb declares 60000x60000.
func TestParseAllocs(t *testing.T) {
	for _, name := range []string{"plain.heic", "bomb-60000.heic", "grid.heic"} {
		b := fixture(t, name)
		allocs := testing.AllocsPerRun(20, func() {
			if _, err := Parse(b); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: %v allocs", name, allocs)
		if allocs > 16 {
			t.Errorf("%s: %v allocations per Parse, want <= 16", name, allocs)
		}
	}
}
