package sim

import (
	"testing"
	"time"

	"github.com/hebbsim/hebbsim/physics/quadruped"
)

// The quadruped's front mirror pairs FL's senses and motors with FR's,
// as the observation layout places them (physics/quadruped/doc.go).
func TestQuadrupedMirrorsPairLegs(t *testing.T) {
	spec, _ := Lookup("quadruped")
	front, back := spec.Mirrors["front"], spec.Mirrors["back"]
	if front.In[0] != [2]int{4, 9} || front.In[4] != [2]int{8, 13} || front.Out[1] != [2]int{1, 3} {
		t.Errorf("front mirror %+v: want FL's obs 4–8 with FR's 9–13 and motors 0,1 with 2,3", front)
	}
	if back.In[0] != [2]int{14, 19} || back.Out[0] != [2]int{4, 6} {
		t.Errorf("back mirror %+v: want BL's obs 14–18 with BR's 19–23 and motors 4,5 with 6,7", back)
	}
	if quadruped.LegNames[0] != "FL" || quadruped.LegNames[1] != "FR" {
		t.Fatalf("leg order %v changed: the mirrors pair the wrong legs", quadruped.LegNames)
	}
}

// A mirrored run evolves a smaller genome, and every candidate it
// evaluates, and so the file it writes, has tied coefficients: FL's hip
// sense to hidden unit u and FR's hip sense to u's mirror unit agree.
func TestMirroredRunTiesTheGenome(t *testing.T) {
	s := DefaultRunSettings()
	s.Pop, s.Mirror, s.MaxSteps = 4, "front", 30
	cfg, err := s.TrainConfig()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	plain := DefaultRunSettings()
	pcfg, _ := plain.TrainConfig()
	pt, _ := NewTrainer(pcfg, 1)
	if n, p := len(tr.Centre()), len(pt.Centre()); n >= p || 2*n < p {
		t.Fatalf("mirrored genome %d values, plain %d: want between half and all", n, p)
	}
	if _, err := tr.Step(); err != nil {
		t.Fatal(err)
	}
	best, _, _ := tr.Best()
	net, err := tr.Network(best)
	if err != nil {
		t.Fatal(err)
	}
	L := net.Layers()[0] // 34 → 128, hidden blocks of 64
	k := L.K
	for u := range 4 {
		fl := L.Coeffs[(u*L.In+4)*k : (u*L.In+5)*k]
		fr := L.Coeffs[((u+64)*L.In+9)*k : ((u+64)*L.In+10)*k]
		for c := range k {
			if fl[c] != fr[c] {
				t.Fatalf("unit %d: FL hip coefficients %v, FR hip to the mirror unit %v", u, fl, fr)
			}
		}
	}
	if L.Coeffs[4*k] == L.Coeffs[9*k] {
		t.Error("FL and FR hip senses to the same unit share a coefficient: tied too much")
	}
	// The centre's rule file records the tying, and counts the genome.
	rf, err := tr.CentreFile(time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rf.EvolvedParams(); err != nil || got != len(tr.Centre()) {
		t.Errorf("the rule file says %d evolved values (%v), the run evolved %d", got, err, len(tr.Centre()))
	}
}
