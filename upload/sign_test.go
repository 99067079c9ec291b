package upload

import (
	"bufio"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestSignVectors checks Sign against HMACs computed by openssl
// (testdata/make_upload.sh), not by Go.
func TestSignVectors(t *testing.T) {
	f, err := os.Open("testdata/hmac_vectors.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 4 {
			t.Fatalf("bad vector line %q", line)
		}
		name, secretText, payloadHex, want := fields[0], fields[1], fields[2], fields[3]
		t.Run(name, func(t *testing.T) {
			payload, err := hex.DecodeString(payloadHex)
			if err != nil {
				t.Fatal(err)
			}
			if got := Sign([]byte(secretText), payload); got != want {
				t.Errorf("Sign = %s, openssl says %s", got, want)
			}
			if err := VerifySignature(payload, want, []byte(secretText)); err != nil {
				t.Errorf("VerifySignature(openssl signature) = %v", err)
			}
		})
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Fatalf("only %d vectors read", n)
	}
}

func TestVerifySignature(t *testing.T) {
	payload := []byte(`{"status":"success"}`)
	good := Sign([]byte("s1"), payload)
	tests := []struct {
		name    string
		sig     string
		secrets []string
		want    error // nil, or the specific sentinel besides ErrSignatureMismatch
	}{
		{"match", good, []string{"s1"}, nil},
		{"uppercase hex", strings.ToUpper(good), []string{"s1"}, nil},
		{"rotated: second secret", good, []string{"s0", "s1"}, nil},
		{"empty secret skipped", good, []string{"", "s1"}, nil},
		{"wrong secret", good, []string{"s2"}, ErrSignatureMismatch},
		{"no secrets", good, nil, ErrSignatureMismatch},
		{"other payload", Sign([]byte("s1"), []byte("x")), []string{"s1"}, ErrSignatureMismatch},
		{"missing", "", []string{"s1"}, ErrSignatureMissing},
		{"short", good[:63], []string{"s1"}, ErrSignatureMalformed},
		{"not hex", "zz" + good[2:], []string{"s1"}, ErrSignatureMalformed},
		{"legacy sha256(body+secret) length ok but wrong", strings.Repeat("0", 64), []string{"s1"}, ErrSignatureMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var secrets [][]byte
			for _, s := range tt.secrets {
				secrets = append(secrets, []byte(s))
			}
			err := VerifySignature(payload, tt.sig, secrets...)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrSignatureMismatch) {
				t.Fatalf("err = %v, want %v and ErrSignatureMismatch", err, tt.want)
			}
		})
	}
}
