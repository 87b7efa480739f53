package sim

import (
	"math"
	"testing"
)

// rebuildEval evaluates as a remote worker would: it ignores Params,
// rebuilds every candidate from θ and the noise seed, and runs the jobs in
// reverse order on a pool of its own.
type rebuildEval struct {
	pool  *Pool
	calls int
}

func (r *rebuildEval) Evaluate(b *Batch) ([]Result, error) {
	r.calls++
	params := make([][]float64, len(b.Params))
	for i := range params {
		params[i] = make([]float64, len(b.Theta))
		b.Candidate(params[i], i)
	}
	out := make([]Result, len(b.Jobs))
	for i := len(b.Jobs) - 1; i >= 0; i-- {
		res, err := r.pool.Run(params, b.Jobs[i:i+1])
		if err != nil {
			return nil, err
		}
		out[i] = res[0]
	}
	return out, nil
}

func TestTrainerEvaluatorRebuildsSameRun(t *testing.T) {
	local, err := NewTrainer(toyConfig("ABCD_lr"), 2)
	if err != nil {
		t.Fatal(err)
	}
	runGens(t, local, 3)
	remote, _ := NewTrainer(toyConfig("ABCD_lr"), 1)
	pool, _, _, err := NewTrainPool(remote.Cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	ev := &rebuildEval{pool: pool}
	remote.SetEvaluator(ev)
	runGens(t, remote, 3)
	if ev.calls != 3 {
		t.Fatalf("evaluator called %d times, want 3", ev.calls)
	}
	a, b := local.Centre(), remote.Centre()
	for j := range a {
		if math.Float64bits(a[j]) != math.Float64bits(b[j]) {
			t.Fatalf("θ[%d]: local pool %v, rebuilt candidates %v", j, a[j], b[j])
		}
	}
	if !sameHistory(local.History, remote.History) {
		t.Errorf("histories differ:\nlocal:  %+v\nremote: %+v", local.History, remote.History)
	}
}
