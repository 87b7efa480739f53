package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryFlagIsChecked runs every subcommand with each bad value of its
// flags (exit 2, one line that names the flag and what is valid, nothing
// written) and with the edge values that are valid (accepted, exit 0).
func TestEveryFlagIsChecked(t *testing.T) {
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	q := []string{"--rules", "quadruped-hebbian"}
	r := []string{"--rules", "racer-hebbian-rays"}
	with := func(base []string, args ...string) []string { return append(append([]string(nil), base...), args...) }
	evolve := func(args ...string) []string {
		return with([]string{"evolve", "--out", out("run"), "--quiet", "--plot-every", "0"}, args...)
	}
	bad := []struct {
		args []string
		want []string // substrings of the one error line
	}{
		// evolve
		{evolve("--gens", "0"), []string{"--gens 0", "≥ 1"}},
		{evolve("--pop", "0"), []string{"--pop 0", "≥ 2"}},
		{evolve("--pop", "7"), []string{"--pop 7", "even"}},
		{evolve("--output", "bang"), []string{`--output "bang"`, "racer-clip"}},
		{evolve("--workers", "-1"), []string{"--workers -1", "≥ 0"}},
		{evolve("--episodes", "0"), []string{"--episodes 0", "≥ 1"}},
		{evolve("--lr", "0"), []string{"--lr 0", "> 0"}},
		{evolve("--sigma", "-0.1"), []string{"--sigma -0.1", "> 0"}},
		{evolve("--decay", "1.5"), []string{"--decay 1.5", "[0.5, 1]"}},
		{evolve("--sigma-decay", "0"), []string{"--sigma-decay 0", "[0.5, 1]"}},
		{evolve("--lr-min", "0.3"), []string{"--lr-min 0.3", "[0, 0.2]"}},
		{evolve("--sigma-min", "-1"), []string{"--sigma-min -1", "[0, 0.1]"}},
		{evolve("--l2", "-1"), []string{"--l2 -1", "[0, "}},
		{evolve("--init-std", "NaN"), []string{"--init-std NaN", "[0, "}},
		{evolve("--damage-prob", "1.5"), []string{"--damage-prob 1.5", "[0, 1]"}},
		{evolve("--max-steps", "0"), []string{"--max-steps 0", "[1, 1000]"}},
		{evolve("--max-steps", "1001"), []string{"--max-steps 1001", "[1, 1000]"}},
		{evolve("--damage-prob", "0.5", "--damage-steps", "100:1000"), []string{"--damage-steps 100:1000", "[100, 999]"}},
		{evolve("--damage-prob", "0.5", "--damage-steps", "700:100"), []string{"--damage-steps 700:100", "[700, 999]"}},
		{evolve("--damage-prob", "0.5", "--max-steps", "200", "--damage-steps", "100:700"), []string{"--damage-steps 100:700", "[100, 199]"}},
		{evolve("--plot-every", "-1s"), []string{"--plot-every -1s", "≥ 0s"}},
		{evolve("--time-budget", "-1m"), []string{"--time-budget -1m0s", "≥ 0s"}},
		{evolve("--step-budget", "-1"), []string{"--step-budget -1", "≥ 0"}},
		{evolve("--env", "moon"), []string{"--env", "moon", "quadruped"}},
		{evolve("--morphologies", "healthy,tripod"), []string{"tripod", "FL-short"}}, // refused by the trainer, still before --out is made
		// eval
		{with([]string{"eval"}, with(q, "--episodes", "0")...), []string{"--episodes 0", "≥ 1"}},
		{with([]string{"eval"}, with(q, "--workers", "-1")...), []string{"--workers -1", "≥ 0"}},
		{with([]string{"eval"}, with(q, "--max-steps", "0")...), []string{"--max-steps 0", "[1, 1000]"}},
		{with([]string{"eval"}, with(q, "--max-steps", "-5")...), []string{"--max-steps -5", "[1, 1000]"}},
		{with([]string{"eval"}, with(q, "--max-steps", "1001")...), []string{"--max-steps 1001", "[1, 1000]"}},
		{with([]string{"eval"}, with(q, "--mark", "1000")...), []string{"--mark 1000", "[0, 999]"}},
		{with([]string{"eval"}, with(q, "--mark", "-1")...), []string{"--mark -1", "[0, 999]"}},
		{with([]string{"eval"}, with(q, "--max-steps", "300", "--mark", "300")...), []string{"--mark 300", "[0, 299]"}},
		{with([]string{"eval"}, with(r, "--mark", "300")...), []string{"--mark", "quadruped"}},
		{with([]string{"eval"}, with(q, "--damage", "FL:shorten@1000")...), []string{"--damage FL:shorten@1000", "[0, 999]"}},
		{with([]string{"eval"}, with(q, "--max-steps", "200", "--damage", "FL:shorten@100,BR:lock@250")...), []string{"--damage BR:lock@250", "[0, 199]"}},
		{with([]string{"eval"}, with(q, "--perturb", "oil@200")...), []string{"--perturb", "racer", "--damage"}},
		{with([]string{"eval"}, with(r, "--perturb", "oil@1000")...), []string{"--perturb oil@1000", "[0, 999]"}},
		{with([]string{"eval"}, with(q, "--freeze-at", "-1")...), []string{"--freeze-at -1", "[0, 999]"}},
		{with([]string{"eval"}, with(q, "--freeze-at", "1000")...), []string{"--freeze-at 1000", "[0, 999]"}},
		{with([]string{"eval"}, with(q, "--suite", "damage", "--at", "1000")...), []string{"--at 1000", "[1, 999]"}},
		{with([]string{"eval"}, with(q, "--suite", "damage", "--at", "0")...), []string{"--at 0", "[1, 999]"}},
		// trace and trajectory
		{with([]string{"trace", "--out", out("t.npz")}, with(q, "--steps", "0")...), []string{"--steps 0", "[1, 1000]"}},
		{with([]string{"trace", "--out", out("t.npz")}, with(q, "--steps", "100000000")...), []string{"--steps 100000000", "[1, 1000]"}},
		{with([]string{"trace", "--out", out("t.npz")}, with(q, "--steps", "100", "--damage", "FL:shorten@100")...), []string{"--damage FL:shorten@100", "[0, 99]"}},
		{with([]string{"trace", "--out", out("t.npz")}, with(q, "--perturb", "oil@10")...), []string{"--perturb", "racer"}},
		{with([]string{"trajectory", "--out", out("t.png")}, with(q, "--steps", "1001")...), []string{"--steps 1001", "[1, 1000]"}},
		{with([]string{"trajectory", "--out", out("t.png")}, with(r, "--perturb", "oil@5000")...), []string{"--perturb oil@5000", "[0, 999]"}},
		// record
		{with([]string{"record", "--out", out("c.gif")}, with(q, "--width", "63")...), []string{"--width 63", "[64, 1920]"}},
		{with([]string{"record", "--out", out("c.gif")}, with(q, "--height", "1081")...), []string{"--height 1081", "[64, 1080]"}},
		{with([]string{"record", "--out", out("c.gif")}, with(q, "--fps", "0.5")...), []string{"--fps 0.5", "[1, 50]"}},
		{with([]string{"record", "--out", out("c.gif")}, with(q, "--colours", "256")...), []string{"--colours 256", "[8, 255]"}},
		{with([]string{"record", "--out", out("c.gif")}, with(q, "--zoom", "-1")...), []string{"--zoom -1", "[0, 400]"}},
		{with([]string{"record", "--out", out("c.gif")}, with(q, "--steps", "1001")...), []string{"--steps 1001", "[1, 1000]"}},
		{with([]string{"record", "--out", out("c.gif")}, with(q, "--steps", "50", "--damage", "BR:amputate@50")...), []string{"--damage BR:amputate@50", "[0, 49]"}},
		// bench
		{[]string{"bench", "--env", "bogus"}, []string{`--env "bogus"`, "quadruped, racer, racer-pixels, racer-pixels-wide, racer-rays, racer-grip, racer-traction, racer-compass, none"}},
		{[]string{"bench", "--env", "quadruped,bogus"}, []string{`--env "bogus"`, "quadruped"}},
		{[]string{"bench", "--env", ","}, []string{`--env ","`, "quadruped"}},
		{[]string{"bench", "--duration", "-1s"}, []string{"--duration -1s", "[100ms, 1h0m0s]"}},
		{[]string{"bench", "--episodes", "0"}, []string{"--episodes 0", "[1, 100000]"}},
		{[]string{"bench", "--workers", "-1"}, []string{"--workers -1", "≥ 0"}},
		// inspect
		{[]string{"inspect", "--json=maybe"}, []string{"--json"}},
	}
	for _, c := range bad {
		code, stdout, stderr := hebb(t, c.args...)
		line := strings.TrimSpace(stderr)
		ok := code == exitUsage && !strings.Contains(line, "\n") && strings.HasPrefix(line, "hebb: ") && stdout == ""
		for _, w := range c.want {
			ok = ok && strings.Contains(line, w)
		}
		if !ok {
			t.Errorf("hebb %s: exit %d, stderr %q; want exit %d and one line with %q", strings.Join(c.args, " "), code, stderr, exitUsage, c.want)
		}
	}
	// Nothing was written by the refused commands.
	for _, p := range []string{"run", "t.npz", "t.png", "c.gif"} {
		if _, err := os.Stat(out(p)); err == nil {
			t.Errorf("a refused command left %s behind", p)
		}
	}

	// The edges of every range are accepted: cheap runs of the real
	// commands.
	good := [][]string{
		evolve("--gens", "1", "--pop", "2", "--workers", "0", "--episodes", "1", "--max-steps", "1", "--lr", "1e-9", "--sigma", "1e-9",
			"--decay", "0.5", "--sigma-decay", "1", "--lr-min", "1e-9", "--sigma-min", "0", "--l2", "0", "--init-std", "0",
			"--damage-prob", "1", "--damage-steps", "0:0", "--plot-every", "0s", "--time-budget", "0s"),
		with([]string{"evolve", "--out", out("run2"), "--quiet", "--gens", "1", "--pop", "2", "--max-steps", "1000", "--damage-prob", "0",
			"--damage-steps", "999:999", "--early-stop", "neg:1", "--eval-centre=false"}),
		with([]string{"eval"}, with(q, "--episodes", "1", "--workers", "1", "--max-steps", "1", "--mark", "0", "--freeze-at", "0", "--damage", "FL:shorten@0")...),
		with([]string{"eval"}, with(q, "--episodes", "1", "--max-steps", "1000", "--mark", "999", "--freeze-at", "999", "--damage", "BR:lock@999", "--early-stop", "neg:1")...),
		with([]string{"eval"}, with(r, "--episodes", "1", "--max-steps", "1000", "--perturb", "oil@999", "--early-stop", "neg:1")...),
		with([]string{"eval"}, with(q, "--episodes", "1", "--max-steps", "2", "--suite", "damage", "--at", "1")...),
		with([]string{"trace", "--out", out("t1.npz")}, with(q, "--steps", "1", "--damage", "FL:shorten@0")...),
		with([]string{"trace", "--out", out("t2.npz")}, with(r, "--steps", "3", "--perturb", "oil@2")...),
		with([]string{"trajectory", "--out", out("t.png")}, with(r, "--steps", "8", "--perturb", "engine@7")...),
		with([]string{"record", "--out", out("c1.gif")}, with(q, "--steps", "1", "--width", "64", "--height", "64", "--fps", "50", "--colours", "8", "--zoom", "400")...),
		with([]string{"record", "--out", out("c2.gif")}, with(r, "--steps", "2", "--width", "1920", "--height", "1080", "--fps", "1", "--colours", "255", "--zoom", "0", "--perturb", "oil@1")...),
		{"bench", "--env", "racer-rays", "--duration", "100ms", "--episodes", "1", "--workers", "0"},
		{"inspect", "--json", "racer-hebbian-rays"},
	}
	for _, args := range good {
		if code, _, stderr := hebb(t, args...); code != 0 {
			t.Errorf("hebb %s: exit %d, %s; want it accepted", strings.Join(args, " "), code, strings.TrimSpace(stderr))
		}
	}
}
