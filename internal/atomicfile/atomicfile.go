// Package atomicfile writes files so that a crash never leaves a
// half-written one (DESIGN.md §3.10): the data goes to a temporary file
// ".NAME.tmp*" in the same directory, is synced, and is renamed over the
// target. Rule files, checkpoints, logs, plots, settings and screenshots
// all go through it.
package atomicfile

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// Write writes path atomically with what write produces (buffered). The
// file gets mode 0644, an ordinary file rather than CreateTemp's 0600. On
// error the temporary file is removed and path is untouched.
func Write(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
