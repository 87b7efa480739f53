package sim

import "syscall"

// setThreadNice sets the niceness of the calling OS thread (on Linux,
// PRIO_PROCESS with a thread id acts on that thread only).
func setThreadNice(n int) {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), n)
}
