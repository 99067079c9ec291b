//go:build !unix

package bench

import "os"

// SelfMaxRSS returns 0: this OS does not report peak RSS through rusage.
func SelfMaxRSS() int64 { return 0 }

func childMaxRSS(*os.ProcessState) int64 { return 0 }
