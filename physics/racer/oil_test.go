package racer

import (
	"flag"
	"math"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

// TestOilIsRecoverable measures how hard the oil perturbation is, with the
// scripted pilot that knows the track exactly: oil at step 200 costs the
// pilot most of its return when it drives on as before (it keeps 29 % on
// seeds 100–119), but a pilot that also knows the tyres are oiled and
// slows down (lateral and braking limits ×0.1, top speed ×0.3 while oiled)
// keeps 76 %. What the blind pilot loses is not the slide but what comes
// after it: TestOilIsLostToWheelSpin. How much any careful pilot keeps:
// TestOilPilotSweep.
func TestOilIsRecoverable(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	healthy := pilotOnOil(t, e, false, pilotLimits{})
	blind := pilotOnOil(t, e, true, pilotLimits{60, 30, 70})
	careful := pilotOnOil(t, e, true, pilotLimits{6, 3, 21})
	t.Logf("pilot return: healthy %.1f, oil driving on %.1f (%.0f %%), oil slowing down %.1f (%.0f %%)",
		healthy, blind, 100*blind/healthy, careful, 100*careful/healthy)
	if blind/healthy > 0.5 {
		t.Errorf("driving on through oil keeps %.0f %%: the perturbation is weaker than documented", 100*blind/healthy)
	}
	if careful/healthy < 0.7 {
		t.Errorf("slowing down on oil keeps only %.0f %%: no driver could meet the issue's 70 %%", 100*careful/healthy)
	}
}

// pilotLimits are the pilot's lateral and braking accelerations (m/s²)
// and top speed (m/s) while the tyres are oiled.
type pilotLimits struct{ lat, brake, vmax float64 }

// pilotOnOil is the pilot's mean return on seeds 100–119, with oil at step
// 200 when oil is set; healthy it drives at lateral 60, braking 30, top
// speed 70, and while oiled at the limits oiled.
func pilotOnOil(t *testing.T, e *Env, oil bool, oiled pilotLimits) float64 {
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
			if e.damage == "oil" {
				p.aLat, p.aBrake, p.vmax = oiled.lat, oiled.brake, oiled.vmax
			}
			a := p.act(e)
			info = e.Step(a[:])
			ret += info.Reward
		}
		sum += ret
	}
	return sum / 20
}

var oilSweep = flag.Bool("oilsweep", false, "measure how much a pilot that knows the track and the oil keeps, over a grid of oiled limits")

// TestOilPilotSweep measures the most a careful pilot keeps after oil: it
// knows the track and the instant the tyres are oiled and clean again, and
// drives at the oiled limits below (go test ./physics/racer -run
// OilPilotSweep -v -args -oilsweep; docs/adaptation.md, session 9, quotes
// it). At a top speed of 15 m/s or less every setting keeps 79–82 % (on
// seeds 100–119 the pilot's healthy return is 875.8), faster ones less:
// even a driver that knows everything loses about a fifth to the oil.
func TestOilPilotSweep(t *testing.T) {
	if !*oilSweep {
		t.Skip("run with -oilsweep")
	}
	e := newEnv(t, Options{Obs: "rays"})
	healthy := pilotOnOil(t, e, false, pilotLimits{})
	t.Logf("healthy %.1f", healthy)
	best := 0.0
	for _, vmax := range []float64{8, 12, 15, 21, 30} {
		for _, lb := range [][2]float64{{2, 1}, {3, 2}, {4, 2}, {6, 3}, {15, 7.5}} {
			r := pilotOnOil(t, e, true, pilotLimits{lb[0], lb[1], vmax})
			best = max(best, r)
			t.Logf("oiled: lateral %4.1f, braking %3.1f, top speed %2.0f: return %.1f, kept %.0f %%", lb[0], lb[1], vmax, r, 100*r/healthy)
		}
	}
	t.Logf("best kept %.1f %%", 100*best/healthy)
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

// The blind pilot leaves the road on oil, and then never finds it again:
// on the grass, gas spins the rear wheels, a spinning tyre has no side
// grip left, and the car turns donuts until the step limit. A pilot that
// drives on through the oil at full pace but cuts the gas while the
// traction observation says the driven wheels spin (> 0.5, i.e. 5 m/s of
// tread over ground) keeps 95 % after oil at step 200 (827.6 of 870.2 on
// seeds 100–119) and loses 0.6 % on a clean lap: traction control, one
// threshold on one input, is enough for issue #12's targets.
func TestOilIsLostToWheelSpin(t *testing.T) {
	e := newEnv(t, Options{Obs: "traction"})
	if e.ObsSize() != ObsTraction || ObsTraction != ObsGrip+1 {
		t.Fatalf("traction obs size %d, want %d", e.ObsSize(), ObsGrip+1)
	}
	obs := make([]float32, ObsTraction)
	type result struct{ ret, spin, turns float64 }
	run := func(oil, control bool) result {
		var r result
		for seed := int64(100); seed < 120; seed++ {
			e.Reset(seed)
			p := newPilot(e)
			var info physics.StepInfo
			for !info.Done {
				if oil && e.Steps() == 200 {
					e.ApplyDamage(physics.Damage{Target: "car", Kind: "oil"})
				}
				e.Observe(obs)
				a := p.act(e)
				if control && obs[ObsGrip] > 0.5 {
					a[1] = 0
				}
				if e.Steps() >= 600 { // long after the oil wore off
					r.spin += float64(obs[ObsGrip]) / 20 / 400
					_, _, _, w := e.Pose()
					r.turns += math.Abs(w) * dt / (2 * math.Pi) / 20
				}
				info = e.Step(a[:])
				r.ret += info.Reward / 20
			}
		}
		return r
	}
	healthy, blind := run(false, false), run(true, false)
	tcHealthy, tc := run(false, true), run(true, true)
	t.Logf("blind pilot: healthy %.1f, oil %.1f; mean spin over steps 600–1000 %.2f (healthy %.2f), %.1f turns of the hull",
		healthy.ret, blind.ret, blind.spin, healthy.spin, blind.turns)
	t.Logf("traction control: healthy %.1f, oil %.1f (%.0f %%)", tcHealthy.ret, tc.ret, 100*tc.ret/tcHealthy.ret)
	if !(blind.spin > 1 && blind.spin > 5*healthy.spin && blind.turns > 5*healthy.turns) {
		t.Errorf("after oil the blind pilot's wheels spin %.2f (healthy %.2f) and the hull turns %.1f times (healthy %.1f): not the donuts documented",
			blind.spin, healthy.spin, blind.turns, healthy.turns)
	}
	if tcHealthy.ret < 0.98*healthy.ret || tc.ret < 0.9*tcHealthy.ret {
		t.Errorf("traction control: healthy %.1f (plain pilot %.1f), oil %.1f: want ≥ 98 %% of the plain pilot and ≥ 90 %% kept",
			tcHealthy.ret, healthy.ret, tc.ret)
	}
}
