// Package loadavg reads the machine's load average, which tests and
// measurements log beside every rate they report: on a shared 2-core
// machine a frame rate or a step rate means little without it.
package loadavg

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

// String is /proc/loadavg's first three fields (1, 5 and 15 minutes), or
// "?" where there is no /proc.
func String() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// PerCore is the 1-minute load average per CPU (0 where unknown).
func PerCore() float64 {
	var l float64
	if _, err := fmt.Sscan(String(), &l); err != nil {
		return 0
	}
	return l / float64(runtime.NumCPU())
}
