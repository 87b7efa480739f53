package loadavg

import (
	"os"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	s := String()
	if _, err := os.Stat("/proc/loadavg"); err != nil {
		if s != "?" {
			t.Errorf("no /proc/loadavg, have %q want ?", s)
		}
		return
	}
	if len(strings.Fields(s)) != 3 || PerCore() < 0 {
		t.Errorf("have %q (per core %v), want three numbers", s, PerCore())
	}
}
