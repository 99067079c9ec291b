package pdf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// renderTokens renders tokens compactly: kind letter and value.
func renderTokens(t *testing.T, in string) (string, error) {
	t.Helper()
	tz := tokenizer{buf: []byte(in)}
	var out []string
	for n := 0; n <= len(in)+1; n++ {
		tok, err := tz.next()
		if err != nil {
			return strings.Join(out, " "), err
		}
		if tok.kind == tokEOF {
			return strings.Join(out, " "), nil
		}
		out = append(out, string("?NSHnKadAD{}I"[tok.kind])+":"+string(tok.val))
	}
	t.Fatalf("tokenizer made no progress on %q", in)
	return "", nil
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"empty", "", "", nil},
		{"whitespace only", " \t\r\n\f\x00", "", nil},
		{"numbers and operator", "1 0 0 -1.5 .5 +3 cm", "N:1 N:0 N:0 N:-1.5 N:.5 N:+3 K:cm", nil},
		{"not numbers", "1.2.3 - . 4a", "K:1.2.3 K:- K:. K:4a", nil},
		{"comment hides operators", "% 0 0 m 1 1 l S\nq Q", "K:q K:Q", nil},
		{"comment to CR", "%x\rQ", "K:Q", nil},
		{"string hides operators", "(f S Tj) Tj", "S:(f S Tj) K:Tj", nil},
		{"nested parens", "(a(b)c) Tj", "S:(a(b)c) K:Tj", nil},
		{"escaped parens", `(a\)b\(c\\) Tj`, `S:(a\)b\(c\\) K:Tj`, nil},
		{"hex string", "<48 65>Tj", "H:<48 65> K:Tj", nil},
		{"names", "/F1 12 Tf /a#20b/c", "n:F1 N:12 K:Tf n:a#20b n:c", nil},
		{"empty name", "/ Do", "n: K:Do", nil},
		{"array", "[(a) -120 (b)]TJ", "a:[ S:(a) N:-120 S:(b) d:] K:TJ", nil},
		{"dict", "/P <</MCID 0>> BDC", "n:P A:<< n:MCID N:0 D:>> K:BDC", nil},
		{"braces", "{ 1 add }", "{:{ N:1 K:add }:}", nil},
		{"operators glued to delimiters", "q[1]0 d(x)'", "K:q a:[ N:1 d:] N:0 K:d S:(x) K:'", nil},
		{"inline image", "BI /W 2 /H 1 /CS /G /BPC 8 ID \x00\xff EI Q", "I:BI /W 2 /H 1 /CS /G /BPC 8 ID \x00\xff EI K:Q", nil},
		{"inline image data contains EI", "BI /W 4 ID aEIb\nEI\nQ", "I:BI /W 4 ID aEIb\nEI K:Q", nil},
		{"inline image with /L", "BI /L 4 ID  EI EI Q", "I:BI /L 4 ID  EI EI K:Q", nil},
		{"inline image at end", "BI ID x EI", "I:BI ID x EI", nil},
		{"inline image empty data", "BI ID EI", "I:BI ID EI", nil},
		{"unterminated string", "(abc", "", errUnterminatedString},
		{"unterminated nested string", "(a(b) Tj", "", errUnterminatedString},
		{"trailing backslash", `(a\`, "", errUnterminatedString},
		{"unterminated hex", "<414", "", errUnterminatedHex},
		{"stray close paren", "q ) Q", "K:q", errUnexpectedDelim},
		{"stray >", "q > Q", "K:q", errUnexpectedDelim},
		{"inline image without ID", "BI /W 2 /H 2", "", errInlineImage},
		{"inline image without EI", "BI /W 2 ID xxxx", "", errInlineImage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderTokens(t, tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("tokens\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// FuzzTokenize checks that the lexer never panics, always terminates, makes
// progress with every token, and returns tokens that slice its input.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"q 1 0 0 1 0 0 cm /Im0 Do Q", "BT /F1 12 Tf (a\\)b(c)) Tj ET", "<<>>[<00ff>]",
		"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI", "% comment\r\nf*", "(((", "BI /L 3 ID abc EI",
	} {
		f.Add([]byte(s))
	}
	// Content streams of the fixtures, as stored (uncompressed) in kinds.pdf.
	if b, err := os.ReadFile(filepath.Join("..", "testdata", "pdf", "kinds.pdf")); err == nil {
		for _, part := range bytes.Split(b, []byte("stream\n"))[1:] {
			if i := bytes.Index(part, []byte("endstream")); i > 0 {
				f.Add(part[:i])
			}
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<16 {
			return
		}
		tz := tokenizer{buf: in}
		for n := 0; ; n++ {
			if n > len(in)+1 {
				t.Fatalf("more tokens than bytes in %q", in)
			}
			prev := tz.pos
			tok, err := tz.next()
			if err != nil {
				if tz.pos != len(in) {
					t.Fatalf("after error at %d, pos %d != len %d", prev, tz.pos, len(in))
				}
				return
			}
			if tok.kind == tokEOF {
				return
			}
			if tz.pos <= prev || tz.pos > len(in) {
				t.Fatalf("no progress: %d -> %d", prev, tz.pos)
			}
			if len(tok.val) > 0 && !bytes.Contains(in[prev:tz.pos], tok.val) {
				t.Fatalf("token %q not within consumed input %q", tok.val, in[prev:tz.pos])
			}
			if tok.kind != tokName && len(tok.val) == 0 {
				t.Fatalf("empty %v token", tok.kind)
			}
		}
	})
}
