package pdf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCountObjects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"none", "%PDF-1.7\n%%EOF", 0},
		{"headers", "1 0 obj<<>>endobj\n2 0 obj [1] endobj 10  0\r\nobj\n(x)\nendobj", 3},
		{"endobj alone is no header", "endobj endobj\nendobj", 0},
		{"names and words", "1 0 obj<</Subobj 1/obj 2/X(obj)>>endobj objx 3 obj2", 1},
		{"needs a preceding integer", "R obj\n0obj\n", 0},
		{"at end of data", "1 0 obj", 1},
		{"object stream /N", "1 0 obj\n<</Type/ObjStm/N 7/First 30/Length 3>>stream\nxyz\nendstream\nendobj", 8},
		{"object stream /N spaced", "1 0 obj <</N\n 12 /Type /ObjStm>>\nstream\n", 13},
		{"longer name is not /N", "1 0 obj <</Type/ObjStm/Nx 5/N 2>>stream\n", 3},
		{"no ObjStm, /N ignored", "1 0 obj <</Type/XObject/N 9>>stream\n", 1},
		{"ObjStm after stream keyword ignored", "1 0 obj <</N 9>>stream\n/Type/ObjStm\n", 1},
		{"/ObjStmX is another name", "1 0 obj <</Type/ObjStmX/N 9>>stream\n", 1},
		{"two object streams", "1 0 obj<</Type/ObjStm/N 2>>stream\nendstream endobj 2 0 obj<</Type/ObjStm/N 3>>stream\n", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := countObjects([]byte(tt.in), 1000)
			if err != nil || got != tt.want {
				t.Errorf("countObjects = %d, %v; want %d, nil", got, err, tt.want)
			}
		})
	}
	t.Run("limit", func(t *testing.T) {
		for _, in := range []string{
			strings.Repeat("1 0 obj\nnull\nendobj\n", 11),
			"1 0 obj<</Type/ObjStm/N 10>>stream\n",
			"1 0 obj<</Type/ObjStm/N 99999999999999999999>>stream\n",
		} {
			if n, err := countObjects([]byte(in), 10); !errors.Is(err, ErrTooLarge) {
				t.Errorf("countObjects(%.40q, 10) = %d, %v; want ErrTooLarge", in, n, err)
			}
		}
	})
}

func TestCountXRefEntries(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"none", "%PDF-1.7\nstartxref\n123\n%%EOF", 0},
		{"one section", "xref\n0 3\n" + strings.Repeat("0000000000 65535 f \n", 3) + "trailer", 3},
		{"subsections", "xref\n0 1\n0000000000 65535 f \n5 2\n" + strings.Repeat("0000000010 00000 n \n", 2) + "trailer", 3},
		{"two tables", "xref\n0 2\n" + strings.Repeat("0000000000 65535 f \n", 2) + "trailer xref 7 4\n", 6},
		{"startxref is not a table", "startxref 0 9\n", 0},
		{"not a number", "xref\nabc 3\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := countXRefEntries([]byte(tt.in), 100)
			if err != nil || got != tt.want {
				t.Errorf("countXRefEntries = %d, %v; want %d, nil", got, err, tt.want)
			}
		})
	}
	t.Run("limit", func(t *testing.T) {
		if _, err := countXRefEntries([]byte("xref\n0 101\n"), 100); !errors.Is(err, ErrTooLarge) {
			t.Errorf("error = %v, want ErrTooLarge", err)
		}
	})
}

func TestParseRawDict(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		ok      bool
		typ     string
		n       int64
		filters []string
		stream  bool
	}{
		{"not a dict", " [1 2] endobj", false, "", 0, nil, false},
		{"plain", " <</Type/XRef/N 5/Filter/FlateDecode>> endobj", true, "XRef", 5, []string{"FlateDecode"}, false},
		{"stream", " <</Type /ObjStm /N 3 /First 10>>\nstream\r\nxyz", true, "ObjStm", 3, nil, true},
		{"filter array", " <</Filter[/A85 /Fl]/Type/XRef>>stream\n", true, "XRef", 0, []string{"A85", "Fl"}, true},
		{"escaped names", " <</Ty#70e/X#52ef/Filter/Fl#61teDecode>>stream\n", true, "XRef", 0, []string{"FlateDecode"}, true},
		{"nested values skipped", " <</DecodeParms<</Type/Foo/N 9>>/Index[0 5]/Type/XRef/Size 5 0 R/N 2>>", true, "XRef", 2, nil, false},
		{"strings and comments", " <</Title(>> /Type/Bad)%comment >>\n/Type/ObjStm>>", true, "ObjStm", 0, nil, false},
		{"unterminated", " <</Type/XRef", false, "", 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := parseRawDict([]byte(tt.in))
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if d.typ != tt.typ || d.n != tt.n || strings.Join(d.filters, ",") != strings.Join(tt.filters, ",") || (d.stream >= 0) != tt.stream {
				t.Errorf("got %+v, want typ %q n %d filters %v stream %v", d, tt.typ, tt.n, tt.filters, tt.stream)
			}
			if tt.stream && !strings.HasSuffix(tt.in[:d.stream], "stream\n") && !strings.HasSuffix(tt.in[:d.stream], "stream\r\n") {
				t.Errorf("stream data starts at %d: %q", d.stream, tt.in[d.stream:])
			}
		})
	}
}

// FuzzPrescan checks the raw-byte prescan on arbitrary input (seeded with
// the fixtures and the bombs' shapes): no panic; errors match ErrTooLarge
// or ErrCorrupt; countObjects is consistent with its limit (a count n
// passes limit n and fails limit n-1).
func FuzzPrescan(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "pdf", "*.pdf"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(objStm(f, 3, 0))
	f.Add(objStmX(f, 3, 0, "", "", 0))
	f.Add(manyObjects(10))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		if err := prescan(in); err != nil && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("prescan error matches no sentinel: %v", err)
		}
		n, err := countObjects(in, 1<<30)
		if err != nil && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("countObjects error: %v", err)
		}
		if err != nil || n == 0 {
			return
		}
		if m, err := countObjects(in, n); err != nil || m != n {
			t.Fatalf("count %d, then with limit %d: %d, %v", n, n, m, err)
		}
		if _, err := countObjects(in, n-1); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("count %d passes limit %d: %v", n, n-1, err)
		}
	})
}
