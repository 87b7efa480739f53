package model

import "testing"

// TestTrajectoryIsDeterministic: the same seed gives the same hash; a
// different seed a different one. The browser test compares this hash,
// computed here on the desktop, with the one the wasm build computes.
func TestTrajectoryIsDeterministic(t *testing.T) {
	a, err := RunTrajectory("quadruped", 1, 200, FileLoader{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RunTrajectory("quadruped", 1, 200, FileLoader{})
	c, _ := RunTrajectory("quadruped", 2, 200, FileLoader{})
	if a.Steps != 200 || a.Rules == "" {
		t.Fatalf("have %d steps with rules %q, want 200 with the bundled rules", a.Steps, a.Rules)
	}
	if a.Hash != b.Hash {
		t.Errorf("same seed: hashes %s and %s differ", a.Hash, b.Hash)
	}
	if f, _, _ := a.Diverge(b); f != -1 {
		t.Errorf("same seed: diverge at %d, want -1", f)
	}
	if a.Hash == c.Hash {
		t.Errorf("seeds 1 and 2 give the same hash %s", a.Hash)
	}
	if f, d, _ := a.Diverge(c); f < 0 || d <= 0 {
		t.Errorf("seeds 1 and 2: first divergence at %d by %g, want a step by > 0", f, d)
	}
	t.Logf("quadruped seed 1, %d steps, rules %s: hash %s, %.2f m", a.Steps, a.Rules, a.Hash, a.Final)
}
