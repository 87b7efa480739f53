package sim

import (
	"testing"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics/racer"
)

// TestRacerRaysLeavesBrakePlateau guards the cause of the racer's old
// flat fitness (doc.go): with outputs near 0, brake = sigmoid(0) = 0.5
// slides the front tyres, every candidate drives the same line and
// evolution sees only ties. Random genomes of the default rays network
// must, often enough, get the brake below the sliding threshold and so
// drive differently from each other on the same track.
func TestRacerRaysLeavesBrakePlateau(t *testing.T) {
	spec, err := Lookup("racer")
	if err != nil {
		t.Fatal(err)
	}
	env, err := racer.New(racer.Options{Obs: "rays"})
	if err != nil {
		t.Fatal(err)
	}
	net, err := brain.NewNetwork(spec.Arch("rays"))
	if err != nil {
		t.Fatal(err)
	}
	const n, steps = 16, 300
	leave := 0
	returns := map[float64]bool{}
	for c := 0; c < n; c++ {
		if err := net.SetParams(InitGenome(net, 0, uint64(c+1))); err != nil {
			t.Fatal(err)
		}
		ep := NewEpisode(env, net, Config{MaxSteps: steps})
		if err := ep.Reset(7); err != nil {
			t.Fatal(err)
		}
		low := false
		for !ep.Done() {
			if st := ep.Step(); st.Action[2] < 0.18 {
				low = true
			}
		}
		if low {
			leave++
		}
		returns[ep.Result().Return] = true
	}
	// Measured: 10 of 32 with genomes 1…32 on tracks 7…38 (physics/racer doc.go); 0 of 32
	// with the old units and 12→64→32→3.
	if have, want := leave, 3; have < want {
		t.Errorf("%d of %d random rays networks ever brake below 0.18, want ≥ %d", have, n, want)
	}
	if have, want := len(returns), n/2; have < want {
		t.Errorf("%d distinct returns from %d random networks, want ≥ %d", have, n, want)
	}
	t.Logf("%d of %d leave the plateau; %d distinct returns", leave, n, len(returns))
}
