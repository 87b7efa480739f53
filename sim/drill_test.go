package sim

import (
	"strings"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

// A drill (the racer's offroad) can be planned and evaluated like a
// damage kind, stays out of the perturbation suite (TestPerturbSuite), and
// an env without it refuses it by name.
func TestDrillKinds(t *testing.T) {
	racer, _ := Lookup("racer")
	env, err := racer.New("compass")
	if err != nil {
		t.Fatal(err)
	}
	p := Protocol{Episodes: 2, Aggregate: "kept:900", Damage: MidDamage{Plan: []string{"none", "car:offroad"}, From: 100, To: 400}}
	if err := p.Validate(env); err != nil {
		t.Errorf("a plan with the offroad drill: %v", err)
	}
	quad, _ := Lookup("quadruped")
	qenv, _ := quad.New("state")
	bad := Protocol{Damage: MidDamage{Plan: []string{"none", "FL:offroad"}, To: 1}}
	if err := bad.Validate(qenv); err == nil || !strings.Contains(err.Error(), `unknown kind "offroad"`) {
		t.Errorf("the quadruped with an offroad plan: have %v, want unknown kind", err)
	}

	rf := bundled(t, "racer-hebbian-rays")
	res, err := Evaluate("racer", rf.Meta.Obs, rf, EvalOptions{Episodes: 1, SeedStart: 5, MaxSteps: 150,
		Schedule: []Event{{Step: 100, Damage: physics.Damage{Target: "car", Kind: "offroad"}}}})
	if err != nil {
		t.Fatalf("evaluating with the drill: %v", err)
	}
	if res[0].LostSteps == 0 {
		t.Errorf("thrown off the road at step 100 of 150, the car was never lost: %+v", res[0])
	}
}
