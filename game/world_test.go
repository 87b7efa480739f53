package game

import (
	"image/color"
	"testing"

	"github.com/hebbsim/hebbsim/game/model"
	"github.com/hebbsim/hebbsim/physics"
)

// These tests need an X display only because Ebitengine does at init
// (make test runs them under xvfb-run); they never draw.

func TestWorldDrawerBatchesAndCulls(t *testing.T) {
	cam := model.NewCamera(10)
	cam.View = model.Rect{X: 0, Y: 0, W: 200, H: 100}
	var d worldDrawer
	d.cam, d.lineW, d.anyDraw = &cam, 2, true
	red := color.RGBA{255, 0, 0, 255}
	for _, c := range []struct {
		name   string
		draw   func()
		vs, is int
	}{
		{"convex quad, filled", func() {
			d.Polygon([]physics.Vec2{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}, {X: 0, Y: 1}}, red, color.RGBA{})
		}, 4, 6},
		{"quad, filled and stroked", func() {
			d.Polygon([]physics.Vec2{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}, {X: 0, Y: 1}}, red, red)
		}, 4 + 4*4, 6 + 4*6},
		{"concave L, ear-clipped", func() {
			d.Polygon([]physics.Vec2{{X: 0, Y: 0}, {X: 2, Y: 0}, {X: 2, Y: 1}, {X: 1, Y: 1}, {X: 1, Y: 2}, {X: 0, Y: 2}}, red, color.RGBA{})
		}, 6, 12},
		{"polygon off screen", func() {
			d.Polygon([]physics.Vec2{{X: 100, Y: 0}, {X: 101, Y: 0}, {X: 101, Y: 1}}, red, red)
		}, 0, 0},
		{"segment", func() { d.Segment(physics.Vec2{}, physics.Vec2{X: 1, Y: 1}, red) }, 4, 6},
		{"segment off screen", func() { d.Segment(physics.Vec2{X: 50}, physics.Vec2{X: 60}, red) }, 0, 0},
		{"circle", func() { d.Circle(physics.Vec2{}, 0.5, red) }, 17, 48},
		{"circle off screen", func() { d.Circle(physics.Vec2{Y: -40}, 0.5, red) }, 0, 0},
	} {
		d.vs, d.is = d.vs[:0], d.is[:0]
		c.draw()
		if len(d.vs) != c.vs || len(d.is) != c.is {
			t.Errorf("%s: have %d vertices %d indices, want %d %d", c.name, len(d.vs), len(d.is), c.vs, c.is)
		}
		for _, i := range d.is {
			if int(i) >= len(d.vs) {
				t.Errorf("%s: index %d out of %d vertices", c.name, i, len(d.vs))
			}
		}
	}
	// y up: a point above the centre is drawn above it on screen.
	d.vs = d.vs[:0]
	d.Circle(physics.Vec2{Y: 2}, 0.1, red)
	if cy := d.vs[0].DstY; cy >= 50 {
		t.Errorf("a point 2 m up is at screen y %v, want above the centre (50)", cy)
	}
}

func TestWorldDrawerTurnsACoveringPolygonIntoTheBackground(t *testing.T) {
	cam := model.NewCamera(10)
	cam.View = model.Rect{X: 0, Y: 0, W: 200, H: 100}
	var d worldDrawer
	d.begin(nil, &cam, 1, color.RGBA{1, 2, 3, 255})
	green := color.RGBA{0, 200, 0, 255}
	d.Polygon([]physics.Vec2{{X: -100, Y: -100}, {X: 100, Y: -100}, {X: 100, Y: 100}, {X: -100, Y: 100}}, green, color.RGBA{})
	if d.bg != green || len(d.vs) != 0 {
		t.Errorf("covering polygon: bg %v, %d vertices; want the background and none", d.bg, len(d.vs))
	}
	d.Polygon([]physics.Vec2{{X: -100, Y: -100}, {X: 100, Y: -100}, {X: 100, Y: 100}, {X: -100, Y: 100}}, color.RGBA{9, 9, 9, 255}, color.RGBA{})
	if len(d.vs) != 4 {
		t.Errorf("a second covering polygon must be drawn: %d vertices", len(d.vs))
	}
	d.begin(nil, &cam, 1, color.RGBA{1, 2, 3, 255})
	d.Polygon([]physics.Vec2{{X: -1, Y: -1}, {X: 1, Y: -1}, {X: 1, Y: 1}}, green, color.RGBA{})
	if d.bg == green || len(d.vs) != 3 {
		t.Errorf("a small first polygon is not the background: bg %v, %d vertices", d.bg, len(d.vs))
	}
}
