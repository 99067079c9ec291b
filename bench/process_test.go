package bench

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/mediaprep/mediaprep/encode"
	"github.com/mediaprep/mediaprep/preprocess"
)

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// cli builds cmd/mediaprep once per run, with this test binary's build
// tags (GOFLAGS is inherited).
func cli(b *testing.B) string {
	b.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mediaprep-bench-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "mediaprep")
		out, err := exec.Command("go", "build", "-o", cliPath, "../cmd/mediaprep").CombinedOutput()
		if err != nil {
			cliErr = err
			b.Logf("%s", out)
		}
	})
	if cliErr != nil {
		b.Fatalf("building the CLI: %v", cliErr)
	}
	return cliPath
}

// measure runs name args through `mediaprep bench -exec`, a small process,
// so that the child's peak RSS is its own and not this test binary's (see
// Usage.FloorRSS).
func measure(b *testing.B, bin, name string, args ...string) Usage {
	b.Helper()
	cmd := exec.Command(bin, append([]string{"bench", "-exec", name}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	var u Usage
	if err := json.Unmarshal(out, &u); err != nil {
		b.Fatalf("bench -exec output %q: %v", out, err)
	}
	return u
}

// peer is one whole-process contestant: its command line for an input and
// an output file.
type peer struct {
	name string
	args func(bin, src, dst string) (string, []string)
}

// processPeers are ours and the peers, ours first. Every one makes the
// same payload: longer side ≤ 1920 (never upscaled), EXIF-rotated, JPEG
// q90 4:2:0 baseline, metadata stripped, one process per image.
func processPeers(b *testing.B) []peer {
	side, q := preprocess.DefaultMaxSide, encode.DefaultQuality
	peers := []peer{
		{"ours", func(bin, src, dst string) (string, []string) {
			return bin, []string{"prepare", "-reencode", "-f", "-o", filepath.Dir(dst), src}
		}},
		{"imaging", func(bin, src, dst string) (string, []string) {
			return bin, []string{"bench", "-naive", "-o", dst, src}
		}},
	}
	if vips, err := exec.LookPath("vipsthumbnail"); err == nil {
		peers = append(peers, peer{"vips", func(_, src, dst string) (string, []string) {
			return vips, VipsthumbnailArgs(src, dst, side, q)
		}})
	} else {
		b.Log("vipsthumbnail not installed (apt-get install libvips-tools): comparing with imaging only")
	}
	return peers
}

// BenchmarkVsVipsProcess runs `mediaprep prepare`, vipsthumbnail (when
// installed: apt-get install libvips-tools) and the imaging peer (`mediaprep
// bench -naive`) as whole processes, in rotating order, on each corpus
// image, and reports for each the median wall time, median CPU time
// (user+system) and highest peak RSS per image, its output size, and the
// ratios ours ÷ peer (below 1: ours is cheaper). It fails when a peer's
// output differs from ours in size by more than a pixel (an unfair race).
// `mediaprep bench` prints the same comparison as Markdown.
func BenchmarkVsVipsProcess(b *testing.B) {
	for _, name := range imageCorpus {
		b.Run(name, func(b *testing.B) {
			corpusFile(b, name) // skips without the corpus
			src := filepath.Join(corpusDir(), name)
			bin := cli(b)
			peers := processPeers(b)
			dirs := make([]string, len(peers))
			for i := range peers {
				dirs[i] = b.TempDir()
			}
			dst := strings.TrimSuffix(name, filepath.Ext(name)) + ".jpg"
			samples := make([]Sample, len(peers))
			round := 0
			for b.Loop() {
				for k := range peers {
					i := (k + round) % len(peers)
					exe, args := peers[i].args(bin, src, filepath.Join(dirs[i], dst))
					samples[i].Runs = append(samples[i].Runs, measure(b, bin, exe, args...))
				}
				round++
			}
			var base Summary
			var baseW, baseH int
			for i, p := range peers {
				sum, _ := samples[i].Summary()
				out := filepath.Join(dirs[i], dst)
				fi, err := os.Stat(out)
				if err != nil {
					b.Fatalf("%s wrote no output: %v", p.name, err)
				}
				w, h, err := JPEGSize(out)
				if err != nil {
					b.Fatalf("%s: %v", p.name, err)
				}
				if i == 0 {
					base, baseW, baseH = sum, w, h
				} else if abs(w-baseW) > 1 || abs(h-baseH) > 1 {
					b.Errorf("%s made %dx%d, ours %dx%d: not the same payload", p.name, w, h, baseW, baseH)
				}
				b.ReportMetric(ms(sum.Wall), p.name+"-ms/op")
				b.ReportMetric(ms(sum.CPU), p.name+"-cpu-ms/op")
				b.ReportMetric(mib(sum.MaxRSS), p.name+"-rss-MiB")
				b.ReportMetric(float64(fi.Size()), p.name+"-out-bytes")
				if i > 0 {
					b.ReportMetric(float64(base.Wall)/float64(sum.Wall), "wall-ours/"+p.name)
					b.ReportMetric(float64(base.CPU)/float64(sum.CPU), "cpu-ours/"+p.name)
					b.ReportMetric(float64(base.MaxRSS)/float64(sum.MaxRSS), "rss-ours/"+p.name)
				}
			}
			b.ReportMetric(mib(base.FloorRSS), "floor-rss-MiB")
			b.ReportMetric(float64(runtime.NumCPU()), "cores")
		})
	}
}

func abs(x int) int { return max(x, -x) }
