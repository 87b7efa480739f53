package brain

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// fuzzSeeds are small valid files of every kind the loader knows, the
// starting points for mutation. The committed corpus under
// testdata/fuzz/FuzzDecode holds these and what fuzzing found interesting;
// HEBBSIM_WRITE_CORPUS=1 go test -run TestWriteFuzzCorpus rewrites the
// seeds.
func fuzzSeeds(t testing.TB) [][]byte {
	var out [][]byte
	for _, a := range []Arch{
		{Layers: []int{3, 2}, Rule: "A"},
		{Layers: []int{2, 3, 2}, Rule: "ABCD_lr_D_in_and_out", Normalize: true},
		{Layers: []int{3, 2}, Rule: "static", Output: OutputLinear},
	} {
		n := newRandNet(t, a, 1, 1)
		var buf bytes.Buffer
		if err := FromNetwork(n, testMeta()).Encode(&buf); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.Bytes())
		// A trace of the same network.
		tr, err := NewTraceRecorder(n, 2)
		if err != nil {
			t.Fatal(err)
		}
		tr.Record()
		buf.Reset()
		if err := tr.encode(&buf, testMeta()); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	return out
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := DecodeTrace(data); err == nil {
			return
		}
		rf, err := Decode(data)
		if err != nil {
			if bytes.ContainsRune([]byte(err.Error()), '\n') {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		// Whatever loads must build a network and survive a round trip.
		n, err := rf.NewNetwork()
		if err != nil {
			t.Fatalf("Decode accepted a file NewNetwork rejects: %v", err)
		}
		var buf bytes.Buffer
		if err := FromNetwork(n, rf.Meta).Encode(&buf); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		rf2, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		n2, err := rf2.NewNetwork()
		if err != nil {
			t.Fatal(err)
		}
		p, q := make([]float64, n.NumParams()), make([]float64, n2.NumParams())
		n.Params(p)
		n2.Params(q)
		if !slices.Equal(p, q) {
			t.Fatal("genome changed in a round trip")
		}
	})
}

func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("HEBBSIM_WRITE_CORPUS") == "" {
		t.Skip("set HEBBSIM_WRITE_CORPUS=1 to rewrite the fuzz seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range fuzzSeeds(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
