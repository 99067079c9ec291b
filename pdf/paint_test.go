package pdf

import (
	"strconv"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// fakeXObjects resolves XObject names from a map: name → kind and, for
// forms, content. Names are their own memo ids (index+1).
type fakeXObjects map[string]struct{ kind, content string }

func (f fakeXObjects) xobject(_ types.Dict, name string) (string, []byte, types.Dict, int, error) {
	x, ok := f[name]
	if !ok {
		return "", nil, nil, 0, nil
	}
	return x.kind, []byte(x.content), nil, int(name[0]), nil
}

func TestScanPaints(t *testing.T) {
	xo := fakeXObjects{
		"Im":    {"Image", ""},
		"PS":    {"PS", ""},
		"Empty": {"Form", "q Q % 0 0 m 1 1 l S"},
		"Fill":  {"Form", "0 0 10 10 re f"},
		"Outer": {"Form", "q /Fill Do Q"},
		"Self":  {"Form", "/Self Do"},
		"Text":  {"Form", "BT (x) Tj ET"},
	}
	tests := []struct {
		name    string
		streams []string
		want    bool
	}{
		{"nothing", []string{""}, false},
		{"no streams", nil, false},
		{"q Q and whitespace", []string{"q\n \r\n\tQ"}, false},
		{"clip only", []string{"q 0 0 100 100 re W n Q"}, false},
		{"clip even-odd", []string{"0 0 m 10 0 l 10 10 l h W* n"}, false},
		{"graphics state only", []string{"1 0 0 RG 0.5 g 2 w [3] 0 d /GS0 gs 1 0 0 1 5 5 cm"}, false},
		{"marked content", []string{"/Artifact BMC EMC /P <</MCID 0>> BDC EMC"}, false},
		{"operators in comments", []string{"% BT (x) Tj ET 0 0 m 1 1 l S f sh /Im Do\n"}, false},
		{"operators in strings", []string{"BT 3 Tr (f S sh) Tj ET"}, false},
		{"text without show", []string{"BT /F1 12 Tf 72 720 Td ET"}, false},
		{"text show", []string{"BT /F1 12 Tf (x) Tj ET"}, true},
		{"TJ", []string{"BT [(a) -50 (b)] TJ ET"}, true},
		{"quote", []string{"BT (x) ' ET"}, true},
		{"double quote", []string{"BT 1 2 (x) \" ET"}, true},
		{"invisible text", []string{"BT 3 Tr (x) Tj ET"}, false},
		{"clip-only text", []string{"BT 7 Tr (x) Tj ET"}, false},
		{"invisible then visible", []string{"BT 3 Tr (x) Tj 0 Tr (y) Tj ET"}, true},
		{"Tr restored by Q", []string{"q 3 Tr Q BT (x) Tj ET"}, true},
		{"Tr saved by q", []string{"3 Tr q 0 Tr Q BT (x) Tj ET"}, false},
		{"stroke", []string{"0 0 m 10 10 l S"}, true},
		{"close stroke", []string{"0 0 m 10 10 l s"}, true},
		{"fill", []string{"0 0 10 10 re f"}, true},
		{"fill F", []string{"0 0 10 10 re F"}, true},
		{"fill even-odd", []string{"0 0 10 10 re f*"}, true},
		{"fill stroke", []string{"0 0 10 10 re B"}, true},
		{"fill stroke even-odd", []string{"0 0 10 10 re B*"}, true},
		{"close fill stroke", []string{"0 0 10 10 re b"}, true},
		{"close fill stroke even-odd", []string{"0 0 10 10 re b*"}, true},
		{"path without paint", []string{"0 0 m 10 10 l 5 5 10 10 20 20 c h n"}, false},
		{"shading", []string{"/Sh0 sh"}, true},
		{"inline image", []string{"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI"}, true},
		{"image XObject", []string{"q /Im Do Q"}, true},
		{"PostScript XObject", []string{"/PS Do"}, true},
		{"unknown XObject", []string{"/Nope Do"}, true},
		{"Do without operand", []string{"Do"}, true},
		{"empty form", []string{"/Empty Do /Empty Do"}, false},
		{"nested form that fills", []string{"/Outer Do"}, true},
		{"self-drawing form", []string{"/Self Do"}, false},
		{"form text under invisible mode", []string{"3 Tr /Text Do"}, false},
		{"form text", []string{"/Text Do"}, true},
		{"operator split across streams", []string{"q 0 0 10 10 re", " f Q"}, true},
		{"q and Q in separate streams", []string{"q", "Q"}, false},
		{"malformed content", []string{"q (unterminated"}, true},
		{"stray delimiter", []string{"q ) Q"}, true},
		{"true false null are operands", []string{"true false null"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &painter{r: xo, budget: maxContentBytes, memo: map[memoKey]bool{}, visited: map[int]bool{}}
			var streams [][]byte
			for _, s := range tt.streams {
				streams = append(streams, []byte(s))
			}
			var st scanState
			if got := p.paints(streams, nil, &st, 0); got != tt.want {
				t.Errorf("paints = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScanBudget(t *testing.T) {
	// Content beyond the per-page budget counts as painting (not proven
	// empty) and flags the page, which Trim then refuses with ErrTooLarge.
	p := &painter{budget: 8, memo: map[memoKey]bool{}, visited: map[int]bool{}}
	var st scanState
	if !p.paints([][]byte{[]byte("q Q q Q q Q")}, nil, &st, 0) {
		t.Error("content over budget reported empty")
	}
	if !p.tooLarge {
		t.Error("content over budget not flagged tooLarge (Trim would not refuse the page)")
	}
}

func TestScanDepthLimit(t *testing.T) {
	// A chain of distinct empty forms deeper than maxRecursion is not proven empty.
	xo := fakeChain(maxRecursion + 2)
	p := &painter{r: xo, budget: maxContentBytes, memo: map[memoKey]bool{}, visited: map[int]bool{}}
	var st scanState
	if !p.paints([][]byte{[]byte("/F0 Do")}, nil, &st, 0) {
		t.Error("form chain deeper than the limit reported empty")
	}
	xo = fakeChain(maxRecursion - 2)
	p = &painter{r: xo, budget: maxContentBytes, memo: map[memoKey]bool{}, visited: map[int]bool{}}
	if p.paints([][]byte{[]byte("/F0 Do")}, nil, &scanState{}, 0) {
		t.Error("shallow empty form chain reported painting")
	}
}

// fakeChain is n forms F0 → F1 → … each drawing the next, the last empty.
type fakeChain int

func (n fakeChain) xobject(_ types.Dict, name string) (string, []byte, types.Dict, int, error) {
	var i int
	for _, c := range name[1:] {
		i = i*10 + int(c-'0')
	}
	if i >= int(n) {
		return "Form", []byte("q Q"), nil, i + 1, nil
	}
	return "Form", []byte("/F" + strconv.Itoa(i+1) + " Do"), nil, i + 1, nil
}
