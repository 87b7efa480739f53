package main

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hebbsim/hebbsim/sim"
)

// TestMain lets the tests run the tool as a separate process (to kill it):
// with HEBB_RUN_MAIN=1 the test binary is hebb.
func TestMain(m *testing.M) {
	if os.Getenv("HEBB_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func hebb(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBadInputIsOneLineAndExit2(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.npz")
	os.WriteFile(junk, []byte("not an npz"), 0o644)
	cases := [][]string{
		{"frobnicate"},
		{"evolve"},
		{"evolve", "--out", dir, "--env", "moon"},
		{"evolve", "--out", dir, "--pop", "7"},
		{"evolve", "--out", dir, "--rule", "XYZ"},
		{"evolve", "--out", dir, "--obs", "sonar"},
		{"evolve", "--out", dir, "--morphologies", "healthy,tripod"},
		{"evolve", "--out", dir, "--damage-prob", "0.5", "--damage-legs", "tail"},
		{"evolve", "--out", dir, "--early-stop", "sometimes"},
		{"evolve", "--out", dir, "--gens", "x"},
		{"evolve", "--out", filepath.Join(dir, "none"), "--resume"},
		{"eval"},
		{"eval", "--rules", filepath.Join(dir, "missing.npz")},
		{"eval", "--rules", junk},
		{"eval", "--rules", junk, "--episodes", "-1"},
		{"trace", "--rules", junk},
		{"inspect", junk},
		{"inspect", "no-such-bundled-rule"},
		{"bench", "--duration", "soon"},
	}
	for _, args := range cases {
		code, _, stderr := hebb(t, args...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		t.Logf("hebb %s → %d: %s", strings.Join(args, " "), code, strings.TrimSpace(stderr))
		if code != exitUsage || len(lines) != 1 || !strings.HasPrefix(lines[0], "hebb: ") || strings.Contains(stderr, "goroutine") {
			t.Errorf("hebb %s: have exit %d, stderr %q; want exit %d and one line starting \"hebb: \"", strings.Join(args, " "), code, stderr, exitUsage)
		}
	}
}

// evolveArgs is a small but real quadruped run: two bodies, mid-episode
// damage, short episodes.
func evolveArgs(out string, gens string) []string {
	return []string{"evolve", "--env", "quadruped", "--pop", "8", "--gens", gens, "--max-steps", "120",
		"--morphologies", "healthy,FL-short", "--damage-prob", "0.5", "--damage-steps", "20:80",
		"--damage-legs", "FL,FR,BL", "--seed", "7", "--out", out, "--quiet", "--plot-every", "0"}
}

func loadCkpt(t *testing.T, dir string) *sim.Trainer {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := sim.LoadTrainer(f, 1)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func sameRuns(t *testing.T, a, b *sim.Trainer) {
	t.Helper()
	ca, cb := a.Centre(), b.Centre()
	for j := range ca {
		if ca[j] != cb[j] {
			t.Fatalf("centre θ[%d]: resumed %v, uninterrupted %v", j, cb[j], ca[j])
		}
	}
	if len(a.History) != len(b.History) {
		t.Fatalf("history: resumed %d generations, uninterrupted %d", len(b.History), len(a.History))
	}
	for i := range a.History {
		x, y := a.History[i], b.History[i]
		x.Seconds, y.Seconds = 0, 0
		if x != y && !(math.IsNaN(x.Centre) && math.IsNaN(y.Centre)) {
			t.Fatalf("generation %d: resumed %+v, uninterrupted %+v", i+1, y, x)
		}
	}
}

func TestEvolveWritesEveryFile(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := hebb(t, evolveArgs(dir, "2")...); code != 0 {
		t.Fatalf("evolve: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"checkpoint", "log.csv", "fitness.png", "best.npz", "best-candidate.npz"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("%s: %v (size %v)", f, err, st)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "log.csv"))
	if n := strings.Count(string(b), "\n"); n != 3 {
		t.Errorf("log.csv has %d lines, want header + 2", n)
	}
	code, out, stderr := hebb(t, "eval", "--rules", filepath.Join(dir, "best.npz"), "--episodes", "2", "--max-steps", "50", "--json")
	if code != 0 || !strings.Contains(out, `"distance_mean"`) || !strings.Contains(out, `"per_episode"`) {
		t.Errorf("eval of best.npz: exit %d, out %s, err %s", code, out, stderr)
	}
	if code, _, stderr := hebb(t, "eval", "--rules", filepath.Join(dir, "best.npz"), "--env", "racer", "--obs", "rays"); code != exitUsage {
		t.Errorf("eval of quadruped rules on the racer: exit %d, want %d (%s)", code, exitUsage, stderr)
	} else {
		t.Logf("quadruped rules on the racer: %s", stderr)
	}
	if code, out, stderr := hebb(t, "inspect", filepath.Join(dir, "best-candidate.npz")); code != 0 || !strings.Contains(out, "ABCD_lr") {
		t.Errorf("inspect: exit %d, out %s, err %s", code, out, stderr)
	}
	tr := filepath.Join(dir, "trace.npz")
	if code, _, stderr := hebb(t, "trace", "--rules", filepath.Join(dir, "best.npz"), "--steps", "30", "--out", tr); code != 0 {
		t.Errorf("trace: exit %d: %s", code, stderr)
	}
	// A finished run refuses to start again, and a resume with another
	// setting is refused.
	if code, _, _ := hebb(t, evolveArgs(dir, "2")...); code != exitUsage {
		t.Errorf("evolve into a run directory without --resume: exit %d, want %d", code, exitUsage)
	}
	if code, _, stderr := hebb(t, append(evolveArgs(dir, "3"), "--resume", "--pop", "16")...); code != exitUsage || !strings.Contains(stderr, "--pop") {
		t.Errorf("resume with another --pop: exit %d, stderr %q", code, stderr)
	}
}

// TestKillAndResumeBitIdentical kills a running `hebb evolve` with SIGKILL
// at random moments (twice), resumes it each time, and compares the end
// state with an uninterrupted run's.
func TestKillAndResumeBitIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hebb evolve three times")
	}
	gens := "14"
	full := t.TempDir()
	if code, _, stderr := hebb(t, evolveArgs(full, gens)...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	killed := t.TempDir()
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills := 0
	for attempt := 0; attempt < 2; attempt++ {
		args := evolveArgs(killed, gens)
		if attempt > 0 {
			args = append(args, "--resume")
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "HEBB_RUN_MAIN=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for a checkpoint newer than the start, then kill at a random moment.
		ck := filepath.Join(killed, "checkpoint")
		before, _ := os.Stat(ck)
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			if st, err := os.Stat(ck); err == nil && (before == nil || st.ModTime() != before.ModTime()) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(r.IntN(400)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			kills++
		}
		err := cmd.Wait()
		gen := loadCkpt(t, killed).Gen()
		t.Logf("attempt %d: killed at generation %d of %s (%v)", attempt, gen, gens, err)
	}
	if code, _, stderr := hebb(t, append(evolveArgs(killed, gens), "--resume")...); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	sameRuns(t, loadCkpt(t, full), loadCkpt(t, killed))
	if kills == 0 {
		t.Log("the process finished before any kill landed; the comparison still ran")
	}
	// The outputs were rewritten from the final state.
	a, _ := os.ReadFile(filepath.Join(full, "log.csv"))
	b, _ := os.ReadFile(filepath.Join(killed, "log.csv"))
	if strings.Count(string(a), "\n") != strings.Count(string(b), "\n") {
		t.Errorf("log.csv: %d lines after kills, %d uninterrupted", strings.Count(string(b), "\n"), strings.Count(string(a), "\n"))
	}
}
