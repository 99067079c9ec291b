package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A smoke test of `mediaprep bench`: it needs the built binary (it runs
// itself as subprocesses), so it builds one.
func TestBenchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "mediaprep")
	out, err := exec.Command("go", "build", "-tags", "wasm2go,nodynamic", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin, "bench", "-n", "1", "-vips=false", filepath.Join(testdata, "photo_2400x1800.jpg")).CombinedOutput()
	require.NoError(t, err, "%s", out)
	s := string(out)
	assert.Contains(t, s, "photo_2400x1800.jpg")
	assert.Contains(t, s, "| ours")
	assert.True(t, strings.Contains(s, "imaging"), "the imaging peer ran")
}
