//go:build !unix

package main

import (
	"os"
	"os/exec"
)

// execApp runs the app as a child where exec(2) does not exist and exits
// with its status.
func execApp(app string, args []string) error {
	cmd := exec.Command(app, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		return err
	}
	os.Exit(0)
	return nil
}
