package sim

import (
	"math"
	"strings"
	"testing"

	"github.com/hebbsim/hebbsim/brain"

	"github.com/hebbsim/hebbsim/physics"
)

// KeptScore against hand-computed values.
func TestKeptScore(t *testing.T) {
	for _, c := range []struct {
		name         string
		healthy, ref float64
		damaged      []float64
		cap, want    float64
	}{
		// kept = (25/50 + 1 (60/50 clamped) + 0 (−5/50 clamped)) / 3 = 0.5;
		// min(80, 60) · 1.5 = 90.
		{"capped", 80, 50, []float64{25, 60, -5}, 60, 90},
		// Below the cap speed still pays: 40 · (1 + 0.5) = 60.
		{"below cap", 40, 50, []float64{25, 60, -5}, 60, 60},
		// All damage cases keep everything: 2 · cap.
		{"robust", 100, 10, []float64{10, 20}, 60, 120},
		// A body that does not go forwards gets its own measure.
		{"backwards", -2, 5, []float64{5}, 60, -2},
		// No metres after the damage step in the healthy run: nothing kept.
		{"no reference", 30, 0, []float64{4}, 60, 30},
	} {
		if got := KeptScore(c.healthy, c.ref, c.damaged, c.cap); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: have %v, want %v", c.name, got, c.want)
		}
	}
}

// Under kept:C a cycle's episodes share world, weights and damage step;
// the healthy episode is marked at that step; cycles differ; each damaged
// episode draws its own kind.
func TestKeptJobsArePaired(t *testing.T) {
	spec, _ := Lookup("quadruped")
	env, _ := spec.New("state")
	plan := []string{"none", "FL", "FR", "BL", "BR"}
	p := Protocol{Episodes: 10, Fitness: "distance", Aggregate: "kept:60",
		Damage: MidDamage{Plan: plan, From: 100, To: 600, Kinds: []string{"shorten", "amputate", "paralyze", "weaken", "lock"}}}
	if err := p.Validate(env); err != nil {
		t.Fatal(err)
	}
	jobs, err := p.TrainJobs(env, 7, 3, 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 40 {
		t.Fatalf("%d jobs, want 4 candidates × 10", len(jobs))
	}
	kinds := map[string]bool{}
	for c := 0; c < 4; c++ {
		cand := jobs[c*10 : c*10+10]
		for cy := 0; cy < 2; cy++ {
			ep := cand[cy*5 : cy*5+5]
			if ep[0].Schedule != nil || ep[0].Mark < 100 || ep[0].Mark > 600 {
				t.Fatalf("candidate %d cycle %d: healthy job %+v, want no damage and a mark in [100, 600]", c, cy, ep[0])
			}
			for i, j := range ep[1:] {
				if j.Seed != ep[0].Seed {
					t.Errorf("candidate %d cycle %d: episode %d on world %d, healthy on %d", c, cy, i+1, j.Seed, ep[0].Seed)
				}
				if len(j.Schedule) != 1 || j.Schedule[0].Damage.Target != plan[i+1] || j.Schedule[0].Step != ep[0].Mark || j.Mark != ep[0].Mark {
					t.Errorf("candidate %d cycle %d: episode %d %+v, want %s at the healthy mark %d", c, cy, i+1, j, plan[i+1], ep[0].Mark)
				}
				if len(j.Schedule) == 1 {
					kinds[j.Schedule[0].Damage.Kind] = true
				}
			}
		}
		if cand[0].Seed == cand[5].Seed {
			t.Errorf("candidate %d: both cycles on world %d", c, cand[0].Seed)
		}
	}
	if len(kinds) < 3 {
		t.Errorf("damaged episodes drew kinds %v: want them drawn per episode, not one per cycle", kinds)
	}
	// Without kept:C nothing is paired or marked, as before.
	q := p
	q.Aggregate = "mean"
	plain, _ := q.TrainJobs(env, 7, 3, 4, 4)
	if plain[0].Seed == plain[1].Seed || plain[0].Mark != 0 || plain[1].Mark != 0 {
		t.Errorf("mean aggregate: jobs %+v %+v are paired or marked", plain[0], plain[1])
	}
}

// FitnessOf under kept:C: by hand, from made-up results of two cycles.
func TestKeptFitnessOf(t *testing.T) {
	sched := []Event{{Step: 100, Damage: physics.Damage{Target: "FL", Kind: "weaken"}}}
	p := Protocol{Episodes: 4, Fitness: "distance", Aggregate: "kept:50", Damage: MidDamage{Plan: []string{"none", "FL"}, From: 100, To: 100}}
	jobs := []Job{{Candidate: 0}, {Candidate: 0, Schedule: sched}, {Candidate: 0}, {Candidate: 0, Schedule: sched},
		{Candidate: 1}, {Candidate: 1, Schedule: sched}, {Candidate: 1}, {Candidate: 1, Schedule: sched}}
	res := []Result{
		// candidate 0, cycle 0: healthy 60 m, 40 after the mark; damaged 10 after → 50 · 1.25 = 62.5
		{Distance: 60, DistanceAtMark: 20}, {Distance: 30, DistanceAtMark: 20},
		// cycle 1: healthy 30 m, 20 after; damaged 20 after → 30 · 2 = 60
		{Distance: 30, DistanceAtMark: 10}, {Distance: 30, DistanceAtMark: 10},
		// candidate 1: healthy −1 m → −1; then 10 m, 8 after, damaged 4 after → 10 · 1.5 = 15
		{Distance: -1, DistanceAtMark: 0}, {Distance: 5, DistanceAtMark: 0},
		{Distance: 10, DistanceAtMark: 2}, {Distance: 6, DistanceAtMark: 2},
	}
	got := p.FitnessOf(jobs, res, 2)
	if want := []float64{61.25, 7}; math.Abs(got[0]-want[0]) > 1e-12 || math.Abs(got[1]-want[1]) > 1e-12 {
		t.Errorf("have %v, want %v", got, want)
	}
	// Return fitness compares whole episodes: 80 healthy, 60 damaged →
	// min(80, 50) · (1 + 0.75) = 87.5.
	r := Protocol{Episodes: 2, Aggregate: "kept:50", Damage: MidDamage{Plan: []string{"none", "car:oil"}}}
	got = r.FitnessOf(jobs[:2], []Result{{Return: 80}, {Return: 60}}, 1)
	if got[0] != 87.5 {
		t.Errorf("return fitness: have %v, want 87.5", got[0])
	}
}

func TestKeptRefusesBadSetups(t *testing.T) {
	spec, _ := Lookup("quadruped")
	env, _ := spec.New("state")
	for _, c := range []struct {
		p    Protocol
		want string
	}{
		{Protocol{Aggregate: "kept:0", Damage: MidDamage{Plan: []string{"none", "FL"}, To: 1}}, "cap C > 0"},
		{Protocol{Aggregate: "kept:x", Damage: MidDamage{Plan: []string{"none", "FL"}, To: 1}}, "cap C > 0"},
		{Protocol{Aggregate: "kept:60", Damage: MidDamage{Prob: 0.5, To: 1}}, "exactly one \"none\""},
		{Protocol{Aggregate: "kept:60", Damage: MidDamage{Plan: []string{"none", "none", "FL"}, To: 1}}, "exactly one \"none\""},
		{Protocol{Aggregate: "kept:60", Damage: MidDamage{Plan: []string{"FL", "BR"}, To: 1}}, "exactly one \"none\""},
		{Protocol{Aggregate: "kept:60", Morphologies: []string{"healthy", "healthy"}, Damage: MidDamage{Plan: []string{"none", "FL"}, To: 1}}, "one morphology"},
	} {
		if err := c.p.Validate(env); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: have %v, want an error saying %q", c.p, err, c.want)
		}
	}
}

// A job's Mark reaches its episode: the metres at the mark are recorded
// and the episode is otherwise unchanged.
func TestJobMark(t *testing.T) {
	arch := brain.Arch{Layers: []int{4, 6, 2}}
	pool, err := NewPool(1, Config{MaxSteps: 30}, func() (physics.Env, error) { return &toy{}, nil },
		func() (Genome, error) { return brain.NewNetwork(arch) })
	if err != nil {
		t.Fatal(err)
	}
	params := make([]float64, pool.NumParams())
	for i := range params {
		params[i] = 0.3
	}
	res, err := pool.Run([][]float64{params}, []Job{{Seed: 5}, {Seed: 5, Mark: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].DistanceAtMark != 0 || res[1].DistanceAtMark == 0 || res[0].Distance != res[1].Distance {
		t.Errorf("unmarked %+v, marked %+v: want the mark recorded and the episode unchanged", res[0], res[1])
	}
}

// A rule file's description says what its fitness was: a kept-share run's
// is not its distance.
func TestCentreDescriptionSaysTheFitness(t *testing.T) {
	for _, c := range []struct {
		p    Protocol
		want string
	}{
		{Protocol{Fitness: "distance"}, "fitness is its distance on that"},
		{Protocol{Fitness: "distance", Aggregate: "cvar:0.4"}, "its distance (cvar:0.4 over its episodes)"},
		{Protocol{Fitness: "distance", Aggregate: "kept:65"}, "min(healthy distance, 65) × (1 + mean share kept under damage)"},
	} {
		if got := CentreDescription(7, c.p); !strings.Contains(got, c.want) || !strings.Contains(got, "generation 7") {
			t.Errorf("%+v: %q, want it to contain %q", c.p, got, c.want)
		}
	}
}
