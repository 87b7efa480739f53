package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hebbsim/hebbsim/physics"
)

// The kept-share fitness (Aggregate "kept:C").
//
// A mean of metres or returns over healthy and damaged episodes rewards
// the fastest gait most, however little of it survives damage (measured:
// docs/adaptation.md, Q-H1 and Q-H3). kept:C changes what pays. The damage
// plan (which must hold exactly one "none") is run as cycles of len(Plan)
// episodes that share one world, one weight seed and one damage step, so
// each damaged episode has its own healthy reference. A cycle's fitness is
//
//	min(H, C) · (1 + mean over the damaged episodes of clamp(D/H, 0, 1))
//
// where H is the healthy episode's measure (metres walked or return) and
// D/H the share a damaged episode keeps: for the distance fitness the
// metres walked after the damage step in each, otherwise the whole
// episode's measure (as `hebb eval --suite` computes kept pace and kept
// return). Once a body is healthy-fast enough (H ≥ C), only robustness
// pays; below C, speed and robustness both do, and a body that does not
// move (H ≤ 0) gets H. A candidate's fitness is the mean over its cycles.

// keptCap parses Aggregate "kept:C" into C.
func (p Protocol) keptCap() (float64, bool) {
	v, ok := strings.CutPrefix(p.Aggregate, "kept:")
	if !ok {
		return 0, false
	}
	c, err := strconv.ParseFloat(v, 64)
	if err != nil || !(c > 0) || math.IsInf(c, 0) {
		return 0, false
	}
	return c, true
}

// validateKept checks what kept:C needs: a cap above 0, and a damage plan
// with exactly one healthy entry and at least one damaged one, on one
// morphology.
func (p Protocol) validateKept() error {
	if !strings.HasPrefix(p.Aggregate, "kept:") {
		return nil
	}
	if _, ok := p.keptCap(); !ok {
		return fmt.Errorf("sim: aggregate %q: want kept:C with a cap C > 0 (metres or return), e.g. kept:60", p.Aggregate)
	}
	none := 0
	for _, e := range p.Damage.Plan {
		if e == "none" {
			none++
		}
	}
	if none != 1 || len(p.Damage.Plan) < 2 {
		return fmt.Errorf("sim: aggregate %s needs a damage plan with exactly one \"none\" (the healthy reference) and at least one damaged entry, e.g. --damage-plan none,FL,FR,BL,BR", p.Aggregate)
	}
	if len(p.Morphologies) > 1 {
		return fmt.Errorf("sim: aggregate %s runs on one morphology, not %d", p.Aggregate, len(p.Morphologies))
	}
	return nil
}

// world is the index that seeds episode ep's world and weights: ep itself,
// or under kept:C its cycle, so a cycle's episodes share them.
func (p Protocol) world(ep int) int {
	if _, ok := p.keptCap(); ok {
		return ep / len(p.Damage.Plan)
	}
	return ep
}

// mark is episode ep's Config.Mark under kept:C: the cycle's damage step
// (the healthy episode too, so its metres after that step are known); 0
// otherwise.
func (p Protocol) mark(env physics.Env, run uint64, gen, pair, ep int, sched []Event) int {
	if _, ok := p.keptCap(); !ok {
		return 0
	}
	if len(sched) > 0 {
		return sched[0].Step
	}
	// The healthy entry: the step damage() draws first for this world.
	d := p.Damage
	return d.From + p.damageRand(run, gen, pair, ep).IntN(d.To-d.From+1)
}

// keptFitness is FitnessOf under kept:C. Jobs come from TrainJobs, so a
// candidate's episodes are consecutive and in plan order.
func (p Protocol) keptFitness(jobs []Job, res []Result, n int, cap float64) []float64 {
	type cycle struct {
		healthy, healthyAfter float64
		after                 []float64 // damaged episodes' kept measure
		seen                  bool
	}
	per := make([]map[int]*cycle, n)
	ep := make([]int, n) // each candidate's episode index, in job order
	for i, j := range jobs {
		if per[j.Candidate] == nil {
			per[j.Candidate] = map[int]*cycle{}
		}
		w := p.world(ep[j.Candidate])
		ep[j.Candidate]++
		cy := per[j.Candidate][w]
		if cy == nil {
			cy = &cycle{}
			per[j.Candidate][w] = cy
		}
		m := p.Measure(res[i])
		if p.Fitness == "distance" {
			m = res[i].Distance - res[i].DistanceAtMark
		}
		if len(j.Schedule) == 0 {
			cy.healthy, cy.healthyAfter, cy.seen = p.Measure(res[i]), m, true
		} else {
			cy.after = append(cy.after, m)
		}
	}
	out := make([]float64, n)
	for c, cycles := range per {
		sum, k := 0.0, 0
		for _, cy := range cycles {
			if !cy.seen {
				continue
			}
			sum += KeptScore(cy.healthy, cy.healthyAfter, cy.after, cap)
			k++
		}
		if k > 0 {
			out[c] = sum / float64(k)
		}
	}
	return out
}

// KeptScore is one cycle's kept:C fitness: healthy is the healthy
// episode's measure, ref the part damaged episodes are compared with (the
// same, or its metres after the damage step), damaged their measures.
func KeptScore(healthy, ref float64, damaged []float64, cap float64) float64 {
	if healthy <= 0 {
		return healthy
	}
	kept := 0.0
	for _, d := range damaged {
		if ref > 0 {
			kept += math.Max(0, math.Min(1, d/ref))
		}
	}
	if len(damaged) > 0 {
		kept /= float64(len(damaged))
	}
	return math.Min(healthy, cap) * (1 + kept)
}
