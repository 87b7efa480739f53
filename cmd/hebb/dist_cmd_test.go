package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad distributed flags are one line and exit 2, before anything is
// written.
func TestDistFlagsBadInput(t *testing.T) {
	t.Setenv("HEBB_TOKEN", "")
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"evolve", "--out", out, "--serve", "0.0.0.0:0"}, "--token"},
		{[]string{"evolve", "--out", out, "--serve", "127.0.0.1:0", "--broker", "nats://x:4222"}, "exclude"},
		{[]string{"evolve", "--out", out, "--serve", "no-port"}, "HOST:PORT"},
		{[]string{"evolve", "--out", out, "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "--serve"},
		{[]string{"evolve", "--out", out, "--serve", "127.0.0.1:0", "--ack-wait", "1ms"}, "--ack-wait"},
		{[]string{"evolve", "--out", out, "--serve", "127.0.0.1:0", "--queue", "a.b"}, "--queue"},
		{[]string{"worker"}, "--broker"},
		{[]string{"worker", "--broker", "nats://127.0.0.1:1", "--workers", "-1"}, "--workers"},
		{[]string{"worker", "--broker", "nats://127.0.0.1:1"}, "no broker answers"},
	} {
		code, _, stderr := hebb(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("hebb %s: exit %d, stderr %q; want exit %d and one line containing %q", strings.Join(c.args, " "), code, stderr, exitUsage, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused command created %s", out)
	}
}
