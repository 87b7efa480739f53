package quadruped

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

// randomNet is a 34→128→64→8 tanh network without biases, weights
// U[-r, r]: the controller at the start of every episode (DESIGN.md §1).
type randomNet struct{ w [3][][]float64 }

func newRandomNet(rng *rand.Rand, r float64) *randomNet {
	n := &randomNet{}
	sizes := []int{obsSize, 128, 64, actSize}
	for l := 0; l < 3; l++ {
		n.w[l] = make([][]float64, sizes[l+1])
		for j := range n.w[l] {
			n.w[l][j] = make([]float64, sizes[l])
			for i := range n.w[l][j] {
				n.w[l][j][i] = r * (2*rng.Float64() - 1)
			}
		}
	}
	return n
}

func (n *randomNet) act(obs []float32, act []float32) {
	x := make([]float64, len(obs))
	for i, o := range obs {
		x[i] = float64(o)
	}
	for _, w := range n.w {
		y := make([]float64, len(w))
		for j, row := range w {
			s := 0.0
			for i, v := range row {
				s += v * x[i]
			}
			y[j] = math.Tanh(s)
		}
		x = y
	}
	for j := range act {
		act[j] = float32(x[j])
	}
}

// fallsUnderRandomNets counts episodes (of 40, 100 steps each, hills)
// in which a fixed random network makes the robot fall.
func fallsUnderRandomNets(r float64) int {
	e, _ := New(Options{})
	rng := rand.New(rand.NewPCG(13, 14))
	obs := make([]float32, obsSize)
	act := make([]float32, actSize)
	falls := 0
	for ep := 0; ep < 40; ep++ {
		e.Reset(int64(ep))
		net := newRandomNet(rng, r)
		for s := 0; s < 100; s++ {
			e.Observe(obs)
			net.act(obs, act)
			if info := e.Step(act); info.Done {
				if info.Reason == "fell" {
					falls++
				}
				break
			}
		}
	}
	return falls
}

// TestStance: a controller with random weights should rarely throw the
// robot over in its first 100 steps, both with the reference's small
// initial weights (U[-0.1, 0.1]: near-zero actions, the legs sag) and with
// weights as large as per-layer normalisation makes them (U[-1, 1]:
// saturated, state-dependent actions). DESIGN.md §5 found that most
// failures of an evolved controller were such early falls.
func TestStance(t *testing.T) {
	for _, c := range []struct {
		r        float64
		maxFalls int
	}{{0.1, 0}, {1, 4}} {
		if got := fallsUnderRandomNets(c.r); got > c.maxFalls {
			t.Errorf("weights U[-%g, %g]: %d of 40 episodes fell within 100 steps, want ≤ %d", c.r, c.r, got, c.maxFalls)
		} else {
			t.Logf("weights U[-%g, %g]: %d of 40 episodes fell within 100 steps", c.r, c.r, got)
		}
	}
}

// trot is a hand-written gait: diagonal legs in phase, hip and knee
// targets on sines of period 40 steps, tracked by a = tanh(2·error).
func trot(e *Env, steps int) (float64, string) {
	obs := make([]float32, obsSize)
	act := make([]float32, actSize)
	var info physics.StepInfo
	for s := 0; s < steps; s++ {
		e.Observe(obs)
		for i := 0; i < 4; i++ {
			ph := 2 * math.Pi * float64(s) / 40
			if i == 1 || i == 2 {
				ph += math.Pi
			}
			hip, knee := 0.5*math.Sin(ph), -0.8+0.6*math.Sin(ph+4)
			act[2*i] = float32(math.Tanh(2 * (hip - float64(obs[4+5*i]))))
			act[2*i+1] = float32(math.Tanh(2 * (knee - (float64(obs[4+5*i+2]) - 1))))
		}
		if info = e.Step(act); info.Done {
			break
		}
	}
	return info.Distance, info.Reason
}

// TestCanWalk: the body can walk, healthy and with the paper's damage.
func TestCanWalk(t *testing.T) {
	for _, c := range []struct {
		damage string
		min    float64
	}{{"", 25}, {"FL", 5}, {"BR", 5}} {
		e := mustNew(t, Options{})
		if c.damage != "" {
			e.ApplyDamage(physics.Damage{Target: c.damage, Kind: Shorten})
		}
		d, reason := trot(e, 1000)
		t.Logf("trot, %q shortened: %.1f m (%s)", c.damage, d, reason)
		if d < c.min {
			t.Errorf("trot with %q shortened walked %.1f m (%s), want ≥ %g", c.damage, d, reason, c.min)
		}
	}
}
