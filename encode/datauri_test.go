package encode

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestDataURI(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, writeChunk - 1, writeChunk, writeChunk + 1, 3*writeChunk + 2} {
		for _, mime := range []string{"image/jpeg", "application/pdf"} {
			t.Run(fmt.Sprintf("%s/%d", mime, n), func(t *testing.T) {
				data := make([]byte, n)
				for i := range data {
					data[i] = byte(i*7 + i>>8)
				}
				want := "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)
				if got := DataURIPrefix(mime); !strings.HasPrefix(want, got) || len(got) != len(mime)+13 {
					t.Fatalf("prefix %q", got)
				}
				if got := DataURILen(mime, n); got != len(want) {
					t.Fatalf("DataURILen = %d, want %d", got, len(want))
				}
				if got := AppendDataURI([]byte("x"), mime, data); string(got) != "x"+want {
					t.Fatalf("AppendDataURI differs")
				}
				var w bytes.Buffer
				nw, err := WriteDataURI(&w, mime, data)
				if err != nil || nw != int64(len(want)) || w.String() != want {
					t.Fatalf("WriteDataURI: %d, %v; equal %v", nw, err, w.String() == want)
				}
			})
		}
	}
}

// TestMaxContent: maxContent is the largest n whose data URI fits.
func TestMaxContent(t *testing.T) {
	for budget := 0; budget < 200; budget++ {
		n := maxContent(MIMEType, budget)
		if n < 0 {
			if DataURILen(MIMEType, 0) <= budget {
				t.Fatalf("budget %d: -1 but an empty URI fits", budget)
			}
			continue
		}
		if DataURILen(MIMEType, n) > budget || DataURILen(MIMEType, n+1) <= budget {
			t.Fatalf("budget %d: maxContent %d is not the largest fitting size", budget, n)
		}
	}
	if got := maxContent(MIMEType, DefaultMaxBase64); got != (DefaultMaxBase64-23)/4*3 {
		t.Fatalf("default budget: %d content bytes", got)
	}
}

type failWriter struct{ after int }

var errWrite = errors.New("write failed")

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errWrite
	}
	f.after--
	return len(p), nil
}

// TestWriteDataURIError: the first write error is returned with the count
// of bytes written before it.
func TestWriteDataURIError(t *testing.T) {
	data := make([]byte, 2*writeChunk)
	for after, want := range []int64{0, 23, 23 + 4*writeChunk/3} {
		n, err := WriteDataURI(&failWriter{after: after}, MIMEType, data)
		if !errors.Is(err, errWrite) || n != want {
			t.Errorf("after %d writes: %d, %v; want %d, errWrite", after, n, err, want)
		}
	}
}

// TestDataURIAllocs: WriteDataURI streams through a pooled buffer and
// AppendDataURI into a large enough dst does not allocate.
func TestDataURIAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	data := make([]byte, 200_000)
	var w bytes.Buffer
	w.Grow(DataURILen(MIMEType, len(data)) * 2)
	if n := testing.AllocsPerRun(10, func() { w.Reset(); _, _ = WriteDataURI(&w, MIMEType, data) }); n > 0 {
		t.Errorf("WriteDataURI: %v allocations, want 0", n)
	}
	dst := make([]byte, 0, DataURILen(MIMEType, len(data)))
	if n := testing.AllocsPerRun(10, func() { _ = AppendDataURI(dst, MIMEType, data) }); n > 0 {
		t.Errorf("AppendDataURI: %v allocations, want 0", n)
	}
}
