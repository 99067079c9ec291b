package pdf

import (
	"bytes"
	"errors"
	"strconv"
)

// This file is a lexer for PDF content streams (ISO 32000-1 §7.2, §7.8.2 and
// §8.9.7 for inline images). It is deliberately small: it yields tokens that
// slice the input and never allocates per token.

// tokKind is the kind of a content-stream token.
type tokKind uint8

const (
	tokEOF         tokKind = iota
	tokNumber              // 12, -3.5, .5
	tokString              // (literal), val includes the parentheses
	tokHexString           // <48656C6C6F>, val includes the angle brackets
	tokName                // /Name, val excludes the slash (raw, #xx not decoded)
	tokKeyword             // operators and true/false/null
	tokArrayOpen           // [
	tokArrayClose          // ]
	tokDictOpen            // <<
	tokDictClose           // >>
	tokBraceOpen           // { (PostScript calculator syntax, tolerated)
	tokBraceClose          // }
	tokInlineImage         // BI ... ID <data> EI as one token, val is all of it
)

// token is one lexical token; val is a subslice of the tokenizer's input.
type token struct {
	kind tokKind
	val  []byte
}

// Errors of the content-stream lexer. A stream that fails to tokenise is
// treated as painting by the emptiness check (it cannot be proven empty).
var (
	errUnterminatedString = errors.New("pdf: content stream: unterminated string")
	errUnterminatedHex    = errors.New("pdf: content stream: unterminated hex string")
	errUnexpectedDelim    = errors.New("pdf: content stream: unexpected delimiter")
	errInlineImage        = errors.New("pdf: content stream: malformed inline image")
)

// maxInlineDictTokens bounds the dictionary of one inline image.
const maxInlineDictTokens = 1024

// tokenizer splits a content stream into tokens. The zero value with buf set
// is ready to use. Not safe for concurrent use.
type tokenizer struct {
	buf []byte
	pos int
}

// isWhite reports PDF whitespace (§7.2.2 Table 1).
func isWhite(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

// isDelim reports PDF delimiters (§7.2.2 Table 2).
func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// isRegular reports bytes that belong to names, numbers and keywords.
func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

// skipSpace skips whitespace and comments.
func (t *tokenizer) skipSpace() {
	for t.pos < len(t.buf) {
		c := t.buf[t.pos]
		switch {
		case isWhite(c):
			t.pos++
		case c == '%':
			for t.pos < len(t.buf) && t.buf[t.pos] != '\n' && t.buf[t.pos] != '\r' {
				t.pos++
			}
		default:
			return
		}
	}
}

// next returns the next token, tokEOF at the end of the input. After an error
// the tokenizer is positioned at the end of the input.
func (t *tokenizer) next() (token, error) {
	t.skipSpace()
	if t.pos >= len(t.buf) {
		return token{kind: tokEOF}, nil
	}
	start := t.pos
	c := t.buf[t.pos]
	switch c {
	case '(':
		return t.literalString()
	case '<':
		if t.pos+1 < len(t.buf) && t.buf[t.pos+1] == '<' {
			t.pos += 2
			return token{tokDictOpen, t.buf[start:t.pos]}, nil
		}
		end := bytes.IndexByte(t.buf[t.pos+1:], '>')
		if end < 0 {
			t.pos = len(t.buf)
			return token{}, errUnterminatedHex
		}
		t.pos += end + 2
		return token{tokHexString, t.buf[start:t.pos]}, nil
	case '>':
		if t.pos+1 < len(t.buf) && t.buf[t.pos+1] == '>' {
			t.pos += 2
			return token{tokDictClose, t.buf[start:t.pos]}, nil
		}
		t.pos = len(t.buf)
		return token{}, errUnexpectedDelim
	case ')':
		t.pos = len(t.buf)
		return token{}, errUnexpectedDelim
	case '[':
		t.pos++
		return token{tokArrayOpen, t.buf[start:t.pos]}, nil
	case ']':
		t.pos++
		return token{tokArrayClose, t.buf[start:t.pos]}, nil
	case '{':
		t.pos++
		return token{tokBraceOpen, t.buf[start:t.pos]}, nil
	case '}':
		t.pos++
		return token{tokBraceClose, t.buf[start:t.pos]}, nil
	case '/':
		t.pos++
		for t.pos < len(t.buf) && isRegular(t.buf[t.pos]) {
			t.pos++
		}
		return token{tokName, t.buf[start+1 : t.pos]}, nil
	}
	for t.pos < len(t.buf) && isRegular(t.buf[t.pos]) {
		t.pos++
	}
	word := t.buf[start:t.pos]
	if isNumber(word) {
		return token{tokNumber, word}, nil
	}
	if len(word) == 2 && word[0] == 'B' && word[1] == 'I' {
		return t.inlineImage(start)
	}
	return token{tokKeyword, word}, nil
}

// literalString scans a (string) with balanced parentheses and backslash
// escapes, starting at the opening parenthesis.
func (t *tokenizer) literalString() (token, error) {
	start := t.pos
	depth := 0
	for t.pos < len(t.buf) {
		switch t.buf[t.pos] {
		case '\\':
			t.pos++ // the escaped byte, whatever it is, is skipped below
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				t.pos++
				return token{tokString, t.buf[start:t.pos]}, nil
			}
		}
		t.pos++
	}
	t.pos = len(t.buf)
	return token{}, errUnterminatedString
}

// isNumber reports whether w is a PDF number: [+-]? digits with at most one
// '.', at least one digit.
func isNumber(w []byte) bool {
	i := 0
	if i < len(w) && (w[i] == '+' || w[i] == '-') {
		i++
	}
	digits, dots := 0, 0
	for ; i < len(w); i++ {
		switch c := w[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// numberValue parses a tokNumber; malformed numbers give 0 as readers do.
func numberValue(w []byte) float64 {
	f, err := strconv.ParseFloat(string(w), 64)
	if err != nil {
		return 0
	}
	return f
}

// inlineImage scans an inline image whose BI keyword starts at start: the
// key/value pairs up to ID, one whitespace byte, the data, and EI. The data
// length comes from /L or /Length when present (PDF 2.0); otherwise the data
// ends at the first "EI" that has whitespace before it and whitespace, a
// delimiter or the end of input after it.
func (t *tokenizer) inlineImage(start int) (token, error) {
	length := -1
	var prevName []byte
	for n := 0; ; n++ {
		if n > maxInlineDictTokens {
			t.pos = len(t.buf)
			return token{}, errInlineImage
		}
		tok, err := t.next()
		if err != nil {
			return token{}, err
		}
		switch tok.kind {
		case tokEOF, tokInlineImage:
			t.pos = len(t.buf)
			return token{}, errInlineImage
		case tokKeyword:
			if string(tok.val) == "ID" {
				goto data
			}
		case tokNumber:
			if string(prevName) == "L" || string(prevName) == "Length" {
				if v := numberValue(tok.val); v >= 0 && v <= float64(len(t.buf)) {
					length = int(v)
				}
			}
		}
		prevName = nil
		if tok.kind == tokName {
			prevName = tok.val
		}
	}
data:
	// Exactly one whitespace byte separates ID from the data.
	if t.pos < len(t.buf) && isWhite(t.buf[t.pos]) {
		t.pos++
	}
	dataStart := t.pos
	if length >= 0 && dataStart+length <= len(t.buf) {
		p := dataStart + length
		for p < len(t.buf) && isWhite(t.buf[p]) {
			p++
		}
		if p+2 <= len(t.buf) && t.buf[p] == 'E' && t.buf[p+1] == 'I' && (p+2 == len(t.buf) || !isRegular(t.buf[p+2])) {
			t.pos = p + 2
			return token{tokInlineImage, t.buf[start:t.pos]}, nil
		}
	}
	for p := dataStart; ; {
		i := bytes.Index(t.buf[p:], []byte("EI"))
		if i < 0 {
			t.pos = len(t.buf)
			return token{}, errInlineImage
		}
		p += i
		before := p == dataStart || isWhite(t.buf[p-1])
		after := p+2 == len(t.buf) || !isRegular(t.buf[p+2])
		if before && after {
			t.pos = p + 2
			return token{tokInlineImage, t.buf[start:t.pos]}, nil
		}
		p++
	}
}
