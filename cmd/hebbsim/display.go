package main

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// x11Dir is where local X servers put their sockets (X0, X1, …).
var x11Dir = "/tmp/.X11-unix"

var lookPath = exec.LookPath

// checkDisplay returns nil when an X server answers at display (the value
// of DISPLAY): it connects to the server's socket — the unix socket (also
// Linux's abstract one) for ":N" and "unix:N", TCP port 6000+N for
// "host:N" — and closes the connection at once. The error says why not,
// in words for the one-line message.
func checkDisplay(display, dir string) error {
	if display == "" {
		return errors.New("DISPLAY is not set")
	}
	host, num, err := parseDisplay(display)
	if err != nil {
		return fmt.Errorf("DISPLAY=%s: %v", display, err)
	}
	var addrs [][2]string
	if host == "" || host == "unix" {
		sock := filepath.Join(dir, "X"+strconv.Itoa(num))
		addrs = append(addrs, [2]string{"unix", sock}, [2]string{"unix", "@" + sock})
	} else {
		addrs = append(addrs, [2]string{"tcp", net.JoinHostPort(host, strconv.Itoa(6000+num))})
	}
	for _, a := range addrs {
		if c, err := net.DialTimeout(a[0], a[1], 2*time.Second); err == nil {
			c.Close()
			return nil
		}
	}
	return fmt.Errorf("DISPLAY=%s, but no X server answers at %s", display, addrs[0][1])
}

// parseDisplay splits "[host]:N[.S]" into host and display number.
func parseDisplay(d string) (host string, num int, err error) {
	i := strings.LastIndex(d, ":")
	if i < 0 {
		return "", 0, errors.New(`want [host]:N, e.g. ":0"`)
	}
	host, rest := d[:i], d[i+1:]
	if j := strings.IndexByte(rest, '.'); j >= 0 {
		rest = rest[:j]
	}
	num, err = strconv.Atoi(rest)
	if err != nil || num < 0 {
		return "", 0, errors.New(`want [host]:N, e.g. ":0"`)
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]") // [::1]:0
	host = strings.TrimSuffix(host, "/unix")
	return host, num, nil
}
