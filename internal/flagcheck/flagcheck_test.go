package flagcheck

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestChecks(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string // "" means valid
	}{
		{"int low edge", Int("speed", 0, 0, 6), ""},
		{"int high edge", Int("speed", 6, 0, 6), ""},
		{"int above", Int("speed", 9, 0, 6), "--speed 9 is out of range: want an integer in [0, 6]"},
		{"int below", Int("speed", -3, 0, 6), "--speed -3 is out of range"},
		{"intmin edge", IntMin("seed", 1, 1), ""},
		{"intmin below", IntMin("seed", 0, 1), "--seed 0 is out of range: want an integer ≥ 1"},
		{"float NaN", Float("sigma", math.NaN(), 0, 1), "--sigma NaN is out of range"},
		{"float inf", Float("sigma", math.Inf(1), 0, 1), "out of range"},
		{"float edge", Float("sigma", 1, 0, 1), ""},
		{"positive zero", Positive("lr", 0), "--lr 0 is out of range: want a number > 0"},
		{"positive ok", Positive("lr", 0.01), ""},
		{"duration negative", Duration("duration", -time.Second, time.Second, 0), "--duration -1s is out of range: want a duration ≥ 1s"},
		{"duration too long", Duration("fps-test", time.Hour, time.Second, time.Minute), "want a duration in [1s, 1m0s]"},
		{"duration ok", Duration("duration", time.Second, time.Second, 0), ""},
		{"intin above", IntIn("damage", "FL:shorten@1000", 1000, 0, 999, "a step"), "--damage FL:shorten@1000 is out of range: want a step in [0, 999]"},
		{"intin edge", IntIn("damage", "FL:shorten@999", 999, 0, 999, "a step"), ""},
		{"oneof bad", OneOf("scene", "bogus", []string{"quadruped", "racer"}), `--scene "bogus" is not known: want one of quadruped, racer`},
		{"oneof ok", OneOf("scene", "racer", []string{"quadruped", "racer"}), ""},
		{"first", First(nil, Int("a", 1, 2, 3), Int("b", 9, 0, 1)), "--a 1"},
		{"first none", First(nil, nil), ""},
	} {
		switch {
		case c.want == "" && c.err != nil:
			t.Errorf("%s: have error %q, want none", c.name, c.err)
		case c.want != "" && c.err == nil:
			t.Errorf("%s: have no error, want %q", c.name, c.want)
		case c.want != "" && !strings.Contains(c.err.Error(), c.want):
			t.Errorf("%s: have %q, want it to contain %q", c.name, c.err, c.want)
		case c.err != nil && strings.Contains(c.err.Error(), "\n"):
			t.Errorf("%s: error %q is not one line", c.name, c.err)
		}
	}
}
