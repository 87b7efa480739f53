package game

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/hebbsim/hebbsim/game/model"
	"github.com/hebbsim/hebbsim/physics"
)

// worldDrawer implements physics.Drawer. It batches every fill and line of
// a frame into one vertex list and draws it with as few DrawTriangles
// calls as the 16-bit indices allow: under software GL the number of draw
// calls, not the number of triangles, dominates. Lines are thin quads
// without anti-aliasing (anti-aliased strokes are the other big cost,
// DESIGN.md §4).
type worldDrawer struct {
	cam    *model.Camera
	dst    *ebiten.Image
	src    *ebiten.Image // a white pixel
	vs     []ebiten.Vertex
	is     []uint16
	xs     []float32 // scratch: screen points of the current polygon
	labels []worldLabel
	lineW  float32
	face   text.Face

	// bg fills the view before the first batch is drawn: the sky, or the
	// colour of a first polygon that covers the whole view (the racer's
	// playfield), which is then not drawn as triangles — one fill of the
	// view instead of two.
	bg      color.RGBA
	bgDone  bool
	anyDraw bool
}

type worldLabel struct {
	x, y  float64
	s     string
	c     color.RGBA
	plain bool // no plate (the distance markers on the sky)
}

func (d *worldDrawer) begin(dst *ebiten.Image, cam *model.Camera, lineW float32, bg color.RGBA) {
	d.dst, d.cam, d.lineW = dst, cam, lineW
	d.vs, d.is, d.labels = d.vs[:0], d.is[:0], d.labels[:0]
	d.bg, d.bgDone, d.anyDraw = bg, false, false
}

func (d *worldDrawer) vertex(x, y float32, c color.RGBA) uint16 {
	n := len(d.vs)
	d.vs = append(d.vs, ebiten.Vertex{DstX: x, DstY: y, SrcX: 1, SrcY: 1,
		ColorR: float32(c.R) / 255, ColorG: float32(c.G) / 255, ColorB: float32(c.B) / 255, ColorA: float32(c.A) / 255})
	return uint16(n)
}

// room flushes when the next n vertices would overflow 16-bit indices.
func (d *worldDrawer) room(n int) {
	if len(d.vs)+n > 65000 {
		d.flush()
	}
}

func (d *worldDrawer) flush() {
	if !d.bgDone && d.dst != nil {
		d.dst.Fill(d.bg)
		d.bgDone = true
	}
	if len(d.is) > 0 {
		d.dst.DrawTriangles(d.vs, d.is, d.src, &ebiten.DrawTrianglesOptions{})
	}
	d.vs, d.is = d.vs[:0], d.is[:0]
}

func (d *worldDrawer) end() {
	d.flush()
	// Labels on a dark plate, moved apart where they would stack (the
	// damage labels of the two legs on one hip): red on the purple body
	// could not be read.
	if len(d.labels) == 0 {
		return
	}
	s := float64(d.lineW) / 1.5
	rs := make([]model.Rect, len(d.labels))
	for i, l := range d.labels {
		if l.plain {
			continue // a zero rect: never in the way
		}
		rs[i] = model.Rect{X: l.x - 3*s, Y: l.y - 1*s, W: text.Advance(l.s, d.face) + 6*s, H: model.SmallH * s}
	}
	rs = model.SpreadLabels(rs, 1*s)
	for i, l := range d.labels {
		if l.plain {
			drawText(d.dst, l.s, d.face, l.x, l.y, l.c)
			continue
		}
		fillRect(d.dst, rs[i], colHUD)
		drawText(d.dst, l.s, d.face, rs[i].X+3*s, rs[i].Y+1*s, lighten(l.c))
	}
}

// covers reports whether the convex polygon in d.xs contains the whole
// view.
func (d *worldDrawer) covers() bool {
	v := d.cam.View
	n := len(d.xs) / 2
	for _, c := range [4][2]float32{{float32(v.X), float32(v.Y)}, {float32(v.X + v.W), float32(v.Y)}, {float32(v.X + v.W), float32(v.Y + v.H)}, {float32(v.X), float32(v.Y + v.H)}} {
		sign := float32(0)
		for k := 0; k < n; k++ {
			ax, ay := d.xs[2*k], d.xs[2*k+1]
			bx, by := d.xs[2*((k+1)%n)], d.xs[2*((k+1)%n)+1]
			cr := (bx-ax)*(c[1]-ay) - (by-ay)*(c[0]-ax)
			if cr*sign < 0 {
				return false
			}
			if cr != 0 {
				sign = cr
			}
		}
	}
	return true
}

// visible reports whether the screen points in d.xs can touch the view.
func (d *worldDrawer) visible() bool {
	v := d.cam.View
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	for k := 0; k < len(d.xs); k += 2 {
		minX, maxX = min(minX, d.xs[k]), max(maxX, d.xs[k])
		minY, maxY = min(minY, d.xs[k+1]), max(maxY, d.xs[k+1])
	}
	return maxX >= float32(v.X) && minX <= float32(v.X+v.W) && maxY >= float32(v.Y) && minY <= float32(v.Y+v.H)
}

func (d *worldDrawer) project(pts []physics.Vec2) {
	d.xs = d.xs[:0]
	for _, p := range pts {
		x, y := d.cam.ToScreen(p)
		d.xs = append(d.xs, float32(x), float32(y))
	}
}

// Polygon implements physics.Drawer.
func (d *worldDrawer) Polygon(pts []physics.Vec2, fill, stroke color.RGBA) {
	if len(pts) < 2 {
		return
	}
	d.project(pts)
	if !d.visible() {
		return
	}
	n := len(pts)
	if !d.anyDraw && fill.A == 255 && stroke.A == 0 && model.Convex(d.xs) && d.covers() {
		d.bg, d.anyDraw = fill, true
		return
	}
	d.anyDraw = true
	if fill.A > 0 && n >= 3 {
		d.room(n)
		base := uint16(len(d.vs))
		for k := 0; k < n; k++ {
			d.vertex(d.xs[2*k], d.xs[2*k+1], fill)
		}
		if model.Convex(d.xs) {
			for k := 1; k+1 < n; k++ {
				d.is = append(d.is, base, base+uint16(k), base+uint16(k+1))
			}
		} else {
			d.is = model.EarClip(d.xs, base, d.is)
		}
	}
	if stroke.A > 0 {
		for k := 0; k < n; k++ {
			j := (k + 1) % n
			d.line(d.xs[2*k], d.xs[2*k+1], d.xs[2*j], d.xs[2*j+1], stroke)
		}
	}
}

// line adds a quad of width lineW from (x0,y0) to (x1,y1).
func (d *worldDrawer) line(x0, y0, x1, y1 float32, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	d.anyDraw = true
	nx, ny := -dy/l*d.lineW/2, dx/l*d.lineW/2
	d.room(4)
	b := d.vertex(x0+nx, y0+ny, c)
	d.vertex(x1+nx, y1+ny, c)
	d.vertex(x1-nx, y1-ny, c)
	d.vertex(x0-nx, y0-ny, c)
	d.is = append(d.is, b, b+1, b+2, b, b+2, b+3)
}

// Segment implements physics.Drawer.
func (d *worldDrawer) Segment(a, b physics.Vec2, c color.RGBA) {
	x0, y0 := d.cam.ToScreen(a)
	x1, y1 := d.cam.ToScreen(b)
	v := d.cam.View
	if math.Max(x0, x1) < v.X || math.Min(x0, x1) > v.X+v.W || math.Max(y0, y1) < v.Y || math.Min(y0, y1) > v.Y+v.H {
		return
	}
	d.line(float32(x0), float32(y0), float32(x1), float32(y1), c)
}

// Circle implements physics.Drawer (a 16-gon).
func (d *worldDrawer) Circle(center physics.Vec2, radius float64, fill color.RGBA) {
	cx, cy := d.cam.ToScreen(center)
	r := radius * d.cam.Zoom
	v := d.cam.View
	if cx+r < v.X || cx-r > v.X+v.W || cy+r < v.Y || cy-r > v.Y+v.H {
		return
	}
	const n = 16
	d.room(n + 1)
	c := d.vertex(float32(cx), float32(cy), fill)
	for k := 0; k < n; k++ {
		a := 2 * math.Pi * float64(k) / n
		d.vertex(float32(cx+r*math.Cos(a)), float32(cy+r*math.Sin(a)), fill)
	}
	for k := 0; k < n; k++ {
		d.is = append(d.is, c, c+1+uint16(k), c+1+uint16((k+1)%n))
	}
}

// Label implements physics.Drawer.
func (d *worldDrawer) Label(at physics.Vec2, s string, c color.RGBA) {
	x, y := d.cam.ToScreen(at)
	d.labels = append(d.labels, worldLabel{x, y, s, c, false})
}

// lighten mixes c halfway to white, so a label's colour reads on the
// dark plate.
func lighten(c color.RGBA) color.RGBA {
	return color.RGBA{c.R/2 + 0x80, c.G/2 + 0x80, c.B/2 + 0x80, 0xff}
}
