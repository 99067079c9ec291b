package jpegdec

import (
	"bytes"
	"os/exec"
)

func execLookPath(name string) (string, error) { return exec.LookPath(name) }

// runCmd runs a command with stdin and returns its stdout.
func runCmd(path string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command(path, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	return cmd.Output()
}
