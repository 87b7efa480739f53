package model

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // "" valid; else a part of the one-line error
	}{
		{nil, ""},
		{[]string{"--speed", "0"}, ""},
		{[]string{"--speed", "6"}, ""},
		{[]string{"--speed", "9"}, "--speed 9 is out of range: want an integer in [0, 6]"},
		{[]string{"--speed", "-3"}, "--speed -3 is out of range: want an integer in [0, 6]"},
		{[]string{"--speed", "-1"}, "--speed -1 is out of range"},
		{[]string{"--speed", "fast"}, `invalid value "fast" for flag -speed`},
		{[]string{"--seed", "1"}, ""},
		{[]string{"--seed", "9223372036854775807"}, ""},
		{[]string{"--seed", "0"}, "--seed 0 is out of range: want an integer ≥ 1"},
		{[]string{"--seed", "-4"}, "--seed -4 is out of range"},
		{[]string{"--width", "-5"}, "--width -5 is out of range: want an integer in [960, 7680]"},
		{[]string{"--width", "960"}, ""},
		{[]string{"--width", "7680"}, ""},
		{[]string{"--width", "959"}, "--width 959 is out of range"},
		{[]string{"--height", "600"}, ""},
		{[]string{"--height", "4320"}, ""},
		{[]string{"--height", "0"}, "--height 0 is out of range: want an integer in [600, 4320]"},
		{[]string{"--scene", "racer"}, ""},
		{[]string{"--scene", "quadruped"}, ""},
		{[]string{"--scene", "bogus"}, `--scene "bogus" is not known: want one of quadruped, racer`},
		{[]string{"--fps-test", "1s"}, ""},
		{[]string{"--fps-test", "1h"}, ""},
		{[]string{"--fps-test", "500ms"}, "--fps-test 500ms is out of range: want a duration in [1s, 1h0m0s]"},
		{[]string{"--fps-test", "-2s"}, "--fps-test -2s is out of range"},
		{[]string{"--rules", ""}, `--rules "" is empty`},
		{[]string{"--rules", "quadruped-hebbian"}, ""},
		{[]string{"--bogus"}, "unknown flag -bogus"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		f, err := ParseFlags(c.args, &bytes.Buffer{})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: have error %q, want none", c.args, err)
		case c.want != "" && err == nil:
			t.Errorf("%q: have no error (%+v), want %q", c.args, f, c.want)
		case c.want != "" && !strings.Contains(err.Error(), c.want):
			t.Errorf("%q: have %q, want it to contain %q", c.args, err, c.want)
		case err != nil && strings.Contains(err.Error(), "\n"):
			t.Errorf("%q: error %q is not one line", c.args, err)
		}
	}
}

func TestParseFlagsValuesAndHelp(t *testing.T) {
	f, err := ParseFlags([]string{"--seed", "7", "--speed", "5", "--width", "1000", "--height", "600", "--fps-test", "2s", "--scene", "racer"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Flags{Seed: 7, Speed: 5, Width: 1000, Height: 600, FPSTest: 2 * time.Second, Scene: "racer"}
	if f != want {
		t.Errorf("have %+v, want %+v", f, want)
	}
	if f, _ := ParseFlags(nil, nil); f.Speed != -1 || f.Seed != 0 {
		t.Errorf("defaults: have %+v, want speed -1 (remembered) and seed 0 (not given)", f)
	}
	var help bytes.Buffer
	if _, err := ParseFlags([]string{"--help"}, &help); !errors.Is(err, ErrHelp) {
		t.Fatalf("--help: have %v, want ErrHelp", err)
	}
	for _, s := range []string{"usage: hebbsim", "--speed", "--scene", "xvfb-run"} {
		if !strings.Contains(help.String(), s) {
			t.Errorf("help lacks %q:\n%s", s, help.String())
		}
	}
	if strings.Contains(help.String(), "state-file") {
		t.Errorf("help shows the hidden --state-file")
	}
}
