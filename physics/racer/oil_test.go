package racer

import (
	"math"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

// TestOilIsRecoverable measures how hard the oil perturbation is, with the
// scripted pilot that knows the track exactly: oil at step 200 costs the
// pilot most of its return when it drives on as before (it keeps 29 % on
// seeds 100–119), but a pilot that also knows the tyres are oiled and
// slows down (lateral and braking limits ×0.1, top speed ×0.3 while oiled)
// keeps 76 %. So issue #12's "keep ≥ 70 % after oil" is possible for a
// driver, but only for one that notices the slide at once and slows hard;
// a policy that drives on at speed cannot reach it.
func TestOilIsRecoverable(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	mean := func(oil, careful bool) float64 {
		sum := 0.0
		for seed := int64(100); seed < 120; seed++ {
			e.Reset(seed)
			p := newPilot(e)
			ret := 0.0
			var info physics.StepInfo
			for !info.Done {
				if oil && e.Steps() == 200 {
					if err := e.ApplyDamage(physics.Damage{Target: "car", Kind: "oil"}); err != nil {
						t.Fatal(err)
					}
				}
				p.aLat, p.aBrake, p.vmax = 60, 30, 70
				if careful && e.damage == "oil" {
					p.aLat, p.aBrake, p.vmax = 6, 3, 21
				}
				a := p.act(e)
				info = e.Step(a[:])
				ret += info.Reward
			}
			sum += ret
		}
		return sum / 20
	}
	healthy, blind, careful := mean(false, false), mean(true, false), mean(true, true)
	t.Logf("pilot return: healthy %.1f, oil driving on %.1f (%.0f %%), oil slowing down %.1f (%.0f %%)",
		healthy, blind, 100*blind/healthy, careful, 100*careful/healthy)
	if blind/healthy > 0.5 {
		t.Errorf("driving on through oil keeps %.0f %%: the perturbation is weaker than documented", 100*blind/healthy)
	}
	if careful/healthy < 0.7 {
		t.Errorf("slowing down on oil keeps only %.0f %%: no driver could meet the issue's 70 %%", 100*careful/healthy)
	}
}

// The grip observation is the rays observation plus the car's sideways
// speed: the same first ObsRays values, and a slip that is small while the
// pilot drives on clean tyres and large once oil makes the car slide.
func TestGripObservationFeelsTheSlide(t *testing.T) {
	rays := newEnv(t, Options{Obs: "rays"})
	grip := newEnv(t, Options{Obs: "grip"})
	if grip.ObsSize() != ObsGrip || ObsGrip != ObsRays+1 {
		t.Fatalf("grip obs size %d, want %d", grip.ObsSize(), ObsRays+1)
	}
	peak := func(oil bool) float64 {
		rays.Reset(101)
		grip.Reset(101)
		p := newPilot(grip)
		a, b := make([]float32, ObsRays), make([]float32, ObsGrip)
		max := 0.0
		for s := 0; s < 400; s++ {
			if oil && s == 200 {
				grip.ApplyDamage(physics.Damage{Target: "car", Kind: "oil"})
				rays.ApplyDamage(physics.Damage{Target: "car", Kind: "oil"})
			}
			act := p.act(grip)
			rays.Observe(a)
			grip.Observe(b)
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("step %d: grip obs[%d] = %v, rays obs %v", s, i, b[i], a[i])
				}
			}
			if s >= 200 {
				max = math.Max(max, math.Abs(float64(b[ObsRays])))
			}
			grip.Step(act[:])
			rays.Step(act[:])
		}
		return max
	}
	clean, oiled := peak(false), peak(true)
	t.Logf("peak |slip| over steps 200–400: clean %.2f, oil %.2f (×%.0f m/s)", clean, oiled, SpeedUnit)
	if !(oiled > 2*clean && oiled > 0.5) {
		t.Errorf("slip on oil %.2f is not clearly above clean driving's %.2f", oiled, clean)
	}
}

// A driver needs no foreknowledge of the oil: the same pilot, slowing only
// while the grip observation's slip exceeds 0.5 (5 m/s sideways), keeps
// 76 % of its return after oil, and the rule never fires on a clean lap.
// So a memoryless policy of the grip observation can meet issue #12's
// 70 %: what is missing in the evolved racers is the policy, not the
// information.
func TestSlipReactiveDriverRecoversFromOil(t *testing.T) {
	e := newEnv(t, Options{Obs: "grip"})
	obs := make([]float32, ObsGrip)
	mean := func(oil bool) float64 {
		sum := 0.0
		for seed := int64(100); seed < 120; seed++ {
			e.Reset(seed)
			p := newPilot(e)
			var info physics.StepInfo
			ret := 0.0
			for !info.Done {
				if oil && e.Steps() == 200 {
					e.ApplyDamage(physics.Damage{Target: "car", Kind: "oil"})
				}
				e.Observe(obs)
				p.aLat, p.aBrake, p.vmax = 60, 30, 70
				if math.Abs(float64(obs[ObsRays])) > 0.5 {
					p.aLat, p.aBrake, p.vmax = 6, 3, 21
				}
				a := p.act(e)
				info = e.Step(a[:])
				ret += info.Reward
			}
			sum += ret
		}
		return sum / 20
	}
	healthy, oil := mean(false), mean(true)
	t.Logf("slip-reactive pilot: healthy %.1f, oil at step 200 %.1f (%.0f %%)", healthy, oil, 100*oil/healthy)
	if healthy < 870 || oil/healthy < 0.7 {
		t.Errorf("healthy %.1f (want the plain pilot's ≈ 876), oil kept %.0f %% (want ≥ 70 %%)", healthy, 100*oil/healthy)
	}
}
