package racer

import (
	"image/color"
	"math"

	"github.com/hebbsim/hebbsim/physics"
)

// Colours for Draw (the app's full view).
var (
	drawBG      = color.RGBA{102, 204, 102, 255}
	drawGrass   = color.RGBA{102, 230, 102, 255}
	drawRoad    = color.RGBA{102, 102, 102, 255}
	drawVisited = color.RGBA{112, 112, 140, 255}
	drawRed     = color.RGBA{255, 0, 0, 255}
	drawWhite   = color.RGBA{255, 255, 255, 255}
	drawHull    = color.RGBA{204, 0, 0, 255}
	drawOilHull = color.RGBA{140, 60, 20, 255}
	drawWheel   = color.RGBA{0, 0, 0, 255}
	drawStart   = color.RGBA{255, 255, 255, 255}
	drawOil     = color.RGBA{30, 25, 20, 200}
	drawRay     = color.RGBA{255, 220, 0, 255}
)

// Draw draws the playfield, the grass patches, the road (visited tiles
// tinted blue-grey), the kerbs, the start line, an oil slick where oil was
// spilt (while it lasts), the car and, in rays mode, the rays, in world
// coordinates.
func (e *Env) Draw(d physics.Drawer) {
	pf := playfield
	d.Polygon([]physics.Vec2{{X: -pf, Y: -pf}, {X: pf, Y: -pf}, {X: pf, Y: pf}, {X: -pf, Y: pf}}, drawBG, color.RGBA{})
	for i := -20; i < 20; i += 2 {
		for j := -20; j < 20; j += 2 {
			x, y := float64(i)*grassDim, float64(j)*grassDim
			d.Polygon([]physics.Vec2{{X: x, Y: y}, {X: x + grassDim, Y: y}, {X: x + grassDim, Y: y + grassDim}, {X: x, Y: y + grassDim}}, drawGrass, color.RGBA{})
		}
	}
	t := e.track
	for i := range t.tiles {
		c := drawRoad
		if e.visited[i] {
			c = drawVisited
		}
		q := t.tiles[i]
		d.Polygon(q[:], c, color.RGBA{})
	}
	for i := range t.kerbs {
		c := drawWhite
		if t.kerbs[i].red {
			c = drawRed
		}
		q := t.kerbs[i].poly
		d.Polygon(q[:], c, color.RGBA{})
	}
	q := t.tiles[0]
	d.Segment(q[0], q[1], drawStart)

	if e.damage == "oil" {
		d.Circle(e.oilAt, 5, drawOil)
	}
	if !e.broken {
		for i := range e.car.wheels {
			b := e.car.wheels[i].body
			wp, wa := b.GetPosition(), b.GetAngle()
			s, c := math.Sincos(wa)
			pts := make([]physics.Vec2, 4)
			for k, v := range wheelPoly {
				lx, ly := v[0]*carSize, v[1]*carSize
				pts[k] = physics.Vec2{X: wp.X + lx*c - ly*s, Y: wp.Y + lx*s + ly*c}
			}
			d.Polygon(pts, drawWheel, color.RGBA{})
		}
	}
	hull := drawHull
	if e.damage == "oil" {
		hull = drawOilHull
	}
	s, c := math.Sincos(e.pose.angle)
	for _, poly := range hullPoly {
		pts := make([]physics.Vec2, len(poly))
		for k, v := range poly {
			lx, ly := v[0]*carSize, v[1]*carSize
			pts[k] = physics.Vec2{X: e.pose.x + lx*c - ly*s, Y: e.pose.y + lx*s + ly*c}
		}
		d.Polygon(pts, hull, color.RGBA{})
	}
	if e.vec > 0 && !e.broken {
		from, to := e.Rays()
		for _, p := range to {
			d.Segment(from, p, drawRay)
		}
	}
}
