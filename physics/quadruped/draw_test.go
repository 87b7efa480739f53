package quadruped

import (
	"fmt"
	"image/color"
	"testing"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// recorder is a physics.Drawer that counts what it is asked to draw.
type recorder struct {
	polys, segs, circles int
	fills                map[color.RGBA]int
	labels               []string
}

func (r *recorder) Polygon(pts []physics.Vec2, fill, stroke color.RGBA) {
	r.polys++
	r.fills[fill]++
}
func (r *recorder) Segment(a, b physics.Vec2, c color.RGBA)          { r.segs++ }
func (r *recorder) Circle(c physics.Vec2, rad float64, f color.RGBA) { r.circles++ }
func (r *recorder) Label(at physics.Vec2, s string, c color.RGBA)    { r.labels = append(r.labels, s) }

func TestDraw(t *testing.T) {
	e := mustNew(t, Options{Terrain: "flat"})
	act := make([]float32, actSize)
	for k := 0; k < 30; k++ {
		e.Step(act)
	}
	r := &recorder{fills: map[color.RGBA]int{}}
	e.Draw(r)
	// hull + 4 thighs + 4 shins, the terrain near the hull, 10 lidar rays,
	// one contact disc per foot on the ground.
	if r.fills[colHull] != 1 || r.fills[colNear] != 4 || r.fills[colFar] != 4 {
		t.Errorf("hull/near/far fills %d/%d/%d, want 1/4/4", r.fills[colHull], r.fills[colNear], r.fills[colFar])
	}
	if r.fills[colGrass] < 90 {
		t.Errorf("%d terrain polygons, want ≥ 90 within ±%g m", r.fills[colGrass], DrawHalfWidth)
	}
	if r.segs < lidarRays {
		t.Errorf("%d segments, want ≥ %d lidar rays", r.segs, lidarRays)
	}
	if r.circles == 0 || len(r.labels) != 0 {
		t.Errorf("circles %d labels %v, want foot contacts and no labels", r.circles, r.labels)
	}

	e.ApplyDamage(physics.Damage{Target: "FL", Kind: Shorten})
	e.ApplyDamage(physics.Damage{Target: "BR", Kind: Paralyze})
	r = &recorder{fills: map[color.RGBA]int{}}
	e.Draw(r) // before the next Step: damage shows at once
	if r.fills[colDamage] != 1 || r.fills[colDamageFar] != 2 || r.fills[colNear] != 3 || r.fills[colFar] != 2 {
		t.Errorf("damaged fills near %d far %d, healthy near %d far %d; want 1, 2, 3, 2",
			r.fills[colDamage], r.fills[colDamageFar], r.fills[colNear], r.fills[colFar])
	}
	if fmt.Sprint(r.labels) != "[FL shorten BR paralyze]" {
		t.Errorf("labels %v", r.labels)
	}
}

func TestLegAt(t *testing.T) {
	e := mustNew(t, Options{})
	for _, l := range e.legs {
		for _, p := range []box2d.B2Vec2{l.thigh.GetPosition(), l.shin.GetWorldPoint(box2d.B2Vec2{Y: -legH / 3})} {
			name, ok := e.LegAt(vec(p))
			// Legs of a pair overlap at the start, and the near one wins:
			// a far leg's point may name its near partner.
			if !ok || name != l.name && (l.near || name != l.name[:1]+"L") {
				t.Errorf("LegAt(%s point) = %q, %v", l.name, name, ok)
			}
		}
	}
	f := e.Focus()
	if name, ok := e.LegAt(physics.Vec2{X: f.X, Y: f.Y + 3}); ok {
		t.Errorf("LegAt(sky) = %q, want nothing", name)
	}
	if p := e.hull.GetPosition(); f.X != p.X || f.Y != p.Y {
		t.Errorf("Focus %v, want hull %v", f, p)
	}
}
