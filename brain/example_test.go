package brain_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/hebbsim/hebbsim/brain"
)

// A quadruped-sized plastic network: set a genome, start an episode from
// random weights, and run the per-step loop forward → act → update.
func ExampleNewNetwork() {
	n, err := brain.NewNetwork(brain.Arch{Layers: []int{34, 128, 64, 8}, Rule: "ABCD_lr", Normalize: true})
	if err != nil {
		log.Fatal(err)
	}
	theta := make([]float64, n.NumParams()) // evolved coefficients, e.g. from brain/evolve
	for i := range theta {
		theta[i] = 0.01
	}
	if err := n.SetParams(theta); err != nil {
		log.Fatal(err)
	}
	n.Reset(rand.New(rand.NewPCG(1, 2))) // fresh U[-0.1, 0.1] weights
	obs := make([]float32, n.ObsSize())
	for step := 0; step < 3; step++ {
		action := n.Forward(obs)
		_ = action // the environment steps here
		n.Update() // Hebbian update with this step's activations
	}
	fmt.Println(n.NumParams(), "coefficients,", n.Synapses(), "synapses, action size", n.ActionSize())
	// Output: 65280 coefficients, 13056 synapses, action size 8
}

func ExampleRuleByName() {
	r, err := brain.RuleByName("ABCD_lr")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.K, r.CoeffNames, r.Equation)
	_, err = brain.RuleByName("ABCDE")
	fmt.Println(err)
	// Output:
	// 5 [A B C D eta] Δw = η(A·pre·post + B·pre + C·post + D)
	// brain: unknown rule "ABCDE" (valid: A, AD, AD_lr, ABC, ABC_lr, ABCD, ABCD_lr, ABCD_lr_D_out, ABCD_lr_D_in_and_out, static)
}

// Save an evolved network as a rule file and load it back.
func ExampleRuleFile_Save() {
	n := brain.MustNewNetwork(brain.Arch{Layers: []int{brain.CNNFeatures, 128, 64, 3}, CNN: true, Output: brain.OutputRacer, Normalize: true})
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "racer.npz")
	rf := brain.FromNetwork(n, brain.Meta{Env: "racer", Obs: "pixels", Provenance: brain.Provenance{Generations: 300, Seed: 7}})
	if err := rf.Save(path); err != nil {
		log.Fatal(err)
	}
	back, err := brain.Load(path)
	if err != nil {
		log.Fatal(err)
	}
	m, err := back.NewNetwork()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Meta.Rule, back.Meta.Layers, back.Meta.Output, m.NumParams())
	// Output: ABCD_lr [648 128 64 3] racer 458002
}

// Record a trace from the rollout loop: Record between the environment
// step and Update, then Save.
func ExampleTraceRecorder() {
	n := brain.MustNewNetwork(brain.Arch{Layers: []int{4, 3, 2}})
	n.Reset(rand.New(rand.NewPCG(1, 1)))
	tr, err := brain.NewTraceRecorder(n, 100)
	if err != nil {
		log.Fatal(err)
	}
	for step := 0; step < 10; step++ {
		n.Forward([]float32{1, 0, -1, 0.5})
		tr.Record()
		n.Update()
	}
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	if err := tr.Save(filepath.Join(dir, "trace.npz"), brain.Meta{Env: "toy"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(tr.Steps(), "steps recorded")
	// Output: 10 steps recorded
}

func ExampleDecode() {
	_, err := brain.Decode([]byte("not a rule file"))
	fmt.Println(err)
	// Output: brain: rule file: not an .npz (zip) archive: zip: not a valid zip file
}
