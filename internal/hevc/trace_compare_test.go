package hevc

import (
	"bufio"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestTraceHeaders compares every syntax element the header parsers read
// (bit position and value) with the output of FFmpeg's trace_headers
// bitstream filter for the same stream:
//
//	ffmpeg -i x.hevc -c copy -bsf:v trace_headers -f null - 2> x.trace
//	HEVC_STREAM=x.hevc HEVC_TRACE=x.trace go test -run TestTraceHeaders ./internal/hevc
//
// It is skipped unless both variables are set (FFmpeg is a development
// tool, not a test dependency).
func TestTraceHeaders(t *testing.T) {
	streamPath, tracePath := os.Getenv("HEVC_STREAM"), os.Getenv("HEVC_TRACE")
	if streamPath == "" || tracePath == "" {
		t.Skip("HEVC_STREAM and HEVC_TRACE not set")
	}
	stream, err := os.ReadFile(streamPath)
	if err != nil {
		t.Fatal(err)
	}
	blocks := readTrace(t, tracePath)
	var ps paramSets
	seen := map[string]int{}
	checked := 0
	for i, b := range splitAnnexB(stream) {
		nal, err := parseNAL(b)
		if err != nil {
			t.Fatalf("NAL %d: %v", i, err)
		}
		var kind string
		switch {
		case nal.typ == nalSPS:
			kind = "Sequence Parameter Set"
		case nal.typ == nalPPS:
			kind = "Picture Parameter Set"
		case isSlice(nal.typ):
			kind = "Slice Segment Header"
		default:
			continue
		}
		list := blocks[kind]
		k := seen[kind]
		seen[kind]++
		if k >= len(list) {
			t.Fatalf("NAL %d (%s): no trace block %d", i, kind, k)
		}
		want := list[k]
		var got []traceEntry
		traceSyntax = func(pos int, v int64) { got = append(got, traceEntry{pos + 16, v}) }
		rbsp, removed := unescape(nal.payload)
		var end int
		switch nal.typ {
		case nalSPS:
			var s *SPS
			s, err = parseSPS(rbsp)
			if err == nil {
				ps.sps[s.ID] = s
			}
		case nalPPS:
			var p *PPS
			p, err = parsePPS(rbsp)
			if err == nil {
				ps.pps[p.ID] = p
			}
		default:
			var h *sliceHeader
			h, _, err = parseSliceHeader(nal, rbsp, removed, &ps, nil)
			if err == nil {
				end = h.DataOffset*8 + 16
			}
		}
		traceSyntax = nil
		if errors.Is(err, ErrUnsupported) && isSlice(nal.typ) {
			t.Logf("NAL %d (%s): %v", i, kind, err)
			continue
		}
		if err != nil {
			t.Fatalf("NAL %d (%s): %v", i, kind, err)
		}
		byPos := map[int]int64{}
		last := 0
		for _, e := range want {
			byPos[e.pos] = e.v
			last = e.pos
		}
		for _, g := range got {
			v, ok := byPos[g.pos]
			if !ok {
				t.Errorf("NAL %d (%s): read at bit %d (value %d) not in the trace", i, kind, g.pos, g.v)
				continue
			}
			if v != g.v {
				t.Errorf("NAL %d (%s): bit %d: got %d, trace %d", i, kind, g.pos, g.v, v)
			}
			checked++
		}
		if end != 0 && end != last+1 {
			t.Errorf("NAL %d: slice data at bit %d, trace ends at %d", i, end, last+1)
		}
	}
	t.Logf("%d syntax elements match; NAL kinds %v", checked, seen)
}

// traceEntry is one syntax element of a trace_headers log.
type traceEntry struct {
	pos int
	v   int64
}

var traceLine = regexp.MustCompile(`^\[trace_headers @ [0-9a-fx]+\] (\d+)\s+(\S+)\s+[01]+ = (-?\d+)$`)

// readTrace reads a trace_headers log, keeping the blocks after the first
// packet (the extradata repeats the parameter sets), by block title.
func readTrace(t *testing.T, path string) map[string][][]traceEntry {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	blocks := map[string][][]traceEntry{}
	inPacket := false
	var cur *[]traceEntry
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := traceLine.FindStringSubmatch(line); m != nil {
			if cur != nil {
				pos, _ := strconv.Atoi(m[1])
				v, _ := strconv.ParseInt(m[3], 10, 64)
				*cur = append(*cur, traceEntry{pos, v})
			}
			continue
		}
		i := strings.Index(line, "] ")
		if !strings.HasPrefix(line, "[trace_headers") || i < 0 {
			continue
		}
		title := line[i+2:]
		if strings.HasPrefix(title, "Packet:") {
			inPacket = true
			continue
		}
		cur = nil
		if inPacket {
			blocks[title] = append(blocks[title], nil)
			cur = &blocks[title][len(blocks[title])-1]
		}
	}
	return blocks
}
