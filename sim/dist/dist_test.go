package dist

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/hebbsim/hebbsim/brain/evolve"
	"github.com/hebbsim/hebbsim/sim"
)

func tinyConfig() sim.TrainConfig {
	return sim.TrainConfig{
		Env: "quadruped", MaxSteps: 60, Seed: 5, EvalCentre: true,
		Protocol: sim.Protocol{Morphologies: []string{"healthy", "FL-short"}, Common: true,
			Damage: sim.MidDamage{Prob: 0.5, From: 10, To: 40}},
		ES: evolve.Config{Pop: 6, LR: 0.2, Sigma: 0.1},
	}
}

// cluster is an embedded server, a coordinator and its status lines.
type cluster struct {
	srv   *Server
	coord *Coordinator
	mu    sync.Mutex
	lines []string
}

func (c *cluster) said(sub string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}

func newCluster(t *testing.T, cfg sim.TrainConfig, ackWait time.Duration) *cluster {
	t.Helper()
	srv, err := Serve("127.0.0.1:0", Security{Token: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	nc, err := srv.Connect("coordinator")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	c := &cluster{srv: srv}
	c.coord, err = NewCoordinator(nc, Options{Cfg: cfg, AckWait: ackWait, StatusEvery: 300 * time.Millisecond,
		Status: func(s string) { c.mu.Lock(); c.lines = append(c.lines, s); c.mu.Unlock(); t.Log("coordinator: " + s) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.coord.Close)
	return c
}

// startWorker runs a worker over TCP until the test ends or stop is called.
func startWorker(t *testing.T, url, id string, opts WorkerOptions) (stop func()) {
	t.Helper()
	nc, err := Dial(url, id, Security{Token: "s3cret"}, false)
	if err != nil {
		t.Fatal(err)
	}
	opts.ID = id
	w, err := NewWorker(nc, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done; nc.Close() }) }
	t.Cleanup(stop)
	return stop
}

func localRun(t *testing.T, cfg sim.TrainConfig, gens int) *sim.Trainer {
	tr, err := sim.NewTrainer(cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	for tr.Gen() < gens {
		if _, err := tr.Step(); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func sameTheta(t *testing.T, a, b []float64) {
	t.Helper()
	for j := range a {
		if math.Float64bits(a[j]) != math.Float64bits(b[j]) {
			t.Fatalf("θ[%d]: local %v, distributed %v", j, a[j], b[j])
		}
	}
}

func TestDistributedEqualsLocal(t *testing.T) {
	const gens = 3
	cfg := tinyConfig()
	want := localRun(t, cfg, gens)

	tr, err := sim.NewTrainer(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := newCluster(t, tr.Cfg, 5*time.Second)
	tr.SetEvaluator(c.coord)
	startWorker(t, c.srv.URL(), "w1", WorkerOptions{Slots: 2})
	startWorker(t, c.srv.URL(), "w2", WorkerOptions{Slots: 1})
	for tr.Gen() < gens {
		if _, err := tr.Step(); err != nil {
			t.Fatal(err)
		}
	}
	sameTheta(t, want.Centre(), tr.Centre())
	st := c.coord.Stats()
	if st.Results != st.Jobs || st.Jobs == 0 {
		t.Errorf("stats %+v: want one result per job", st)
	}
	in, out := c.srv.Bytes()
	t.Logf("stats %+v; %d bytes in, %d out: %.0f bytes per evaluation", st, in, out, float64(in+out)/float64(st.Results))
}

// A worker that takes a job and dies without acknowledging it: the job
// comes back after AckWait and the run's result does not change.
func TestRedeliveryAfterSilentWorker(t *testing.T) {
	cfg := tinyConfig()
	want := localRun(t, cfg, 2)
	tr, _ := sim.NewTrainer(cfg, 1)
	c := newCluster(t, tr.Cfg, 700*time.Millisecond)
	tr.SetEvaluator(c.coord)

	// The "dead" worker: grabs two jobs once the first generation is out,
	// and never answers.
	grabbed := make(chan int, 1)
	go func() {
		nc, err := Dial(c.srv.URL(), "dead", Security{Token: "s3cret"}, false)
		if err != nil {
			grabbed <- -1
			return
		}
		defer nc.Close()
		js, _ := jetstream.New(nc)
		n := 0
		for deadline := time.Now().Add(10 * time.Second); n < 2 && time.Now().Before(deadline); {
			cons, err := js.Consumer(context.Background(), c.coord.n.jobsStream(), c.coord.n.consumer())
			if err != nil {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			if _, err := cons.Next(jetstream.FetchMaxWait(200 * time.Millisecond)); err == nil {
				n++
			}
		}
		grabbed <- n
	}()
	done := make(chan error, 1)
	go func() { _, err := tr.Step(); done <- err }()
	if n := <-grabbed; n != 2 {
		t.Fatalf("the silent worker got %d jobs, want 2", n)
	}
	startWorker(t, c.srv.URL(), "w1", WorkerOptions{Slots: 2})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Step(); err != nil {
		t.Fatal(err)
	}
	sameTheta(t, want.Centre(), tr.Centre())
	if st := c.coord.Stats(); st.Redelivered < 2 {
		t.Errorf("stats %+v: want ≥ 2 redelivered jobs", st)
	}
}

// Results that arrive twice (a slow worker and the one the job was
// redelivered to) are counted once; results of other runs are ignored.
func TestDuplicateResultsCountedOnce(t *testing.T) {
	cfg := tinyConfig()
	want := localRun(t, cfg, 1)
	tr, _ := sim.NewTrainer(cfg, 1)
	c := newCluster(t, tr.Cfg, 5*time.Second)
	tr.SetEvaluator(c.coord)
	nc, err := Dial(c.srv.URL(), "echo", Security{Token: "s3cret"}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	// Before any worker: a wrong result for job 0 from another run, and
	// the true results of jobs 0 and 1 twice each, as if two workers
	// had run them.
	ctx := context.Background()
	pool, _, _, err := sim.NewTrainPool(tr.Cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := tr.Cfg.Protocol.TrainJobs(pool.Env(), tr.Cfg.Seed, 0, cfg.ES.Pop+1, cfg.ES.Pop)
	if err != nil {
		t.Fatal(err)
	}
	b := sim.Batch{Theta: tr.Centre(), Sigma: tr.ES().State().Sigma, NoiseSeed: tr.ES().Config().Seed, Pop: cfg.ES.Pop}
	params := make([][]float64, cfg.ES.Pop+1)
	for i := range params {
		params[i] = make([]float64, len(b.Theta))
		b.Candidate(params[i], i)
	}
	ref, err := pool.Run(params, jobs[:2])
	if err != nil {
		t.Fatal(err)
	}
	publish := func(r *resultMsg, id string) {
		if _, err := js.Publish(ctx, c.coord.n.results(), encodeResult(r), jetstream.WithMsgID(id)); err != nil {
			t.Fatal(err)
		}
	}
	publish(&resultMsg{Run: "other", Gen: 0, Index: 0, Res: sim.Result{Return: 1e9}}, "x")
	for k := 0; k < 2; k++ {
		for i := 0; i < 2; i++ {
			publish(&resultMsg{Run: c.coord.Run(), Eval: 1, Gen: 0, Index: i, Delivered: 1 + k, Res: ref[i]}, fmt.Sprint(i, k))
		}
	}
	startWorker(t, c.srv.URL(), "w1", WorkerOptions{Slots: 2})
	if _, err := tr.Step(); err != nil {
		t.Fatal(err)
	}
	sameTheta(t, want.Centre(), tr.Centre())
	st := c.coord.Stats()
	if st.Duplicates < 2 || st.Stale < 1 || st.Results != int64(len(jobs)) {
		t.Errorf("stats %+v: want %d results, ≥ 2 duplicates, ≥ 1 stale", st, len(jobs))
	}
}

func TestWaitingForWorkersIsSaid(t *testing.T) {
	cfg := tinyConfig()
	tr, _ := sim.NewTrainer(cfg, 1)
	c := newCluster(t, tr.Cfg, 5*time.Second)
	tr.SetEvaluator(c.coord)
	done := make(chan error, 1)
	go func() { _, err := tr.Step(); done <- err }()
	deadline := time.Now().Add(5 * time.Second)
	for !c.said("waiting for workers (none connected)") {
		if time.Now().After(deadline) {
			t.Fatal("the coordinator never said it was waiting for workers")
		}
		time.Sleep(50 * time.Millisecond)
	}
	startWorker(t, c.srv.URL(), "late", WorkerOptions{Slots: 2})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !c.said("worker late joined") {
		t.Error("the coordinator did not report the worker joining")
	}
}

func TestServeRefusesOpenAddressWithoutToken(t *testing.T) {
	if _, err := Serve("0.0.0.0:0", Security{}); err == nil || !strings.Contains(err.Error(), "--token") {
		t.Fatalf("err = %v, want a refusal naming --token", err)
	}
}

func TestWrongTokenRefused(t *testing.T) {
	srv, err := Serve("127.0.0.1:0", Security{Token: "right"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tok := range []string{"wrong", ""} {
		_, err := Dial(srv.URL(), "w", Security{Token: tok}, false)
		if err == nil || !strings.Contains(err.Error(), "refused") || strings.Contains(err.Error(), "\n") {
			t.Errorf("token %q: err = %v, want one line saying refused", tok, err)
		}
	}
}

func TestResultCodecRoundTrip(t *testing.T) {
	for _, r := range []resultMsg{
		{Run: "ab", Eval: 4, Gen: 3, Index: 7, Delivered: 2, Worker: "h-1", Res: sim.Result{Seed: 99, Return: math.NaN(), Steps: 1000, Distance: -1.5, Reason: "stalled"}},
		{Err: "boom", Res: sim.Result{Return: math.Inf(-1), Tiles: 3, TilesAll: 300, DistanceAtMark: 2,
			LostSteps: 17, SpeedMean: 46.5, ActionAbsMean: []float64{0.09, 0.16, 0}}},
	} {
		got, err := decodeResult(encodeResult(&r))
		if err != nil {
			t.Fatal(err)
		}
		if math.Float64bits(got.Res.Return) != math.Float64bits(r.Res.Return) {
			t.Errorf("return bits differ: %v vs %v", got.Res.Return, r.Res.Return)
		}
		got.Res.Return, r.Res.Return = 0, 0
		if !reflect.DeepEqual(*got, r) {
			t.Errorf("round trip:\nhave %+v\nwant %+v", *got, r)
		}
	}
	if _, err := decodeResult([]byte{0x68, 0x62, 0x72, 0x32, 1}); err == nil {
		t.Error("a truncated result decoded")
	}
}

// A worker asked to leave (Ctrl-C, SIGTERM) in the middle of a job
// finishes it and delivers the result: nothing waits for a redelivery.
func TestLeavingWorkerDeliversItsJob(t *testing.T) {
	cfg := tinyConfig()
	want := localRun(t, cfg, 1)
	tr, _ := sim.NewTrainer(cfg, 1)
	c := newCluster(t, tr.Cfg, time.Minute) // a redelivery would take a minute
	tr.SetEvaluator(c.coord)
	var stop func()
	ready := make(chan struct{})
	var once sync.Once
	stop = startWorker(t, c.srv.URL(), "leaver", WorkerOptions{Slots: 1, JobDelay: 300 * time.Millisecond,
		JobStarted: func(int, int) { once.Do(func() { go func() { <-ready; stop() }() }) }})
	close(ready)
	done := make(chan error, 1)
	go func() { _, err := tr.Step(); done <- err }()
	time.Sleep(time.Second)
	startWorker(t, c.srv.URL(), "stayer", WorkerOptions{Slots: 2})
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the generation waited for a redelivery: the leaving worker dropped its job")
	}
	sameTheta(t, want.Centre(), tr.Centre())
	if st := c.coord.Stats(); st.Redelivered != 0 {
		t.Errorf("stats %+v: want no redelivery", st)
	}
}
