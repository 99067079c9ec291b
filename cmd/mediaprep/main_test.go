package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mediaprep/mediaprep/upload/uploadtest"
)

const testdata = "../../testdata"

// runCLI runs the command line in process and returns the exit code, the
// JSON lines of stdout, and stderr.
func runCLI(t *testing.T, args ...string) (int, []map[string]any, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	var lines []map[string]any
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "stdout line is not JSON: %s", sc.Text())
		lines = append(lines, m)
	}
	return code, lines, stderr.String()
}

func copyFixture(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, name))
	require.NoError(t, err)
	dst := filepath.Join(dir, filepath.Base(name))
	require.NoError(t, os.WriteFile(dst, b, 0o644))
	return dst
}

func TestPrepareCommand(t *testing.T) {
	in := t.TempDir()
	out := t.TempDir()
	jpg := copyFixture(t, in, "orient6_2400x1800.jpg")
	png := copyFixture(t, in, "small_640x480.png")
	bad := copyFixture(t, in, "truncated.png")

	code, lines, _ := runCLI(t, "prepare", "-o", out, jpg, png, bad)
	assert.Equal(t, exitFailed, code, "one input failed")
	require.Len(t, lines, 3)

	r := lines[0]
	for _, k := range []string{"input", "output", "input_format", "input_width", "input_height", "mime",
		"width", "height", "bytes", "base64_bytes", "quality", "passthrough", "orientation", "ms"} {
		assert.Contains(t, r, k)
	}
	assert.Equal(t, "jpeg", r["input_format"])
	assert.EqualValues(t, 1440, r["width"])
	assert.EqualValues(t, 1920, r["height"])
	assert.EqualValues(t, 6, r["orientation"])
	assert.Equal(t, filepath.Join(out, "orient6_2400x1800.jpg"), r["output"])
	written, err := os.ReadFile(r["output"].(string))
	require.NoError(t, err)
	assert.EqualValues(t, len(written), r["bytes"])

	assert.Equal(t, true, lines[1]["passthrough"])
	assert.EqualValues(t, 0, lines[1]["quality"], "every field is printed once there is a payload")
	assert.NotContains(t, lines[1], "pages_in", "PDF fields only for PDFs")
	assert.Equal(t, filepath.Join(out, "small_640x480.png"), lines[1]["output"])

	e := lines[2]["error"].(map[string]any)
	assert.Equal(t, "corrupt", e["kind"])
	assert.NotEmpty(t, e["message"])
	assert.NotContains(t, lines[2], "output")

	// A second run never overwrites without -f ...
	before, _ := os.ReadFile(filepath.Join(out, "small_640x480.png"))
	code, lines, _ = runCLI(t, "prepare", "-o", out, png)
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "output_exists", lines[0]["error"].(map[string]any)["kind"])
	after, _ := os.ReadFile(filepath.Join(out, "small_640x480.png"))
	assert.Equal(t, before, after)
	// ... and does with it.
	code, _, _ = runCLI(t, "prepare", "-f", "-o", out, png)
	assert.Equal(t, exitOK, code)
}

func TestPrepareNeverOverwritesInput(t *testing.T) {
	dir := t.TempDir()
	png := copyFixture(t, dir, "small_640x480.png")
	orig, _ := os.ReadFile(png)
	// Output dir = input dir and passthrough keeps the .png name: the
	// output would be the input itself, even with -f.
	code, lines, _ := runCLI(t, "prepare", "-f", "-o", dir, png)
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "output_exists", lines[0]["error"].(map[string]any)["kind"])
	now, _ := os.ReadFile(png)
	assert.Equal(t, orig, now)
}

func TestPrepareTwoInputsOneOutputName(t *testing.T) {
	in1, in2, out := t.TempDir(), t.TempDir(), t.TempDir()
	a := copyFixture(t, in1, "photo_2400x1800.jpg")
	b := copyFixture(t, in2, "photo_2400x1800.jpg")
	code, lines, _ := runCLI(t, "prepare", "-f", "-o", out, a, b)
	assert.Equal(t, exitFailed, code)
	assert.Nil(t, lines[0]["error"])
	assert.Equal(t, "output_exists", lines[1]["error"].(map[string]any)["kind"])
}

func TestPrepareWithoutOutputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	jpg := copyFixture(t, dir, "photo_2400x1800.jpg")
	code, lines, _ := runCLI(t, "prepare", "-max-side", "800", "-max-base64", "100000", "-quality", "80", jpg)
	assert.Equal(t, exitOK, code)
	assert.EqualValues(t, 800, lines[0]["width"])
	assert.LessOrEqual(t, lines[0]["base64_bytes"], float64(100000))
	assert.LessOrEqual(t, lines[0]["quality"], float64(80))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1)
}

func TestPreparePDF(t *testing.T) {
	code, lines, _ := runCLI(t, "prepare", filepath.Join(testdata, "pdf", "kinds.pdf"))
	assert.Equal(t, exitOK, code)
	r := lines[0]
	assert.Equal(t, "application/pdf", r["mime"])
	assert.Contains(t, r, "pages_in")
	assert.Contains(t, r, "pages_kept")
	assert.Contains(t, r, "pages_empty")
	assert.Len(t, r["pages_kept"], 5)
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"nope"},
		{"prepare"},
		{"prepare", "-quality", "101", "x.jpg"},
		{"prepare", "-bogus", "x.jpg"},
		{"prepare", "-o", "/does/not/exist", "x.jpg"},
		{"upload", "x.jpg"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Setenv(envAPIKey, "")
			code, lines, stderr := runCLI(t, args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, lines)
			assert.NotEmpty(t, stderr)
		})
	}
}

func TestUploadCommand(t *testing.T) {
	srv := uploadtest.Start(t, nil)
	t.Setenv(envAPIKey, srv.APIKey)
	t.Setenv(envSecret, srv.Secret)
	t.Setenv(envBaseURL, srv.URL)
	// The fake's HTTP client trusts its TLS-less loopback server; the
	// default client does too, since the fake serves plain HTTP.
	code, lines, _ := runCLI(t, "upload", "-session", srv.SessionID, "-context", "document-back", "-submit",
		filepath.Join(testdata, "photo_2400x1800.jpg"), filepath.Join(testdata, "webp_lossy.webp"))
	require.Equal(t, exitOK, code, "%v", lines)
	require.Len(t, lines, 3)
	assert.NotEmpty(t, lines[0]["media_id"])
	assert.NotEmpty(t, lines[1]["media_id"])
	assert.Equal(t, true, lines[2]["submitted"])
	assert.Len(t, srv.Media(srv.SessionID), 2)
	assert.True(t, srv.Submitted(srv.SessionID))

	// After submit the API answers 409.
	code, lines, _ = runCLI(t, "upload", "-session", srv.SessionID, filepath.Join(testdata, "small_640x480.jpg"))
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "already_submitted", lines[0]["error"].(map[string]any)["kind"])
}

func TestUploadDoesNotSubmitAfterAFailure(t *testing.T) {
	srv := uploadtest.Start(t, nil)
	t.Setenv(envAPIKey, srv.APIKey)
	t.Setenv(envSecret, srv.Secret)
	t.Setenv(envBaseURL, srv.URL)
	code, lines, _ := runCLI(t, "upload", "-session", srv.SessionID, "-submit",
		filepath.Join(testdata, "truncated.jpg"), filepath.Join(testdata, "small_640x480.jpg"))
	assert.Equal(t, exitFailed, code)
	require.Len(t, lines, 3)
	assert.Equal(t, false, lines[2]["submitted"])
	assert.False(t, srv.Submitted(srv.SessionID))
}

func TestDemo(t *testing.T) {
	code, lines, stderr := runCLI(t, "demo")
	require.Equal(t, exitOK, code, stderr)
	require.Len(t, lines, len(demoSamples)+1)
	for _, l := range lines[:len(demoSamples)] {
		assert.NotEmpty(t, l["media_id"], "%v", l)
	}
	assert.Equal(t, true, lines[len(demoSamples)]["submitted"])
}
