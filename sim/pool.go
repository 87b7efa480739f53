package sim

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/hebbsim/hebbsim/physics"
)

// Genome is a controller whose parameters evolution sets (brain.Network
// implements it).
type Genome interface {
	Controller
	NumParams() int
	SetParams(p []float64) error
}

// Job is one episode to run: the parameters of candidate Candidate, the
// world of Seed, a body and a damage schedule.
type Job struct {
	Candidate  int
	Seed       int64
	Morphology *physics.Morphology // nil: healthy
	Schedule   []Event
	Mark       int // Config.Mark for this episode (0: the pool's)
}

// Pool runs episodes on a fixed set of workers. Each worker owns one
// environment and one controller for its whole life and resets them for
// every episode, so evaluation allocates almost nothing. A job's result
// depends only on the job and its parameters, never on which worker ran it
// or how many there are.
type Pool struct {
	slots []*slot
	// Base is the episode configuration every job starts from (MaxSteps,
	// EarlyStop, FrozenAfter); the job sets Morphology and Schedule.
	Base Config
	// Nice, when above 0, runs each worker on an OS thread of its own at
	// that niceness (Linux; elsewhere ignored), so that evaluation yields
	// the CPU to a window drawing in the same process. Results never
	// depend on it.
	Nice int
}

type slot struct {
	env  physics.Env
	ctrl Genome
	ep   *Episode
	// loaded is the candidate whose parameters ctrl holds in this Run; -1
	// none (parameters change between runs, so it is reset every Run).
	loaded int
}

// NewPool makes workers (0: GOMAXPROCS) slots, each with its own
// environment and controller from the factories.
func NewPool(workers int, base Config, newEnv func() (physics.Env, error), newCtrl func() (Genome, error)) (*Pool, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pool{Base: base}
	for i := 0; i < workers; i++ {
		env, err := newEnv()
		if err != nil {
			return nil, err
		}
		ctrl, err := newCtrl()
		if err != nil {
			return nil, err
		}
		if env.ObsSize() <= 0 || env.ActSize() <= 0 {
			return nil, fmt.Errorf("sim: environment %q has no observation or action", env.Name())
		}
		p.slots = append(p.slots, &slot{env: env, ctrl: ctrl, ep: NewEpisode(env, ctrl, base)})
	}
	return p, nil
}

// Workers is the number of workers.
func (p *Pool) Workers() int { return len(p.slots) }

// NumParams is the length of a parameter vector.
func (p *Pool) NumParams() int { return p.slots[0].ctrl.NumParams() }

// Env returns worker 0's environment (for names, sizes, morphologies).
func (p *Pool) Env() physics.Env { return p.slots[0].env }

// Run runs every job with params[job.Candidate] and returns the results in
// job order. A parameter vector the controller rejects is an error; a
// panic inside an episode (Box2D asserts) ends that episode with reason
// "physics: panic: …" and the return so far.
func (p *Pool) Run(params [][]float64, jobs []Job) ([]Result, error) {
	for _, j := range jobs {
		if j.Candidate < 0 || j.Candidate >= len(params) {
			panic(fmt.Sprintf("sim: job candidate %d out of range [0,%d)", j.Candidate, len(params)))
		}
	}
	out := make([]Result, len(jobs))
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for _, s := range p.slots {
		s.loaded = -1
		wg.Add(1)
		go func(s *slot) {
			defer wg.Done()
			if p.Nice > 0 {
				// The thread dies with the goroutine (it exits locked),
				// so its niceness never leaks to other goroutines.
				runtime.LockOSThread()
				setThreadNice(p.Nice)
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				r, err := s.run(p.Base, params, jobs[i])
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					next.Store(int64(len(jobs))) // stop handing out work
					return
				}
				out[i] = r
			}
		}(s)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func (s *slot) run(base Config, params [][]float64, j Job) (res Result, err error) {
	if s.loaded != j.Candidate {
		if err := s.ctrl.SetParams(params[j.Candidate]); err != nil {
			return Result{}, fmt.Errorf("sim: candidate %d: %w", j.Candidate, err)
		}
		s.loaded = j.Candidate
	}
	cfg := base
	cfg.Morphology, cfg.Schedule = j.Morphology, j.Schedule
	if j.Mark > 0 {
		cfg.Mark = j.Mark
	}
	s.ep.Cfg = cfg
	defer func() {
		if v := recover(); v != nil {
			res = s.ep.Result()
			res.Reason = fmt.Sprintf("physics: panic: %v", v)
		}
	}()
	if err := s.ep.Reset(j.Seed); err != nil {
		return Result{}, err
	}
	return s.ep.Run(), nil
}
