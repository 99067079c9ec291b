package hevc

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseNAL(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    nalUnit
		wantErr bool
	}{
		{"SPS", []byte{0x42, 0x01, 0xaa}, nalUnit{typ: 33, layerID: 0, temporalID: 0, payload: []byte{0xaa}}, false},
		{"IDR_N_LP", []byte{0x28, 0x01}, nalUnit{typ: 20, payload: []byte{}}, false},
		{"layer 1 tid 2", []byte{0x40 | 0x01, 0x0b}, nalUnit{typ: 32, layerID: 33, temporalID: 2, payload: []byte{}}, false},
		{"short", []byte{0x42}, nalUnit{}, true},
		{"forbidden bit", []byte{0xc2, 0x01}, nalUnit{}, true},
		{"temporal id plus1 zero", []byte{0x42, 0x00}, nalUnit{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseNAL(tt.in)
			if checkCorrupt(t, err, tt.wantErr) {
				return
			}
			if got.typ != tt.want.typ || got.layerID != tt.want.layerID || got.temporalID != tt.want.temporalID ||
				!bytes.Equal(got.payload, tt.want.payload) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestIsSlice(t *testing.T) {
	for typ := 0; typ < 64; typ++ {
		want := typ <= 9 || typ >= 16 && typ <= 21
		if isSlice(typ) != want {
			t.Errorf("isSlice(%d) = %v", typ, !want)
		}
	}
}

func TestSplitAnnexB(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want [][]byte
	}{
		{"empty", nil, nil},
		{"no start code", []byte{1, 2, 3}, nil},
		{"three byte", []byte{0, 0, 1, 0x40, 1, 5}, [][]byte{{0x40, 1, 5}}},
		{"four byte and trailing zeros", []byte{0, 0, 0, 1, 0x40, 1, 0, 0, 0, 0, 1, 0x42, 1, 7, 0, 0}, [][]byte{{0x40, 1}, {0x42, 1, 7}}},
		{"leading garbage", []byte{9, 9, 0, 0, 1, 0x44, 1}, [][]byte{{0x44, 1}}},
		{"empty NAL skipped", []byte{0, 0, 1, 0, 0, 1, 0x44, 1}, [][]byte{{0x44, 1}}},
		{"escaped zeros kept", []byte{0, 0, 1, 0x44, 1, 0, 0, 3, 1}, [][]byte{{0x44, 1, 0, 0, 3, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitAnnexB(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d NAL units %v, want %v", len(got), got, tt.want)
			}
			for i := range got {
				if !bytes.Equal(got[i], tt.want[i]) {
					t.Errorf("NAL %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSplitLengthPrefixed(t *testing.T) {
	tests := []struct {
		name       string
		in         []byte
		lengthSize int
		want       [][]byte
		wantErr    bool
	}{
		{"size 4", []byte{0, 0, 0, 2, 0x40, 1, 0, 0, 0, 3, 0x42, 1, 9}, 4, [][]byte{{0x40, 1}, {0x42, 1, 9}}, false},
		{"size 2", []byte{0, 2, 0x40, 1}, 2, [][]byte{{0x40, 1}}, false},
		{"size 1", []byte{2, 0x40, 1, 1, 0x42}, 1, [][]byte{{0x40, 1}, {0x42}}, false},
		{"zero length skipped", []byte{0, 0, 0, 2, 0x40, 1}, 2, [][]byte{{0x40, 1}}, false},
		{"empty", nil, 4, nil, false},
		{"length beyond data", []byte{0, 0, 0, 9, 0x40, 1}, 4, nil, true},
		// A length of 2^31 or more is a negative int on 32-bit platforms.
		{"length 2^32-1", []byte{0xff, 0xff, 0xff, 0xff, 0x40, 1}, 4, nil, true},
		{"truncated length", []byte{0, 0, 0}, 4, nil, true},
		{"bad length size", []byte{0, 2, 0x40, 1}, 3, nil, true},
		{"length size 0", []byte{0, 2, 0x40, 1}, 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := splitLengthPrefixed(tt.in, tt.lengthSize)
			if checkCorrupt(t, err, tt.wantErr) {
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if !bytes.Equal(got[i], tt.want[i]) {
					t.Errorf("NAL %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// checkCorrupt fails t unless err wraps ErrCorrupt (wantErr) or is nil
// (!wantErr), and reports whether the case expected an error.
func checkCorrupt(t *testing.T, err error, wantErr bool) bool {
	t.Helper()
	if wantErr {
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
		return true
	}
	if err != nil {
		t.Fatal(err)
	}
	return false
}
