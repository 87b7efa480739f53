//go:build unix

package main

import (
	"os"
	"syscall"
)

// execApp replaces this process with the app, so the window has this
// process id and gets its signals (tests find it by pid; Ctrl+C reaches
// it directly).
func execApp(app string, args []string) error {
	return syscall.Exec(app, append([]string{app}, args...), os.Environ())
}
