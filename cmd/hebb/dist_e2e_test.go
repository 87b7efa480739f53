package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// proc is the tool run as a child process (the test binary with
// HEBB_RUN_MAIN=1), its stderr and stdout read line by line.
type proc struct {
	name  string
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	news  chan string
	done  chan struct{}
}

func startHebb(t *testing.T, ctx context.Context, name, dir string, args ...string) *proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HEBB_RUN_MAIN=1", "SOURCE_DATE_EPOCH=1700000000", "HEBB_TOKEN=")
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	p := &proc{name: name, cmd: cmd, news: make(chan string, 1024), done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			l := sc.Text()
			p.mu.Lock()
			p.lines = append(p.lines, l)
			p.mu.Unlock()
			select {
			case p.news <- l:
			default:
			}
		}
	}()
	go func() { cmd.Wait(); pw.Close(); close(p.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	return p
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// waitLine waits for a line matching re and returns its submatches.
func (p *proc) waitLine(t *testing.T, re *regexp.Regexp, d time.Duration) []string {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case l := <-p.news:
			if m := re.FindStringSubmatch(l); m != nil {
				return m
			}
		case <-p.done:
			t.Fatalf("%s ended before printing %q:\n%s", p.name, re, p.output())
		case <-deadline:
			t.Fatalf("%s: no line matching %q in %v:\n%s", p.name, re, d, p.output())
		}
	}
}

func (p *proc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		t.Fatalf("%s did not finish in %v:\n%s", p.name, d, p.output())
	}
	return p.cmd.ProcessState.ExitCode()
}

// A coordinator with the embedded server and three worker processes
// evolve a small quadruped run; one worker is killed with SIGKILL in the
// middle of a job and another joins later; the rule files are
// bit-identical to those of the same run on the local pool. A worker with
// a wrong token is refused in one line.
func TestDistributedEvolveE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := []string{"evolve", "--env", "quadruped", "--pop", "8", "--gens", "6", "--max-steps", "100",
		"--morphologies", "healthy,FL-short", "--damage-prob", "0.5", "--damage-steps", "20:80",
		"--workers", "1", "--out", "run"}
	localDir, distDir := t.TempDir(), t.TempDir()

	// A fixed port, so that workers find the coordinator again after it
	// is killed and resumed.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	serve := append(run, "--serve", addr, "--token", "s3cret", "--ack-wait", "2s")
	coord := startHebb(t, ctx, "coordinator", distDir, serve...)
	url := coord.waitLine(t, regexp.MustCompile(`--broker (nats://\S+)`), time.Minute)[1]

	bad := startHebb(t, ctx, "wrong-token worker", distDir, "worker", "--broker", url, "--token", "guess")
	if code := bad.wait(t, 30*time.Second); code == 0 || !strings.Contains(bad.output(), "refused the token") || strings.Count(bad.output(), "\n") != 0 {
		t.Errorf("wrong token: exit %d, output %q; want a non-zero exit and one line saying the token was refused", code, bad.output())
	}

	worker := func(name string, extra ...string) *proc {
		return startHebb(t, ctx, name, distDir, append([]string{"worker", "--broker", url, "--token", "s3cret", "--workers", "1", "--verbose"}, extra...)...)
	}
	// The victim holds each job for 400 ms, so a kill lands mid-job.
	victim := worker("w1", "--job-delay", "400ms")
	w2, w3 := worker("w2"), worker("w3")
	started := regexp.MustCompile(`started job (\d+) of generation (\d+)`)
	for {
		m := victim.waitLine(t, started, time.Minute)
		if g, _ := strconv.Atoi(m[2]); g >= 2 {
			t.Logf("killing w1 during job %s of generation %s", m[1], m[2])
			break
		}
	}
	victim.cmd.Process.Signal(syscall.SIGKILL)
	victim.wait(t, 10*time.Second)

	coord.waitLine(t, regexp.MustCompile(`redelivered`), time.Minute)

	// A fourth worker joins once a later generation is done.
	coord.waitLine(t, regexp.MustCompile(`^gen [3-6] `), time.Minute)
	w4 := worker("w4")
	w4.waitLine(t, started, time.Minute)

	// The coordinator is killed; the same command with --resume goes on
	// from its checkpoint, and the workers reconnect.
	coord.waitLine(t, regexp.MustCompile(`^gen [4-6] `), time.Minute)
	coord.cmd.Process.Signal(syscall.SIGKILL)
	coord.wait(t, 10*time.Second)
	resumed := startHebb(t, ctx, "resumed coordinator", distDir, append(serve, "--resume")...)
	if code := resumed.wait(t, 2*time.Minute); code != 0 {
		t.Fatalf("resumed coordinator exit %d:\n%s", code, resumed.output())
	}
	if strings.Contains(resumed.output(), "already has 6 generations") {
		t.Log("the first coordinator finished before it was killed: the resume had nothing to do")
	}
	for _, w := range []*proc{w2, w3, w4} {
		if !strings.Contains(w.output(), "started job") {
			t.Errorf("%s ran no job:\n%s", w.name, w.output())
		}
	}

	local := startHebb(t, ctx, "local run", localDir, run...)
	if code := local.wait(t, 2*time.Minute); code != 0 {
		t.Fatalf("local run exit %d:\n%s", code, local.output())
	}
	for _, f := range []string{"best.npz", "best-candidate.npz"} {
		a, err1 := os.ReadFile(filepath.Join(localDir, "run", f))
		b, err2 := os.ReadFile(filepath.Join(distDir, "run", f))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the local pool (%d bytes) and the distributed run (%d bytes)", f, len(a), len(b))
		}
	}
	t.Log("first coordinator:\n" + coord.output() + "\nresumed:\n" + resumed.output())
}

func lastLines(s string, n int) string {
	l := strings.Split(s, "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}
