package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// exitUsage is the exit code of every error: bad flags, unknown
// environments, unreadable or mismatched files, failed runs.
const exitUsage = 2

// gcPercent is the GOGC the tool runs with unless GOGC is set: Box2D
// allocates per step and per reset while the live heap stays a few MB.
// GODEBUG=gctrace=1 on BenchmarkPool (one worker) showed the collector at
// 3 % of the CPU with GOGC=100 and under 1 % with 400, for 14 MB heaps.
const gcPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the tool with args and returns the exit code. Every error
// is one line on stderr, never a stack trace.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "hebb: internal error: %v\n", v)
			code = exitUsage
		}
	}()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
		fmt.Fprintln(stderr, "hebb: "+msg)
		return exitUsage
	}
	return 0
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "hebb",
		Short: "hebbsim's headless tool: evolve Hebbian rules, evaluate, trace, benchmark, inspect",
		Long: `hebb evolves Hebbian plasticity rules (Najarro & Risi 2020) for hebbsim's bodies,
evaluates rule files on unseen worlds and damaged bodies, records brain traces for
analysis in Python, measures throughput and shows what a rule file holds.
It needs no display. See docs/cli.md.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%s: %v (see hebb %s --help)", c.Name(), err, c.Name())
	})
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newEvolve(), newEval(), newTrace(), newTrajectory(), newBench(), newInspect(), newWorker())
	root.AddCommand(newRecord())
	return root
}

// usageErr marks an error in the command line.
func usageErr(format string, a ...any) error { return errors.New(fmt.Sprintf(format, a...)) }
