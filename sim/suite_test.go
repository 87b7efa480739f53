package sim

import (
	"math"
	"strings"
	"testing"

	"github.com/hebbsim/hebbsim/assets"
	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

func bundled(t *testing.T, name string) *brain.RuleFile {
	t.Helper()
	b, err := assets.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := brain.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return rf
}

// Every row of the damage suite is what Evaluate gives with that one
// damage at the suite's step, on the same worlds; kept is the ratio of
// the means and the summary is the mean and the minimum of the cases.
func TestSuiteRowsAreEvaluate(t *testing.T) {
	rf := bundled(t, "quadruped-hebbian")
	opts := EvalOptions{Episodes: 2, SeedStart: 77, MaxSteps: 160, Workers: 2}
	rep, err := RunSuite("quadruped", "state", rf, "damage", 60, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Cases) != 20 {
		t.Fatalf("have %d cases, want 4 legs × 5 kinds = 20", len(rep.Cases))
	}
	after := func(res []Result) float64 {
		s := 0.0
		for _, r := range res {
			s += r.Distance - r.DistanceAtMark
		}
		return s / float64(len(res))
	}
	o := opts
	o.Mark = 60
	healthy, err := Evaluate("quadruped", "state", rf, o)
	if err != nil {
		t.Fatal(err)
	}
	if h := after(healthy); math.Abs(h-rep.Healthy.Mean) > 1e-12 || h <= 0 {
		t.Errorf("healthy row: have %v, Evaluate gives %v (must be > 0)", rep.Healthy.Mean, h)
	}
	sum, lo, distinct := 0.0, math.Inf(1), map[float64]bool{}
	for i, c := range rep.Cases {
		if i%7 == 0 { // a spread of rows, to keep the test short
			o.Schedule = []Event{{Step: 60, Damage: physics.Damage{Target: c.Target, Kind: c.Kind}}}
			res, err := Evaluate("quadruped", "state", rf, o)
			if err != nil {
				t.Fatal(err)
			}
			if want := after(res); math.Abs(want-c.Mean) > 1e-12 {
				t.Errorf("%s %s: suite %v, Evaluate with that damage %v", c.Target, c.Kind, c.Mean, want)
			}
		}
		if want := c.Mean / rep.Healthy.Mean; math.Abs(c.Kept-want) > 1e-12 {
			t.Errorf("%s %s: kept %v want %v", c.Target, c.Kind, c.Kept, want)
		}
		sum += c.Kept
		lo = min(lo, c.Kept)
		distinct[c.Mean] = true
	}
	if math.Abs(rep.KeptMean-sum/20) > 1e-12 || rep.KeptMin != lo || rep.Cases[rep.Worst].Kept != lo {
		t.Errorf("summary: mean %v min %v (worst %d), want %v %v", rep.KeptMean, rep.KeptMin, rep.Worst, sum/20, lo)
	}
	if len(distinct) < 10 {
		t.Errorf("only %d distinct case scores out of 20: is the damage applied?", len(distinct))
	}
}

func TestSuiteRefusesWrongBodyOrStep(t *testing.T) {
	rf := bundled(t, "quadruped-hebbian")
	for _, c := range []struct {
		suite string
		at    int
		want  string
	}{
		{"perturb", 200, "for the racer"},
		{"shake", 200, "unknown suite"},
		{"damage", 0, "must lie in [1, 999]"},
		{"damage", 1000, "must lie in [1, 999]"},
	} {
		_, err := RunSuite("quadruped", "state", rf, c.suite, c.at, EvalOptions{Episodes: 1})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("suite %q at %d: have %v, want an error with %q", c.suite, c.at, err, c.want)
		}
	}
}

// The racer's perturbation suite: three cases on target car, returns as
// the score.
func TestPerturbSuite(t *testing.T) {
	rf := bundled(t, "racer-hebbian-rays")
	rep, err := RunSuite("racer", rf.Meta.Obs, rf, "perturb", 40, EvalOptions{Episodes: 1, SeedStart: 5, MaxSteps: 120})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range rep.Cases {
		kinds = append(kinds, c.Target+":"+c.Kind)
		if c.Results[0].TilesAll == 0 {
			t.Errorf("%s: no tiles on the track", c.Kind)
		}
	}
	if got := strings.Join(kinds, ","); got != "car:oil,car:engine,car:steering" {
		t.Errorf("cases %s", got)
	}
	if rep.Healthy.Mean != rep.Healthy.Results[0].Return {
		t.Errorf("healthy score %v is not the return %v", rep.Healthy.Mean, rep.Healthy.Results[0].Return)
	}
}

// FreezeAt stops the weights: a frozen episode's network ends with the
// weights it had at the freeze step, an unfrozen one does not.
func TestFreezeAtStopsPlasticity(t *testing.T) {
	rf := bundled(t, "quadruped-hebbian")
	run := func(freeze, steps int) []float32 {
		net, err := rf.NewNetwork()
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := Lookup("quadruped")
		env, _ := spec.New("state")
		ep := NewEpisode(env, net, Config{MaxSteps: steps, FrozenAfter: freeze})
		ep.Reset(9)
		ep.Run()
		return append([]float32(nil), net.Layers()[1].W...)
	}
	at50 := run(0, 50)
	frozen := run(50, 120)
	free := run(0, 120)
	same := func(a, b []float32) bool {
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	if !same(at50, frozen) {
		t.Error("weights frozen at step 50 changed afterwards")
	}
	if same(at50, free) {
		t.Error("weights without freezing did not change after step 50")
	}
	// And through Evaluate: freezing changes the outcome.
	a, _ := Evaluate("quadruped", "state", rf, EvalOptions{Episodes: 1, MaxSteps: 300, FreezeAt: 100})
	b, _ := Evaluate("quadruped", "state", rf, EvalOptions{Episodes: 1, MaxSteps: 300})
	if a[0].Distance == b[0].Distance {
		t.Errorf("--freeze-at 100 walked exactly as far as the plastic network (%v m)", a[0].Distance)
	}
}

// A damage plan gives every candidate every entry: here a healthy
// episode, one on FL with any kind and one with BR paralysed.
func TestDamagePlan(t *testing.T) {
	spec, _ := Lookup("quadruped")
	env, _ := spec.New("state")
	kinds := []string{"amputate", "weaken"}
	p := Protocol{Episodes: 6, Common: true, Damage: MidDamage{Plan: []string{"none", "FL", "BR:paralyze"}, From: 10, To: 20, Kinds: kinds}}
	if err := p.Validate(env); err != nil {
		t.Fatal(err)
	}
	jobs, err := p.TrainJobs(env, 3, 0, 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	seenKinds := map[string]bool{}
	for i, j := range jobs {
		ep := i % 6
		switch ep % 3 {
		case 0:
			if j.Schedule != nil {
				t.Errorf("job %d: plan says none, have %+v", i, j.Schedule)
			}
		case 1:
			if len(j.Schedule) != 1 || j.Schedule[0].Damage.Target != "FL" {
				t.Fatalf("job %d: want FL damage, have %+v", i, j.Schedule)
			}
			seenKinds[j.Schedule[0].Damage.Kind] = true
		case 2:
			if len(j.Schedule) != 1 || j.Schedule[0].Damage != (physics.Damage{Target: "BR", Kind: "paralyze"}) {
				t.Errorf("job %d: want BR paralyze, have %+v", i, j.Schedule)
			}
		}
		for _, ev := range j.Schedule {
			if ev.Step < 10 || ev.Step > 20 {
				t.Errorf("job %d: damage step %d outside [10, 20]", i, ev.Step)
			}
		}
	}
	for k := range seenKinds {
		if k != "amputate" && k != "weaken" {
			t.Errorf("FL entries drew kind %q, not one of %v", k, kinds)
		}
	}
	for _, bad := range []string{"tail", "FL:melt", "*:melt"} {
		q := p
		q.Damage.Plan = []string{bad}
		if err := q.Validate(env); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("plan entry %q: have %v, want an error naming it", bad, err)
		}
	}
}

func TestAggregate(t *testing.T) {
	jobs := []Job{{Candidate: 0}, {Candidate: 0}, {Candidate: 0}, {Candidate: 0}, {Candidate: 1}}
	res := []Result{{Return: 4}, {Return: 1}, {Return: 3}, {Return: 2}, {Return: 7}}
	for _, c := range []struct {
		agg  string
		want []float64
	}{
		{"", []float64{2.5, 7}},
		{"mean", []float64{2.5, 7}},
		{"min", []float64{1, 7}},
		{"cvar:0.5", []float64{1.5, 7}},
		{"cvar:0.3", []float64{1.5, 7}}, // ⌈0.3·4⌉ = 2 episodes
		{"cvar:0.25", []float64{1, 7}},
		{"cvar:1", []float64{2.5, 7}},
	} {
		p := Protocol{Aggregate: c.agg}
		got := p.FitnessOf(jobs, res, 2)
		if got[0] != c.want[0] || got[1] != c.want[1] {
			t.Errorf("aggregate %q: have %v want %v", c.agg, got, c.want)
		}
	}
	env := &toy{}
	for _, bad := range []string{"cvar:0", "cvar:1.5", "cvar:x", "median"} {
		if err := (Protocol{Aggregate: bad}).Validate(env); err == nil {
			t.Errorf("aggregate %q accepted", bad)
		}
	}
}

// NewTrainerFrom starts the centre at the given genome, and refuses one
// of the wrong size.
func TestTrainerFrom(t *testing.T) {
	cfg := toyConfig(brain.DefaultRule)
	probe, err := NewTrainer(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	theta := make([]float64, len(probe.Centre()))
	for i := range theta {
		theta[i] = 0.01 * float64(i%17)
	}
	tr, err := NewTrainerFrom(cfg, 1, theta)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range tr.Centre() {
		if v != theta[i] {
			t.Fatalf("centre[%d] = %v, want %v", i, v, theta[i])
		}
	}
	if _, err := NewTrainerFrom(cfg, 1, theta[:5]); err == nil {
		t.Error("a genome of the wrong size was accepted")
	}
}
