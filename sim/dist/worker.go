package dist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hebbsim/hebbsim/sim"
)

// WorkerOptions set up a worker. Zero values are documented per field.
type WorkerOptions struct {
	Queue string // as the coordinator's Options.Queue; "": "hebb"
	Slots int    // episodes run at once; 0: all cores
	ID    string // name in the coordinator's messages; "": host-pid
	// Log receives one-line messages (joined a run, errors); nil: none.
	Log func(string)
	// JobStarted, when set, is called as each job starts (tests use it to
	// kill a worker mid-job).
	JobStarted func(gen, index int)
	// JobDelay, when set, is slept inside every job (tests only: it widens
	// the window in which a job is in flight).
	JobDelay time.Duration
}

// Worker takes jobs from the queue and sends their results back, Slots at
// a time, each slot with its own environment and network.
type Worker struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	n    names
	opts WorkerOptions
	busy atomic.Int64
	// waitSaid: "waiting for a coordinator" was said since the last job.
	waitSaid atomic.Bool
	done     atomic.Int64

	mu      sync.Mutex
	spec    *genSpec      // the generation most recently fetched
	ackWait time.Duration // the consumer's, read once
}

// slotPool is one slot: a one-worker pool and a candidate buffer.
type slotPool struct {
	pool    *sim.Pool
	params  []float64
	cand    string // "run/gen/candidate" that params holds
	poolRun string // the run pool was built for
}

// NewWorker makes a worker on connection nc.
func NewWorker(nc *nats.Conn, opts WorkerOptions) (*Worker, error) {
	if opts.Queue == "" {
		opts.Queue = "hebb"
	}
	if opts.Slots <= 0 {
		opts.Slots = runtime.GOMAXPROCS(0)
	}
	if opts.ID == "" {
		h, _ := os.Hostname()
		opts.ID = fmt.Sprintf("%s-%d", h, os.Getpid())
	}
	if opts.Log == nil {
		opts.Log = func(string) {}
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	return &Worker{nc: nc, js: js, n: names{opts.Queue}, opts: opts}, nil
}

// Run serves jobs until ctx ends, then says goodbye to the coordinator.
func (w *Worker) Run(ctx context.Context) error {
	hbCtx, stopHB := context.WithCancel(ctx)
	go w.heartbeat(hbCtx)
	var wg sync.WaitGroup
	errc := make(chan error, w.opts.Slots)
	for i := 0; i < w.opts.Slots; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.loop(ctx); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	stopHB()
	w.nc.Publish(w.n.heartbeat(), encodeJSON(heartbeat{ID: w.opts.ID, Bye: true}))
	w.nc.Flush()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// Done is the number of jobs this worker has finished.
func (w *Worker) Done() int64 { return w.done.Load() }

func (w *Worker) heartbeat(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		w.nc.Publish(w.n.heartbeat(), encodeJSON(heartbeat{ID: w.opts.ID, Slots: w.opts.Slots, Busy: int(w.busy.Load()), Done: w.done.Load()}))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// loop is one slot: fetch a job, run it, send the result, ack the job.
func (w *Worker) loop(ctx context.Context) error {
	var cons jetstream.Consumer
	var sp *slotPool
	for ctx.Err() == nil {
		if w.nc.IsClosed() {
			return errors.New("the connection to the broker is closed")
		}
		if cons == nil {
			c, err := w.js.Consumer(ctx, w.n.jobsStream(), w.n.consumer())
			if err != nil {
				if w.waitSaid.CompareAndSwap(false, true) {
					w.opts.Log("waiting for a coordinator to start a run")
				}
				sleep(ctx, time.Second)
				continue
			}
			cons = c
		}
		msg, err := cons.Next(jetstream.FetchMaxWait(2 * time.Second))
		if err != nil {
			if !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
				cons = nil // the stream may have been recreated by a new coordinator
				sleep(ctx, 500*time.Millisecond)
			}
			continue
		}
		w.waitSaid.Store(false) // say it again only after this run
		var j jobMsg
		if err := json.Unmarshal(msg.Data(), &j); err != nil {
			msg.Term() // not a job: never redeliver it
			continue
		}
		spec, err := w.generation(ctx, j.Run, j.Eval)
		if errors.Is(err, errStale) {
			msg.Term() // the generation is over: a leftover duplicate
			continue
		}
		var fe fetchErr
		if errors.As(err, &fe) {
			w.opts.Log(err.Error() + " (the job goes back to the queue)")
			msg.NakWithDelay(time.Second)
			sleep(ctx, time.Second)
			continue
		}
		if err == nil {
			sp, err = w.slot(sp, spec)
		}
		if err != nil {
			w.reply(msg, &resultMsg{Run: j.Run, Eval: j.Eval, Gen: j.Gen, Index: j.Index, Worker: w.opts.ID, Err: err.Error()})
			continue
		}
		w.runJob(ctx, msg, &j, sp, spec)
	}
	return nil
}

var errStale = errors.New("dist: stale job")

// fetchErr is a failure to fetch a generation (the network, the broker):
// worth another try, unlike a generation this worker cannot run.
type fetchErr struct{ error }

// slot returns a slot ready for spec's run (pools are built once a run).
func (w *Worker) slot(sp *slotPool, spec *genSpec) (*slotPool, error) {
	if sp != nil && sp.poolRun == spec.Run {
		return sp, nil
	}
	pool, _, _, err := sim.NewTrainPool(spec.Cfg, 1)
	if err != nil {
		return sp, err
	}
	if pool.NumParams() != len(spec.Theta) {
		return sp, fmt.Errorf("the network has %d parameters, θ %d", pool.NumParams(), len(spec.Theta))
	}
	return &slotPool{pool: pool, params: make([]float64, len(spec.Theta)), poolRun: spec.Run}, nil
}

// generation returns the spec of evaluation eval of run, fetching it once.
func (w *Worker) generation(ctx context.Context, run string, eval int) (*genSpec, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.spec != nil && w.spec.Run == run && w.spec.Eval == eval {
		return w.spec, nil
	}
	obj, err := w.js.ObjectStore(ctx, w.n.bucket())
	if errors.Is(err, jetstream.ErrBucketNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, errStale // the run is gone
	}
	if err != nil {
		return nil, fetchErr{fmt.Errorf("opening the generation store: %v", err)}
	}
	data, err := obj.GetBytes(ctx, genObject(run, eval))
	if err != nil {
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			return nil, errStale
		}
		return nil, fetchErr{fmt.Errorf("fetching evaluation %d of run %s: %v", eval, run, err)}
	}
	spec, err := decodeSpec(data)
	if err != nil {
		return nil, err
	}
	if spec.Run != run || spec.Eval != eval {
		return nil, errStale
	}
	if w.spec == nil || w.spec.Run != run {
		w.ackWait = 0 // a new coordinator may have another
		w.opts.Log(fmt.Sprintf("joined run %s: %s, %d parameters", run, spec.Cfg.Env, len(spec.Theta)))
	}
	w.spec = spec
	return spec, nil
}

func (w *Worker) runJob(ctx context.Context, msg jetstream.Msg, j *jobMsg, sp *slotPool, spec *genSpec) {
	w.busy.Add(1)
	defer w.busy.Add(-1)
	if w.opts.JobStarted != nil {
		w.opts.JobStarted(j.Gen, j.Index)
	}
	// Signs of life while the episode runs, so the broker does not hand
	// a long episode to another worker.
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(w.progressEvery(ctx))
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	}()
	res, err := w.evaluate(j, sp, spec)
	close(stop)
	r := &resultMsg{Run: j.Run, Eval: j.Eval, Gen: j.Gen, Index: j.Index, Worker: w.opts.ID, Res: res}
	if err != nil {
		r.Err = err.Error()
	}
	if md, err := msg.Metadata(); err == nil {
		r.Delivered = int(md.NumDelivered)
	}
	w.reply(msg, r)
	w.done.Add(1)
}

func (w *Worker) evaluate(j *jobMsg, sp *slotPool, spec *genSpec) (sim.Result, error) {
	key := fmt.Sprintf("%s/%d/%d", j.Run, j.Eval, j.Candidate)
	if sp.cand != key {
		b := sim.Batch{Gen: spec.Gen, Theta: spec.Theta, Sigma: spec.Sigma, NoiseSeed: spec.NoiseSeed, Pop: spec.Pop}
		b.Candidate(sp.params, j.Candidate)
		sp.cand = key
	}
	if w.opts.JobDelay > 0 {
		time.Sleep(w.opts.JobDelay)
	}
	jobs := []sim.Job{j.job()}
	jobs[0].Candidate = 0
	res, err := sp.pool.Run([][]float64{sp.params}, jobs)
	if err != nil {
		return sim.Result{}, err
	}
	return res[0], nil
}

// reply publishes r (deduplicated by the broker on the job id) and then
// acknowledges the job: a worker killed in between leaves the job to be
// redelivered and its result, if it got out, counted once.
func (w *Worker) reply(msg jetstream.Msg, r *resultMsg) {
	id := fmt.Sprintf("%s.%d.%d.%d", r.Run, r.Eval, r.Index, r.Delivered)
	// Not ctx: a worker asked to leave still delivers the episode it ran.
	pctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := w.js.Publish(pctx, w.n.results(), encodeResult(r), jetstream.WithMsgID(id)); err != nil {
		w.opts.Log(fmt.Sprintf("sending result of job %d: %v (the job will be redelivered)", r.Index, err))
		return
	}
	msg.Ack()
}

// progressEvery is a third of the consumer's AckWait.
func (w *Worker) progressEvery(ctx context.Context) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ackWait == 0 {
		w.ackWait = 10 * time.Second
		if c, err := w.js.Consumer(ctx, w.n.jobsStream(), w.n.consumer()); err == nil {
			if aw := c.CachedInfo().Config.AckWait; aw > 0 {
				w.ackWait = aw
			}
		}
	}
	return max(w.ackWait/3, 100*time.Millisecond)
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
