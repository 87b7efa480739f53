package main

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// hebb eval --suite damage --json carries the fields issue #11 names, and
// its numbers agree with each other.
func TestEvalSuiteJSON(t *testing.T) {
	code, out, errs := hebb(t, "eval", "--rules", "quadruped-hebbian", "--suite", "damage", "--at", "50",
		"--max-steps", "120", "--episodes", "2", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		HealthyAfterMean *float64 `json:"healthy_after_mean"`
		KeptMean         *float64 `json:"kept_mean"`
		KeptMin          *float64 `json:"kept_min"`
		Cases            []struct {
			Target    string   `json:"target"`
			Kind      string   `json:"kind"`
			AfterMean *float64 `json:"after_mean"`
			Kept      *float64 `json:"kept"`
		} `json:"cases"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if r.HealthyAfterMean == nil || r.KeptMean == nil || r.KeptMin == nil || len(r.Cases) != 20 {
		t.Fatalf("missing fields or cases: %s", out)
	}
	lo, sum := 1e9, 0.0
	for _, c := range r.Cases {
		if c.Target == "" || c.Kind == "" || c.AfterMean == nil || c.Kept == nil {
			t.Fatalf("case without target, kind, after_mean or kept: %+v", c)
		}
		if want := *c.AfterMean / *r.HealthyAfterMean; abs(want-*c.Kept) > 1e-9 {
			t.Errorf("%s %s: kept %v, want after_mean ÷ healthy = %v", c.Target, c.Kind, *c.Kept, want)
		}
		lo, sum = min(lo, *c.Kept), sum+*c.Kept
	}
	if abs(*r.KeptMin-lo) > 1e-12 || abs(*r.KeptMean-sum/20) > 1e-9 {
		t.Errorf("kept_mean %v kept_min %v; the cases give %v and %v", *r.KeptMean, *r.KeptMin, sum/20, lo)
	}
}

func TestEvalSuiteTableAndErrors(t *testing.T) {
	code, out, errs := hebb(t, "eval", "--rules", "racer-hebbian-rays", "--suite", "perturb", "--at", "30", "--max-steps", "80", "--episodes", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"healthy", "oil", "engine", "steering", "kept: mean", "lost: mean steps more than 20 m from the road"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--rules", "quadruped-hebbian", "--suite", "perturb"}, "for the racer"},
		{[]string{"--rules", "racer-hebbian-rays", "--suite", "damage"}, "for the quadruped"},
		{[]string{"--rules", "quadruped-hebbian", "--suite", "damage", "--damage", "FL:lock@10"}, "drop --damage"},
		{[]string{"--rules", "quadruped-hebbian", "--suite", "damage", "--at", "1000"}, "--at 1000 is out of range: want an integer in [1, 999]"},
		{[]string{"--rules", "quadruped-hebbian", "--freeze-at", "-2"}, "--freeze-at -2"},
	} {
		code, _, errs := hebb(t, append([]string{"eval"}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line with %q", c.args, code, errs, c.want)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// The research flags of evolve refuse bad values in one line.
func TestEvolveResearchFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--aggregate", "median"}, "unknown aggregate"},
		{[]string{"--aggregate", "cvar:2"}, "cvar:F with 0 < F ≤ 1"},
		{[]string{"--damage-plan", "none,tail"}, `unknown target "tail"`},
		{[]string{"--init-from", "racer-hebbian-rays"}, "cannot start from"},
		{[]string{"--init-from", "no-such-rules"}, "--init-from"},
	} {
		args := append([]string{"evolve", "--env", "quadruped", "--pop", "2", "--gens", "1", "--out", dir + "/" + c.want[:4]}, c.args...)
		code, _, errs := hebb(t, args...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line with %q", c.args, code, errs, c.want)
		}
	}
}

// --step-budget stops a run before the first generation that would start
// past the budget, and the run's steps are then at least the budget.
func TestEvolveStepBudget(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := hebb(t, "evolve", "--env", "quadruped", "--pop", "4", "--gens", "50", "--max-steps", "60",
		"--step-budget", "1000", "--workers", "2", "--quiet", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(dir + "/log.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	var total, before int64
	for i, r := range rows {
		f := strings.Split(r, ",")
		n, _ := strconv.ParseInt(f[9], 10, 64)
		if i == len(rows)-1 {
			before = total
		}
		total += n
	}
	if len(rows) >= 50 || total < 1000 || before >= 1000 {
		t.Errorf("%d generations, %d steps (%d before the last): want the run to stop once it reached 1000", len(rows), total, before)
	}
}

// bench --env none measures nothing of its own (the distributed bench is
// then all it runs): accepted, and its report has no env.
func TestBenchEnvNone(t *testing.T) {
	code, out, errs := hebb(t, "bench", "--env", "none", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Env map[string]any `json:"env"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Env) != 0 {
		t.Errorf("have %v, env %v; want an empty env section:\n%s", err, r.Env, out)
	}
}

// The racer's eval reports how it drives: the text's driving line and, in
// JSON, per-episode speed and action magnitudes whose means are the report's.
func TestEvalDriving(t *testing.T) {
	args := []string{"eval", "--rules", "racer-hebbian-rays", "--max-steps", "120", "--episodes", "2"}
	code, out, errs := hebb(t, args...)
	if code != 0 || !strings.Contains(out, "m/s mean speed; per step |steer|") {
		t.Fatalf("exit %d, no driving line:\n%s%s", code, out, errs)
	}
	code, out, errs = hebb(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep evalReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.SpeedMean == nil || len(rep.ActionAbsMean) != 3 {
		t.Fatalf("report: speed %v, action_abs_mean %v", rep.SpeedMean, rep.ActionAbsMean)
	}
	var speed, gas float64
	for _, r := range rep.PerEpisode {
		speed += *r.SpeedMean / 2
		gas += r.ActionAbsMean[1] / 2
	}
	if *rep.SpeedMean <= 0 || abs(speed-*rep.SpeedMean) > 1e-9 || abs(gas-rep.ActionAbsMean[1]) > 1e-9 {
		t.Errorf("means: speed %v (episodes %v), gas %v (episodes %v)", *rep.SpeedMean, speed, rep.ActionAbsMean[1], gas)
	}
}
