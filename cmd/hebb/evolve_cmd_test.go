package main

import "testing"

func TestCommandAtSetsGenerations(t *testing.T) {
	for _, c := range []struct{ cmd, want string }{
		{"hebb evolve --env racer --gens 60 --out /tmp/pl", "hebb evolve --env racer --gens 218 --out /tmp/pl"},
		{"hebb evolve --env racer --gens=60", "hebb evolve --env racer --gens 218"},
		{"hebb evolve --env racer", "hebb evolve --env racer --gens 218"},
	} {
		if have := commandAt(c.cmd, 218); have != c.want {
			t.Errorf("commandAt(%q, 218)\nhave %q\nwant %q", c.cmd, have, c.want)
		}
	}
}
