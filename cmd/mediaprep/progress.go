package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// progress draws a one-line progress bar on a terminal. It is silent when
// the writer is not a terminal or there is a single file.
type progress struct {
	w     io.Writer
	total int
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, on: total > 1 && isTerminal(w)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

const barWidth = 30

func (p *progress) update(done int, current string) {
	if !p.on {
		return
	}
	filled := barWidth * done / p.total
	name := filepath.Base(current)
	if len(name) > 30 {
		name = name[:27] + "..."
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %-30s", strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), done, p.total, name)
}

func (p *progress) done() {
	if !p.on {
		return
	}
	fmt.Fprintf(p.w, "\r[%s] %d/%d %-30s\n", strings.Repeat("#", barWidth), p.total, p.total, "")
}
