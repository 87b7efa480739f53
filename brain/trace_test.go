package brain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestTraceReplay records an episode, saves and reloads the trace, and
// replays the rule equation (reference, independent of the update
// kernels) on each step's pre, post and w: it must give w_{t+1}.
func TestTraceReplay(t *testing.T) {
	for _, tc := range []struct {
		rule string
		norm bool
	}{{"ABCD_lr", false}, {"ABCD_lr", true}, {"ABCD_lr_D_in_and_out", true}, {"AD", false}} {
		t.Run(fmt.Sprintf("%s/norm=%v", tc.rule, tc.norm), func(t *testing.T) {
			n := newRandNet(t, Arch{Layers: []int{6, 5, 3}, Rule: tc.rule, Normalize: tc.norm}, 0.3, 8)
			const T = 12
			tr, err := NewTraceRecorder(n, T+5)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 1))
			var obs0 []float32
			for step := range T {
				obs := randObs(rng, 6)
				if step == 0 {
					obs0 = obs
				}
				n.Forward(obs)
				tr.Record() // after the env step, before Update
				n.Update()
			}
			path := filepath.Join(t.TempDir(), "trace.npz")
			if err := tr.Save(path, testMeta()); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := DecodeTrace(data)
			if err != nil {
				t.Fatal(err)
			}
			if got.Meta.Steps != T || got.Meta.Kind != "trace" {
				t.Fatalf("trace meta: steps %d kind %q, want %d, trace", got.Meta.Steps, got.Meta.Kind, T)
			}
			for i, v := range obs0 {
				if got.Pre[0][i] != v {
					t.Fatalf("pre_0[0] = %v, want the first observation %v", got.Pre[0][:6], obs0)
				}
			}
			r := n.Rule()
			for l, L := range n.Layers() {
				in, out := L.In, L.Out
				for step := range T {
					w0 := got.W[l][step*in*out : (step+1)*in*out]
					w1 := got.W[l][(step+1)*in*out : (step+2)*in*out]
					want := make([]float64, in*out)
					m := 0.0
					for j := range out {
						for i := range in {
							c := map[string]float32{}
							for k, name := range r.CoeffNames {
								c[name] = got.Coeffs[l][(j*in+i)*r.K+k]
							}
							s := j*in + i
							want[s] = float64(w0[s] + reference(r.Name, c, got.Pre[l][step*in+i], got.Post[l][step*out+j]))
							m = max(m, math.Abs(want[s]))
						}
					}
					for s := range want {
						if tc.norm {
							want[s] /= m
						}
						if d := math.Abs(want[s] - float64(w1[s])); d > 1e-5*(1+math.Abs(want[s])) {
							t.Fatalf("layer %d step %d synapse %d: replay gives %v, trace has %v", l, step, s, want[s], w1[s])
						}
					}
				}
				// The last w is the network's current weights.
				last := got.W[l][T*in*out:]
				for s := range last {
					if last[s] != L.W[s] {
						t.Fatalf("layer %d: w_%d[T] is not the final weights", l, l)
					}
				}
			}
		})
	}
}

func TestTracePython(t *testing.T) {
	py := numpyPython(t)
	n := newRandNet(t, Arch{Layers: []int{6, 5, 3}, Normalize: true}, 0.3, 8)
	tr, err := NewTraceRecorder(n, 10)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		n.Forward(make([]float32, 6))
		tr.Record()
		n.Update()
	}
	path := filepath.Join(t.TempDir(), "trace.npz")
	if err := tr.Save(path, testMeta()); err != nil {
		t.Fatal(err)
	}
	script := `import json, sys, numpy
d = numpy.load(sys.argv[1], allow_pickle=False)
print(sorted((k, d[k].shape) for k in d.files if k != "meta"), json.loads(bytes(d["meta"]))["steps"])`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	want := "[('coeffs_0', (5, 6, 5)), ('coeffs_1', (3, 5, 5)), ('post_0', (4, 5)), ('post_1', (4, 3)), ('pre_0', (4, 6)), ('pre_1', (4, 5)), ('w_0', (5, 5, 6)), ('w_1', (5, 3, 5))] 4\n"
	if string(out) != want {
		t.Errorf("python sees %s want %s", out, want)
	}
}

func TestTraceLimits(t *testing.T) {
	n := MustNewNetwork(Arch{Layers: []int{CNNFeatures, 128, 64, 3}})
	if _, err := NewTraceRecorder(n, 1<<20); err == nil || !strings.Contains(err.Error(), "MB") {
		t.Errorf("a 1M-step racer trace: have %v, want a size error", err)
	}
	if _, err := NewTraceRecorder(n, 0); err == nil {
		t.Error("a 0-step trace was accepted")
	}
	// A rule file is not a trace, and the other way round.
	small := newRandNet(t, Arch{Layers: []int{3, 2}}, 1, 1)
	path := filepath.Join(t.TempDir(), "r.npz")
	if err := FromNetwork(small, testMeta()).Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if _, err := DecodeTrace(data); err == nil || !strings.Contains(err.Error(), "not a trace") {
		t.Errorf("DecodeTrace of a rule file: %v", err)
	}
}

// The in-memory trace is what the file holds.
func TestTraceInMemoryMatchesFile(t *testing.T) {
	n := newRandNet(t, Arch{Layers: []int{6, 5, 3}, Normalize: true}, 0.3, 8)
	tr, err := NewTraceRecorder(n, 10)
	if err != nil {
		t.Fatal(err)
	}
	obs := []float32{0.1, -0.2, 0.3, 0.5, -0.7, 0.9}
	for range 4 {
		n.Forward(obs)
		tr.Record()
		n.Update()
	}
	path := filepath.Join(t.TempDir(), "trace.npz")
	if err := tr.Save(path, testMeta()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	file, err := DecodeTrace(data)
	if err != nil {
		t.Fatal(err)
	}
	mem := tr.Trace(testMeta())
	if mem.Meta.Steps != file.Meta.Steps || mem.Meta.Kind != file.Meta.Kind {
		t.Errorf("meta: have steps %d kind %q, want %d %q", mem.Meta.Steps, mem.Meta.Kind, file.Meta.Steps, file.Meta.Kind)
	}
	for name, pair := range map[string][2][][]float32{"pre": {mem.Pre, file.Pre}, "post": {mem.Post, file.Post}, "w": {mem.W, file.W}, "coeffs": {mem.Coeffs, file.Coeffs}} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s differs between Trace() and the decoded file", name)
		}
	}
}
