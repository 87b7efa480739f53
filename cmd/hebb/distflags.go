package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/spf13/pflag"

	"github.com/hebbsim/hebbsim/internal/flagcheck"
	"github.com/hebbsim/hebbsim/sim"
	"github.com/hebbsim/hebbsim/sim/dist"
)

// distOpts are the flags that spread hebb evolve over machines
// (docs/distributed.md). None of them changes the results, so none is
// recorded in the run's settings or provenance, and a run started with
// them may be resumed without them (and the other way round).
type distOpts struct {
	serve, broker, queue   string
	token                  string
	tlsCert, tlsKey, tlsCA string
	ackWait                time.Duration
}

var distFlagNames = map[string]bool{"serve": true, "broker": true, "queue": true, "token": true,
	"tls-cert": true, "tls-key": true, "tls-ca": true, "ack-wait": true}

func init() {
	for n := range distFlagNames {
		resumable[n] = true
	}
}

func (d *distOpts) register(f *pflag.FlagSet, coordinator bool) {
	if coordinator {
		f.StringVar(&d.serve, "serve", "", "start an embedded NATS server on HOST:PORT (e.g. 0.0.0.0:4222) and evaluate on the workers that join it (hebb worker)")
		f.StringVar(&d.broker, "broker", "", "evaluate on workers through an existing NATS server with JetStream, e.g. nats://nats1:4222,nats://nats2:4222")
		f.StringVar(&d.tlsCert, "tls-cert", "", "with --serve: certificate (PEM) of the embedded server; workers then connect with tls://")
		f.StringVar(&d.tlsKey, "tls-key", "", "with --serve: the certificate's private key (PEM)")
		f.DurationVar(&d.ackWait, "ack-wait", 10*time.Second, "a job whose worker gives no sign of life for this long goes to another worker")
	}
	tokHelp := "the broker's shared secret (default: $HEBB_TOKEN; a flag shows in ps)"
	if coordinator {
		tokHelp += "; required by --serve on a non-loopback address"
	}
	f.StringVar(&d.token, "token", "", tokHelp)
	f.StringVar(&d.tlsCA, "tls-ca", "", "CA certificate (PEM) that signed the broker's certificate (default: the system's roots)")
	f.StringVar(&d.queue, "queue", "hebb", "name of the run's queue on the broker (several runs can share one broker)")
}

func (d distOpts) security() dist.Security {
	tok := d.token
	if tok == "" {
		tok = os.Getenv("HEBB_TOKEN")
	}
	return dist.Security{Token: tok, CertFile: d.tlsCert, KeyFile: d.tlsKey, CAFile: d.tlsCA}
}

func (d distOpts) check() error {
	if d.serve != "" && d.broker != "" {
		return usageErr("--serve and --broker exclude each other: serve a broker, or use one")
	}
	if d.serve == "" && (d.tlsCert != "" || d.tlsKey != "") {
		return usageErr("--tls-cert and --tls-key need --serve")
	}
	if d.serve == "" && d.broker == "" {
		return nil
	}
	if d.serve != "" {
		host, _, err := net.SplitHostPort(d.serve)
		if err != nil {
			return usageErr("--serve %q: want HOST:PORT, e.g. 127.0.0.1:4222 or 0.0.0.0:4222", d.serve)
		}
		if !dist.IsLoopback(host) && d.security().Token == "" {
			return usageErr("--serve %s listens beyond this machine: give --token (or HEBB_TOKEN) so that only your workers can join", d.serve)
		}
	}
	if err := flagcheck.Duration("ack-wait", d.ackWait, time.Second, time.Hour); err != nil {
		return err
	}
	if d.queue == "" {
		return usageErr("--queue must not be empty")
	}
	for _, r := range d.queue {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return usageErr("--queue %q: use letters, digits, - and _ only", d.queue)
		}
	}
	return nil
}

// attach makes tr evaluate on remote workers when --serve or --broker is
// given, and returns what to call at the end; without them it does
// nothing. say receives status lines (waiting for workers, joins).
func (d distOpts) attach(tr *sim.Trainer, w io.Writer, quiet bool, say func(string)) (func(), error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	if d.serve == "" && d.broker == "" {
		return func() {}, nil
	}
	sec := d.security()
	var srv *dist.Server
	var err error
	url := d.broker
	if d.serve != "" {
		if srv, err = dist.Serve(d.serve, sec); err != nil {
			return nil, err
		}
		url = srv.URL()
	}
	var nc *nats.Conn
	var coord *dist.Coordinator
	if srv != nil {
		nc, err = srv.Connect("hebb evolve")
	} else {
		nc, err = dist.Dial(url, "hebb evolve", sec, true)
	}
	if err == nil {
		if coord, err = dist.NewCoordinator(nc, dist.Options{Queue: d.queue, AckWait: d.ackWait, Status: say, Cfg: tr.Cfg}); err == nil {
			tr.SetEvaluator(coord)
		}
	}
	stop := func() {
		if coord != nil && !quiet {
			st := coord.Stats()
			fmt.Fprintf(w, "hebb: distributed: %d jobs, %d results used, %d duplicates ignored, %d redelivered, %d stale\n",
				st.Jobs, st.Results, st.Duplicates, st.Redelivered, st.Stale)
		}
		if nc != nil {
			nc.Close()
		}
		if srv != nil {
			srv.Close()
		}
	}
	if err != nil {
		stop()
		return nil, err
	}
	if !quiet {
		tok := ""
		if sec.Token != "" {
			tok = " (with the same --token or HEBB_TOKEN)"
		}
		q := ""
		if d.queue != "hebb" {
			q = " --queue " + d.queue
		}
		if d.tlsCert != "" {
			q += " --tls-ca CA.pem"
		}
		if srv != nil {
			fmt.Fprintf(w, "hebb: serving NATS with JetStream on %s; start workers with: hebb worker --broker %s%s%s\n", url, url, q, tok)
		} else {
			fmt.Fprintf(w, "hebb: evaluating through the broker at %s; start workers with: hebb worker --broker %s%s%s\n", url, url, q, tok)
		}
	}
	return stop, nil
}

// say shows a status line: in the progress bar's description on a
// terminal, as a line of its own otherwise.
func (p *progress) say(s string) {
	if p.quiet {
		return
	}
	if p.bar != nil {
		p.bar.Describe(s)
		return
	}
	fmt.Fprintln(p.w, "hebb: "+s)
}
