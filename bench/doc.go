// Package bench compares the mediaprep pipeline with what a user would
// otherwise pick: imaging's decode → Fit(Lanczos) → image/jpeg path, and
// libvips (vipsthumbnail as a whole process) when it is installed.
//
// Its benchmarks run in process (BenchmarkPrepare, BenchmarkVsImaging) and
// as whole processes (BenchmarkVsVipsProcess: `mediaprep prepare`,
// vipsthumbnail and the imaging peer, one process per image, with wall
// time, CPU time and peak RSS). Its exported helpers ([Run], [Naive],
// [VipsthumbnailArgs], [WriteMarkdown]) are what `mediaprep bench` prints
// its Markdown comparison with. libvips in process, through govips and
// cgo, is the separate module in ./govips, so that neither this package
// nor the library ever needs cgo.
//
// The corpus of real photos and scans is looked up in $MEDIAPREP_CORPUS,
// else ../../shared/corpus from this folder; benchmarks that need it skip
// without it, and those comparing with libvips skip without vipsthumbnail
// (Debian/Ubuntu: apt-get install libvips-tools). Benchmarks on generated
// inputs always run.
//
//	go test -run '^$' -bench . -benchtime 5x ./bench
//	go test -run '^$' -bench VsVipsProcess -benchtime 3x -count 3 ./bench
//	go run ./cmd/mediaprep bench -n 5     # the Markdown table
//
// Each comparison runs ours and the peers alternately (whole processes in
// rotating order) in the same benchmark and reports both figures and their
// ratio, since the machines are shared and noisy. Every peer makes the
// same payload as Prepare with ForceReencode: longer side at most 1920 px,
// never upscaled, EXIF-rotated, JPEG quality 90 with 4:2:0 chroma,
// metadata stripped.
package bench
