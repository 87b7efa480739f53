package clip

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/hebbsim/hebbsim/physics"
)

// Canvas draws a world into an RGBA image through the physics' own
// Drawer interface (DESIGN.md §3.2), with golang.org/x/image/vector: no
// display, no GPU, so clips can be made on a server.
type Canvas struct {
	Img *image.RGBA
	// Center is the world point at the middle of the image; Zoom is pixels
	// per metre.
	Center physics.Vec2
	Zoom   float64
	// LineW is the width of strokes and segments in pixels.
	LineW float64

	ras vector.Rasterizer
	pts []float32
}

// NewCanvas makes a w×h canvas at zoom pixels per metre.
func NewCanvas(w, h int, zoom float64) *Canvas {
	return &Canvas{Img: image.NewRGBA(image.Rect(0, 0, w, h)), Zoom: zoom, LineW: 1.2}
}

// Clear fills the canvas with c.
func (c *Canvas) Clear(col color.RGBA) {
	draw.Draw(c.Img, c.Img.Bounds(), image.NewUniform(col), image.Point{}, draw.Src)
}

// ToScreen maps a world point to pixels (y down).
func (c *Canvas) ToScreen(p physics.Vec2) (float64, float64) {
	b := c.Img.Bounds()
	return float64(b.Dx())/2 + (p.X-c.Center.X)*c.Zoom, float64(b.Dy())/2 - (p.Y-c.Center.Y)*c.Zoom
}

// Follow moves the centre a fraction ease of the way to focus, then keeps
// focus inside the middle keep fraction of the image, as the app's
// camera does (game/model.Camera.Ease).
func (c *Canvas) Follow(focus physics.Vec2, ease, keep float64) {
	if math.IsNaN(focus.X) || math.IsNaN(focus.Y) {
		return
	}
	c.Center.X += (focus.X - c.Center.X) * ease
	c.Center.Y += (focus.Y - c.Center.Y) * ease
	b := c.Img.Bounds()
	hx, hy := keep*float64(b.Dx())/2/c.Zoom, keep*float64(b.Dy())/2/c.Zoom
	c.Center.X = math.Max(focus.X-hx, math.Min(focus.X+hx, c.Center.X))
	c.Center.Y = math.Max(focus.Y-hy, math.Min(focus.Y+hy, c.Center.Y))
}

// fill rasterises the closed polygon in c.pts (screen x, y pairs).
func (c *Canvas) fill(col color.RGBA) {
	n := len(c.pts) / 2
	if n < 3 || col.A == 0 {
		return
	}
	b := c.Img.Bounds()
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for k := 0; k < n; k++ {
		x, y := float64(c.pts[2*k]), float64(c.pts[2*k+1])
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	if maxX < 0 || maxY < 0 || minX > float64(b.Dx()) || minY > float64(b.Dy()) {
		return
	}
	// Far-off points are clamped: the rasteriser's accumulator covers the
	// image only, and a ground polygon may reach kilometres away.
	lim := float32(4 * (b.Dx() + b.Dy()))
	c.ras.Reset(b.Dx(), b.Dy())
	c.ras.DrawOp = draw.Over
	for k := 0; k < n; k++ {
		x, y := clamp32(c.pts[2*k], -lim, lim), clamp32(c.pts[2*k+1], -lim, lim)
		if k == 0 {
			c.ras.MoveTo(x, y)
		} else {
			c.ras.LineTo(x, y)
		}
	}
	c.ras.ClosePath()
	// Physics colours are straight alpha (color.RGBA would read them as
	// premultiplied).
	c.ras.Draw(c.Img, b, image.NewUniform(color.NRGBA(col)), image.Point{})
}

func clamp32(v, lo, hi float32) float32 { return max(lo, min(hi, v)) }

func (c *Canvas) project(pts []physics.Vec2) {
	c.pts = c.pts[:0]
	for _, p := range pts {
		x, y := c.ToScreen(p)
		c.pts = append(c.pts, float32(x), float32(y))
	}
}

// Polygon implements physics.Drawer.
func (c *Canvas) Polygon(pts []physics.Vec2, fill, stroke color.RGBA) {
	if len(pts) < 2 {
		return
	}
	c.project(pts)
	c.fill(fill)
	if stroke.A > 0 {
		n := len(pts)
		xs := append([]float32(nil), c.pts...)
		for k := 0; k < n; k++ {
			j := (k + 1) % n
			c.line(xs[2*k], xs[2*k+1], xs[2*j], xs[2*j+1], stroke)
		}
	}
}

// line fills a quad of width LineW from (x0, y0) to (x1, y1).
func (c *Canvas) line(x0, y0, x1, y1 float32, col color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	w := float32(c.LineW) / 2
	nx, ny := -dy/l*w, dx/l*w
	c.pts = append(c.pts[:0], x0+nx, y0+ny, x1+nx, y1+ny, x1-nx, y1-ny, x0-nx, y0-ny)
	c.fill(col)
}

// Segment implements physics.Drawer.
func (c *Canvas) Segment(a, b physics.Vec2, col color.RGBA) {
	x0, y0 := c.ToScreen(a)
	x1, y1 := c.ToScreen(b)
	c.line(float32(x0), float32(y0), float32(x1), float32(y1), col)
}

// Circle implements physics.Drawer (a 16-gon).
func (c *Canvas) Circle(center physics.Vec2, radius float64, fill color.RGBA) {
	cx, cy := c.ToScreen(center)
	r := radius * c.Zoom
	c.pts = c.pts[:0]
	for k := 0; k < 16; k++ {
		a := 2 * math.Pi * float64(k) / 16
		c.pts = append(c.pts, float32(cx+r*math.Cos(a)), float32(cy+r*math.Sin(a)))
	}
	c.fill(fill)
}

// Label implements physics.Drawer.
func (c *Canvas) Label(at physics.Vec2, s string, col color.RGBA) {
	x, y := c.ToScreen(at)
	c.Text(int(x), int(y), s, col)
}

// Text writes s with its top-left corner at (x, y) in a 7×13 bitmap font.
func (c *Canvas) Text(x, y int, s string, col color.RGBA) {
	d := font.Drawer{Dst: c.Img, Src: image.NewUniform(col), Face: basicfont.Face7x13,
		Dot: fixed.P(x, y+11)}
	d.DrawString(s)
}

// TextBox writes lines on a dark translucent box at (x, y).
func (c *Canvas) TextBox(x, y int, lines []string, col color.RGBA) {
	w := 0
	for _, l := range lines {
		w = max(w, font.MeasureString(basicfont.Face7x13, l).Round())
	}
	r := image.Rect(x, y, x+w+10, y+len(lines)*14+6)
	draw.Draw(c.Img, r, image.NewUniform(color.RGBA{0x10, 0x11, 0x16, 0xc0}), image.Point{}, draw.Over)
	for k, l := range lines {
		c.Text(x+5, y+3+14*k, l, col)
	}
}

// Markers draws a faint vertical line every `every` metres from x0, with
// its distance, behind the world (the app draws the same), so a following
// camera still shows the body moving.
func (c *Canvas) Markers(x0, every float64, col color.RGBA) {
	b := c.Img.Bounds()
	left := c.Center.X - float64(b.Dx())/2/c.Zoom
	right := c.Center.X + float64(b.Dx())/2/c.Zoom
	for k := math.Ceil((left - x0) / every); x0+k*every <= right; k++ {
		x, _ := c.ToScreen(physics.Vec2{X: x0 + k*every})
		c.line(float32(x), 0, float32(x), float32(b.Dy()), col)
		c.Text(int(x)+3, b.Dy()/4, formatM(k*every), col)
	}
}

func formatM(m float64) string { return strconv.Itoa(int(math.Round(m))) + " m" }

var _ physics.Drawer = (*Canvas)(nil)
