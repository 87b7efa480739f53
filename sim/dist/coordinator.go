package dist

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hebbsim/hebbsim/sim"
)

// Options set up a Coordinator. Zero values are documented per field.
type Options struct {
	// Queue names the streams and subjects of this run on the broker; ""
	// is "hebb". Workers must use the same name.
	Queue string
	// AckWait is how long a job may go without a sign of life from its
	// worker before the broker hands it to another; 0 is 10 s. Workers
	// report progress every AckWait/3, so long episodes are not redelivered.
	AckWait time.Duration
	// Status receives one-line messages: waiting for workers, workers
	// joining and leaving. nil: discarded.
	Status func(string)
	// StatusEvery is how often a waiting coordinator repeats its status;
	// 0 is 5 s.
	StatusEvery time.Duration
	// Cfg is the run's resolved settings, sent to workers with every
	// generation so that they build the same environment and network.
	Cfg sim.TrainConfig
}

// Stats counts what a Coordinator has seen.
type Stats struct {
	Jobs        int64 // jobs published
	Results     int64 // distinct results used
	Duplicates  int64 // results that arrived again and were ignored
	Redelivered int64 // results of jobs the broker delivered more than once
	Stale       int64 // results of other runs or generations, ignored
}

// Coordinator is a sim.Evaluator that publishes a generation's jobs on a
// JetStream work queue and gathers the results that workers send back.
type Coordinator struct {
	nc    *nats.Conn
	js    jetstream.JetStream
	obj   jetstream.ObjectStore
	res   jetstream.MessagesContext
	n     names
	opts  Options
	run   string
	stats Stats

	mu      sync.Mutex
	workers map[string]workerSeen
	hbSub   *nats.Subscription
	lastObj string
	seq     int // evaluations so far: names the jobs of each, so that evaluating a generation again is new work
}

type workerSeen struct {
	hb   heartbeat
	seen time.Time
}

// NewCoordinator prepares the broker behind nc for a run: it (re)creates
// the job and result streams, empty, and the generation store.
func NewCoordinator(nc *nats.Conn, opts Options) (*Coordinator, error) {
	if opts.Queue == "" {
		opts.Queue = "hebb"
	}
	if opts.AckWait == 0 {
		opts.AckWait = 10 * time.Second
	}
	if opts.StatusEvery == 0 {
		opts.StatusEvery = 5 * time.Second
	}
	if opts.Status == nil {
		opts.Status = func(string) {}
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	var id [6]byte
	rand.Read(id[:])
	c := &Coordinator{nc: nc, js: js, n: names{opts.Queue}, opts: opts, run: hex.EncodeToString(id[:]), workers: map[string]workerSeen{}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Whatever a previous coordinator left (a killed run) goes: its jobs
	// would only be rejected as stale.
	for _, s := range []string{c.n.jobsStream(), c.n.resultsStream()} {
		if err := js.DeleteStream(ctx, s); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			return nil, fmt.Errorf("dist: broker: %w", err)
		}
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: c.n.jobsStream(), Subjects: []string{c.n.jobs()},
		Retention: jetstream.WorkQueuePolicy, Storage: jetstream.MemoryStorage,
		Duplicates: 2 * time.Minute,
	}); err != nil {
		return nil, brokerErr(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: c.n.resultsStream(), Subjects: []string{c.n.results()},
		Retention: jetstream.WorkQueuePolicy, Storage: jetstream.MemoryStorage,
		Duplicates: 2 * time.Minute,
	}); err != nil {
		return nil, brokerErr(err)
	}
	if _, err := js.CreateConsumer(ctx, c.n.jobsStream(), jetstream.ConsumerConfig{
		Durable: c.n.consumer(), AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: opts.AckWait, MaxDeliver: -1, MaxAckPending: -1,
		MaxWaiting: 4096,
	}); err != nil {
		return nil, brokerErr(err)
	}
	rc, err := js.CreateConsumer(ctx, c.n.resultsStream(), jetstream.ConsumerConfig{
		Durable: "coordinator", AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Minute, MaxDeliver: -1,
	})
	if err != nil {
		return nil, brokerErr(err)
	}
	// One continuous pull for the coordinator's whole life: no result is
	// left in an abandoned fetch.
	if c.res, err = rc.Messages(jetstream.PullMaxMessages(512)); err != nil {
		return nil, brokerErr(err)
	}
	if c.obj, err = js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: c.n.bucket(), Storage: jetstream.MemoryStorage,
	}); err != nil {
		return nil, brokerErr(err)
	}
	c.hbSub, err = nc.Subscribe(c.n.heartbeat(), c.onHeartbeat)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func brokerErr(err error) error {
	if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, nats.ErrJetStreamNotEnabled) {
		return errors.New("dist: the broker has no JetStream: start nats-server with -js")
	}
	return fmt.Errorf("dist: broker: %w", err)
}

func (c *Coordinator) onHeartbeat(m *nats.Msg) {
	var hb heartbeat
	if json.Unmarshal(m.Data, &hb) != nil || hb.ID == "" {
		return
	}
	c.mu.Lock()
	_, known := c.workers[hb.ID]
	if hb.Bye {
		delete(c.workers, hb.ID)
	} else {
		c.workers[hb.ID] = workerSeen{hb: hb, seen: time.Now()}
	}
	c.mu.Unlock()
	switch {
	case hb.Bye && known:
		c.opts.Status(fmt.Sprintf("worker %s left", hb.ID))
	case !hb.Bye && !known:
		c.opts.Status(fmt.Sprintf("worker %s joined (slots: %d)", hb.ID, hb.Slots))
	}
}

// Workers lists the workers heard from in the last 3 s and their slots.
func (c *Coordinator) Workers() (ids []string, slots int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, w := range c.workers {
		if time.Since(w.seen) > 3*time.Second {
			delete(c.workers, id)
			go c.opts.Status(fmt.Sprintf("worker %s went silent", id))
			continue
		}
		ids = append(ids, id)
		slots += w.hb.Slots
	}
	sort.Strings(ids)
	return ids, slots
}

// Stats returns the counts so far.
func (c *Coordinator) Stats() Stats { return c.stats }

// Run is this coordinator's run id (a fresh one every start).
func (c *Coordinator) Run() string { return c.run }

// Evaluate implements sim.Evaluator: publish θ once, then one message per
// job; gather one result per job, whatever worker sent it and however
// often it arrived.
func (c *Coordinator) Evaluate(b *sim.Batch) ([]sim.Result, error) {
	ctx := context.Background()
	c.seq++
	spec, err := encodeSpec(&genSpec{Run: c.run, Eval: c.seq, Gen: b.Gen, Cfg: c.opts.Cfg, Theta: b.Theta, Sigma: b.Sigma, NoiseSeed: b.NoiseSeed, Pop: b.Pop})
	if err != nil {
		return nil, err
	}
	name := genObject(c.run, c.seq)
	if _, err := c.obj.PutBytes(ctx, name, spec); err != nil {
		return nil, fmt.Errorf("dist: publish generation %d: %w", b.Gen, err)
	}
	if c.lastObj != "" && c.lastObj != name {
		c.obj.Delete(ctx, c.lastObj) // a late duplicate of an old job is refused as stale
	}
	c.lastObj = name
	var acks []jetstream.PubAckFuture
	for i, j := range b.Jobs {
		m := jobMsg{Run: c.run, Eval: c.seq, Gen: b.Gen, Index: i, Candidate: j.Candidate, Seed: j.Seed, Morphology: j.Morphology, Schedule: j.Schedule, Mark: j.Mark}
		f, err := c.js.PublishAsync(c.n.jobs(), encodeJSON(m), jetstream.WithMsgID(m.id()))
		if err != nil {
			return nil, fmt.Errorf("dist: publish job: %w", err)
		}
		acks = append(acks, f)
	}
	for _, f := range acks {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return nil, fmt.Errorf("dist: publish job: %w", err)
		case <-time.After(30 * time.Second):
			return nil, errors.New("dist: the broker did not accept the jobs in 30 s")
		}
	}
	c.stats.Jobs += int64(len(b.Jobs))
	return c.gather(b)
}

// gather collects len(b.Jobs) distinct results of this run's generation.
func (c *Coordinator) gather(b *sim.Batch) ([]sim.Result, error) {
	out := make([]sim.Result, len(b.Jobs))
	have := make([]bool, len(b.Jobs))
	left := len(b.Jobs)
	lastNews, lastSaid := time.Now(), time.Time{}
	for left > 0 {
		m, err := c.res.Next(jetstream.NextMaxWait(time.Second))
		if err == nil {
			lastNews = time.Now()
			m.Ack()
			r, err := decodeResult(m.Data())
			switch {
			case err != nil || r.Run != c.run || r.Eval != c.seq || r.Index < 0 || r.Index >= len(out):
				c.stats.Stale++
			case have[r.Index]:
				c.stats.Duplicates++
			case r.Err != "":
				return nil, fmt.Errorf("worker %s: %s", r.Worker, r.Err)
			default:
				have[r.Index], out[r.Index] = true, r.Res
				left--
				c.stats.Results++
				if r.Delivered > 1 {
					c.stats.Redelivered++
					c.opts.Status(fmt.Sprintf("job %d of generation %d was redelivered (delivery %d; its first worker went silent) and done by %s", r.Index, b.Gen+1, r.Delivered, r.Worker))
				}
			}
			continue
		}
		if !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("dist: results: %w", err)
		}
		if time.Since(lastNews) >= c.opts.StatusEvery && time.Since(lastSaid) >= c.opts.StatusEvery {
			lastSaid = time.Now()
			ids, slots := c.Workers()
			done := len(out) - left
			if len(ids) == 0 {
				c.opts.Status(fmt.Sprintf("waiting for workers (none connected): generation %d, %d/%d evaluations done", b.Gen+1, done, len(out)))
			} else {
				c.opts.Status(fmt.Sprintf("waiting: generation %d, %d/%d evaluations done, %d workers (slots: %d); %d stale results ignored", b.Gen+1, done, len(out), len(ids), slots, c.stats.Stale))
			}
		}
	}
	return out, nil
}

// Close tells nothing to the workers (they wait for the next run) and
// unsubscribes.
func (c *Coordinator) Close() {
	if c.hbSub != nil {
		c.hbSub.Unsubscribe()
	}
	if c.res != nil {
		c.res.Stop()
	}
}
