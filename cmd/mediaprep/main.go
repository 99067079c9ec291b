// Command mediaprep prepares photos and scans for Veriff's media endpoint
// and uploads them.
//
// Usage:
//
//	mediaprep prepare [-o DIR] [-f] [-max-side N] [-max-base64 BYTES] [-quality Q] FILE...
//	mediaprep upload -session ID -context CTX [-submit] FILE...
//	mediaprep demo [FILE...]
//	mediaprep bench [-corpus DIR] [-n N] [-vips=false] [-imaging=false] [FILE...]
//
// Each command prints one JSON object per input on stdout. Exit status: 0
// when every input succeeded, 1 when any failed (the others are still
// processed), 2 on usage errors.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// command is one subcommand. run returns the process exit status.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is filled by the init functions of the files that implement them.
var commands = map[string]command{}

const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	programName = "mediaprep"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n", programName, args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s <command> [flags] [FILE...]\n\ncommands:\n", programName)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> -h' for a command's flags.\n", programName)
}
