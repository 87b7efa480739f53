package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/hebbsim/hebbsim/internal/flagcheck"
	"github.com/hebbsim/hebbsim/sim/dist"
)

type workerOpts struct {
	broker   string
	workers  int
	quiet    bool
	verbose  bool
	jobDelay time.Duration
	dist     distOpts
}

func newWorker() *cobra.Command {
	var o workerOpts
	cmd := &cobra.Command{
		Use:   "worker --broker nats://HOST:PORT [flags]",
		Short: "evaluate episodes for a hebb evolve run on another machine (NATS JetStream)",
		Long: `worker joins a distributed evolution run: it takes episodes from the run's
JetStream work queue, runs them on --workers cores (each with its own body and
network, rebuilt from the generation's centre θ and the noise seed) and sends the
results back. Start the run with hebb evolve ... --serve ADDR (an embedded broker)
or --broker URL (an existing NATS deployment). Workers may join and leave at any
time: a job whose worker dies goes to another after --ack-wait, and the run's result
does not depend on who evaluated what. The worker waits for the next run when one
ends, and exits on Ctrl-C or when the broker stays gone for two minutes.
See docs/distributed.md.`,
		Example: `  HEBB_TOKEN=s3cret hebb worker --broker nats://coordinator.lan:4222
  hebb worker --broker tls://coordinator.lan:4222 --tls-ca ca.pem --token s3cret --workers 8`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runWorker(c, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.broker, "broker", "", "NATS URL of the run's broker (required), e.g. nats://host:4222; comma-separated for a cluster")
	f.IntVar(&o.workers, "workers", 0, "episodes run at once (0: all cores)")
	f.BoolVar(&o.quiet, "quiet", false, "no progress output")
	f.BoolVar(&o.verbose, "verbose", false, "print a line as each job starts")
	f.DurationVar(&o.jobDelay, "job-delay", 0, "sleep this long inside every job (for tests of failures mid-job)")
	f.MarkHidden("job-delay")
	o.dist.register(f, false)
	return cmd
}

func runWorker(c *cobra.Command, o workerOpts) error {
	if o.broker == "" {
		return usageErr("worker: --broker nats://HOST:PORT is required (the address hebb evolve --serve printed)")
	}
	if err := flagcheck.First(
		flagcheck.Int("workers", o.workers, 0, 4096),
		flagcheck.Duration("job-delay", o.jobDelay, 0, time.Hour),
	); err != nil {
		return err
	}
	if err := o.dist.check(); err != nil {
		return err
	}
	nc, err := dist.Dial(o.broker, "hebb worker", o.dist.security(), true)
	if err != nil {
		return err
	}
	defer nc.Close()
	w := c.ErrOrStderr()
	say := func(s string) {
		if !o.quiet {
			fmt.Fprintln(w, "hebb worker: "+s)
		}
	}
	opts := dist.WorkerOptions{Queue: o.dist.queue, Slots: o.workers, Log: say, JobDelay: o.jobDelay}
	if o.verbose {
		opts.JobStarted = func(gen, index int) { fmt.Fprintf(w, "hebb worker: started job %d of generation %d\n", index, gen+1) }
	}
	wk, err := dist.NewWorker(nc, opts)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slots := o.workers
	if slots == 0 {
		slots = runtime.GOMAXPROCS(0)
	}
	say(fmt.Sprintf("connected to %s (slots: %d); waiting for jobs (Ctrl-C to leave)", nc.ConnectedUrlRedacted(), slots))
	err = wk.Run(ctx)
	say(fmt.Sprintf("leaving after %d jobs", wk.Done()))
	return err
}
