package brain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

func testMeta() Meta {
	return Meta{Env: "quadruped", Obs: "rays", Provenance: Provenance{Generations: 3, Fitness: 12.5, Seed: 42, Command: "hebb evolve", Date: "2026-11-27T03:00:00Z", Version: "test"}}
}

func TestRuleFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	archs := []Arch{
		{Layers: []int{CNNFeatures, 16, 3}, CNN: true, Output: OutputRacer, Normalize: true},
		{Layers: []int{7, 5, 4}, Rule: "static", Output: OutputLinear, Init: Init{Dist: "xavier"}},
	}
	for _, r := range Rules() {
		archs = append(archs, Arch{Layers: []int{9, 6, 2}, Rule: r.Name, Init: Init{Dist: "normal", Scale: 0.05}})
	}
	for _, a := range archs {
		name := a.Rule
		if a.CNN {
			name = "cnn"
		}
		t.Run(name, func(t *testing.T) {
			n := newRandNet(t, a, 1, 11)
			path := filepath.Join(dir, name+".npz")
			if err := FromNetwork(n, testMeta()).Save(path); err != nil {
				t.Fatal(err)
			}
			rf, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			m := rf.Meta
			if m.FormatVersion != FormatVersion || m.Kind != "rules" || m.Env != "quadruped" || m.Provenance.Seed != 42 || m.Rule != n.Rule().Name || !slices.Equal(m.Layers, a.Layers) {
				t.Errorf("meta did not survive: %+v", m)
			}
			back, err := rf.NewNetwork()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := back.Arch(), n.Arch(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("arch: have %+v, want %+v", got, want)
			}
			p, q := make([]float64, n.NumParams()), make([]float64, back.NumParams())
			n.Params(p)
			back.Params(q)
			if !slices.Equal(p, q) {
				t.Error("genome changed on the way through the file")
			}
			// Decode (embedded files) sees the same thing.
			data, _ := os.ReadFile(path)
			rf2, err := Decode(data)
			if err != nil || !slices.Equal(rf2.Meta.Layers, rf.Meta.Layers) {
				t.Errorf("Decode: %v", err)
			}
		})
	}
}

// TestRuleFileNpyio reads a saved file with the npyio library, a second
// implementation of the format.
func TestRuleFileNpyio(t *testing.T) {
	n := newRandNet(t, Arch{Layers: []int{CNNFeatures, 8, 3}, CNN: true, Output: OutputRacer}, 1, 2)
	path := filepath.Join(t.TempDir(), "r.npz")
	if err := FromNetwork(n, testMeta()).Save(path); err != nil {
		t.Fatal(err)
	}
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := map[string][]int{"meta.npy": nil, "coeffs_0.npy": {8, CNNFeatures, 5}, "coeffs_1.npy": {3, 8, 5}, "conv_0.npy": Conv0Shape, "conv_1.npy": Conv1Shape}
	keys := r.Keys()
	slices.Sort(keys)
	if len(keys) != len(want) {
		t.Fatalf("npyio sees arrays %v", keys)
	}
	for k, shape := range want {
		h := r.Header(k)
		if h == nil {
			t.Fatalf("npyio: no header for %s", k)
		}
		if shape != nil && !slices.Equal(h.Descr.Shape, shape) {
			t.Errorf("npyio: %s has shape %v, want %v", k, h.Descr.Shape, shape)
		}
	}
	var c []float32
	if err := r.Read("coeffs_1.npy", &c); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c, n.Layers()[1].Coeffs) {
		t.Error("npyio reads different coeffs_1")
	}
	var meta []uint8
	if err := r.Read("meta.npy", &meta); err != nil {
		t.Fatal(err)
	}
	var m Meta
	if err := json.Unmarshal(meta, &m); err != nil || m.Rule != "ABCD_lr" {
		t.Errorf("npyio meta: %v %+v", err, m)
	}
}

// TestRuleFilePython opens a saved rule file with numpy, as a researcher
// would (skipped without python3 and numpy).
func TestRuleFilePython(t *testing.T) {
	py := numpyPython(t)
	n := newRandNet(t, Arch{Layers: []int{CNNFeatures, 8, 3}, CNN: true, Output: OutputRacer, Rule: "ABCD_lr_D_in_and_out"}, 1, 2)
	path := filepath.Join(t.TempDir(), "r.npz")
	if err := FromNetwork(n, testMeta()).Save(path); err != nil {
		t.Fatal(err)
	}
	script := `import json, sys, numpy
d = numpy.load(sys.argv[1], allow_pickle=False)
m = json.loads(bytes(d["meta"]))
print(sorted((k, d[k].shape, str(d[k].dtype)) for k in d.files))
print(m["rule"], m["coeff_names"], m["layers"], m["provenance"]["seed"])
print(repr(float(d["coeffs_1"][2, 7, 4])))`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	c := n.Layers()[1].Coeffs[(2*8+7)*6+4]
	want := fmt.Sprintf(`[('coeffs_0', (8, 648, 6), 'float32'), ('coeffs_1', (3, 8, 6), 'float32'), ('conv_0', (6, 3, 3, 3), 'float32'), ('conv_1', (8, 6, 5, 5), 'float32'), ('meta', (%d,), 'uint8')]
ABCD_lr_D_in_and_out ['A', 'B', 'C', 'D_in', 'eta', 'D_out'] [648, 8, 3] 42
%s
`, len(mustJSON(t, path)), pyFloat(c))
	if string(out) != want {
		t.Errorf("python sees\n%s\nwant\n%s", out, want)
	}
}

// numpyPython finds a python3 that imports numpy (a pyenv shim may shadow
// the system one that has python3-numpy), or skips the test.
func numpyPython(t *testing.T) string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import numpy").Run() == nil {
			return py
		}
	}
	t.Skip("no python3 with numpy")
	return ""
}

func mustJSON(t *testing.T, path string) []byte {
	data, _ := os.ReadFile(path)
	r, err := newNPZReader(data)
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := r.read("meta", "|u1", nil, maxMetaLen)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// pyFloat formats a float32 as Python's repr(float(x)) does.
func pyFloat(v float32) string {
	s := fmt.Sprint(float64(v))
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// rawFile builds an .npz from a meta document and arrays, for bad files.
type rawArray struct {
	name  string
	shape []int
	data  []float32
	descr string // "" = <f4
}

func rawFile(t *testing.T, meta any, arrays ...rawArray) []byte {
	t.Helper()
	var buf bytes.Buffer
	nw := newNPZWriter(&buf)
	var mj []byte
	switch m := meta.(type) {
	case []byte:
		mj = m
	default:
		var err error
		if mj, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := nw.bytes("meta", mj); err != nil {
		t.Fatal(err)
	}
	for _, a := range arrays {
		if a.descr == "" {
			if err := nw.float32s(a.name, a.shape, a.data); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, _ := nw.entry(a.name)
		w.Write(npyHeader(a.descr, a.shape))
		w.Write(make([]byte, 8*numel(a.shape)))
	}
	if err := nw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBadRuleFiles(t *testing.T) {
	n := newRandNet(t, Arch{Layers: []int{4, 3, 2}, Rule: "AD"}, 1, 1)
	good := FromNetwork(n, testMeta())
	var buf bytes.Buffer
	if err := good.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	valid := buf.Bytes()
	if _, err := Decode(valid); err != nil {
		t.Fatalf("valid file rejected: %v", err)
	}
	meta := func(edit func(*Meta)) Meta { m := good.Meta; edit(&m); return m }
	c0 := rawArray{"coeffs_0", []int{3, 4, 2}, good.Coeffs[0], ""}
	c1 := rawArray{"coeffs_1", []int{2, 3, 2}, good.Coeffs[1], ""}
	with := func(a rawArray, i int, v float32) rawArray {
		a.data = slices.Clone(a.data)
		a.data[i] = v
		return a
	}
	cases := []struct {
		name string
		data []byte
		msg  string
	}{
		{"not a zip", []byte("this is not a rule file at all"), "not an .npz (zip) archive"},
		{"empty", nil, "not an .npz (zip) archive"},
		{"truncated", valid[:len(valid)*2/3], "not an .npz (zip) archive"},
		{"no meta", rawFileNoMeta(t), `"meta" is missing`},
		{"meta not JSON", rawFile(t, []byte("{rule: A"), c0, c1), "meta is not valid JSON"},
		{"wrong version", rawFile(t, meta(func(m *Meta) { m.FormatVersion = 2 }), c0, c1), "format_version 2 is not supported"},
		{"no version", rawFile(t, meta(func(m *Meta) { m.FormatVersion = 0 }), c0, c1), "format_version 0 is not supported"},
		{"unknown rule", rawFile(t, meta(func(m *Meta) { m.Rule = "ABX" }), c0, c1), `unknown rule "ABX"`},
		{"coeff names", rawFile(t, meta(func(m *Meta) { m.CoeffNames = []string{"D", "A"} }), c0, c1), "coeff_names"},
		{"unknown output", rawFile(t, meta(func(m *Meta) { m.Output = "softmax" }), c0, c1), `unknown output "softmax"`},
		{"absurd width", rawFile(t, meta(func(m *Meta) { m.Layers = []int{4, 1 << 30, 2} }), c0, c1), "out of range"},
		{"absurd synapses", rawFile(t, meta(func(m *Meta) { m.Layers = []int{40000, 40000, 40000} }), c0, c1), "more than the limit"},
		{"one layer", rawFile(t, meta(func(m *Meta) { m.Layers = []int{4} })), "at least"},
		{"wrong shape", rawFile(t, good.Meta, rawArray{"coeffs_0", []int{4, 3, 2}, good.Coeffs[0], ""}, c1), `"coeffs_0" has shape (4, 3, 2), want (3, 4, 2)`},
		{"wrong dtype", rawFile(t, good.Meta, rawArray{"coeffs_0", []int{3, 4, 2}, nil, "<f8"}, c1), `"coeffs_0" has dtype <f8, want <f4`},
		{"NaN", rawFile(t, good.Meta, with(c0, 5, float32(math.NaN())), c1), `"coeffs_0" holds NaN at flat index 5`},
		{"Inf", rawFile(t, good.Meta, c0, with(c1, 11, float32(math.Inf(-1)))), `"coeffs_1" holds -Inf at flat index 11`},
		{"missing array", rawFile(t, good.Meta, c0), `"coeffs_1" is missing`},
		{"extra array", rawFile(t, good.Meta, c0, c1, rawArray{"weights_0", []int{3, 4}, make([]float32, 12), ""}), `unexpected array "weights_0"`},
		{"a trace", rawFile(t, meta(func(m *Meta) { m.Kind = "trace" }), c0, c1), `is a "trace", not a rule file`},
	}
	for _, tc := range cases {
		_, err := Decode(tc.data)
		switch {
		case err == nil:
			t.Errorf("%s: accepted", tc.name)
		case !strings.Contains(err.Error(), tc.msg):
			t.Errorf("%s: have error %q, want one containing %q", tc.name, err, tc.msg)
		case strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error is not one line: %q", tc.name, err)
		}
	}
	// Load names the file, and refuses what is not there.
	path := filepath.Join(t.TempDir(), "bad.npz")
	os.WriteFile(path, []byte("nope"), 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load bad file: %v", err)
	}
	if _, err := Load(path + ".missing"); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("Load missing file: %v", err)
	}
}

func rawFileNoMeta(t *testing.T) []byte {
	var buf bytes.Buffer
	nw := newNPZWriter(&buf)
	nw.float32s("coeffs_0", []int{1}, []float32{1})
	nw.Close()
	return buf.Bytes()
}

func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.npz")
	n := newRandNet(t, Arch{Layers: []int{3, 2}}, 1, 1)
	rf := FromNetwork(n, testMeta())
	if err := rf.Save(path); err != nil {
		t.Fatal(err)
	}
	// A failing save (meta that JSON cannot hold) leaves the old file and
	// no temporary behind.
	bad := FromNetwork(n, testMeta())
	bad.Meta.Provenance.Fitness = math.NaN()
	if err := bad.Save(path); err == nil {
		t.Fatal("saving a NaN fitness should fail")
	}
	if _, err := Load(path); err != nil {
		t.Errorf("old file damaged by a failed save: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after a failed save, want 1", len(ents))
	}
}
