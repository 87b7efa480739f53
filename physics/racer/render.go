package racer

import (
	"image"
	"image/draw"
	"math"

	"golang.org/x/image/vector"

	"github.com/hebbsim/hebbsim/physics"
)

// The pixel view: ViewW×ViewH, the world drawn at ViewScale pixels per
// metre above a BarH-pixel indicator bar, the car's origin at (CarX, CarY)
// facing up. The "pixels-wide" view draws across at WideScaleX instead.
const (
	ViewW     = 84
	ViewH     = 84
	BarH      = 10
	ViewScale = 1.75 // px per m: 48 m across, 35 m ahead of the car
	CarX      = 42.0
	CarY      = 62.0
	worldH    = ViewH - BarH
	// WideScaleX is Gym's horizontal scale once its 96×96 state (a
	// 1000-px-wide window at 16.2 px/m) is resized to 84×84, as the
	// reference does: 61.7 m across. Its vertical scale is within 3 % of
	// ViewScale, which the wide view keeps.
	WideScaleX = 84 / (1000 / 16.2)
)

// Colours (Gym's CarRacing defaults), as [0,1] RGB.
var (
	colBG    = rgb(102, 204, 102)
	colGrass = rgb(102, 230, 102)
	colRoad  = rgb(102, 102, 102)
	colRed   = rgb(255, 0, 0)
	colWhite = rgb(255, 255, 255)
	colHull  = rgb(204, 0, 0)
	colWheel = rgb(0, 0, 0)
	colBar   = rgb(0, 0, 0)
	colSpeed = rgb(255, 255, 255)
	colABSF  = rgb(0, 0, 255)
	colABSR  = rgb(51, 0, 255)
	colSteer = rgb(0, 255, 0)
	colGyro  = rgb(255, 0, 0)
)

func rgb(r, g, b uint8) [3]float32 {
	return [3]float32{float32(r) / 255, float32(g) / 255, float32(b) / 255}
}

// alphaLUT maps an 8-bit coverage to [0,1].
var alphaLUT = func() (l [256]float32) {
	for i := range l {
		l[i] = float32(i) / 255
	}
	return
}()

// renderer draws the pixel view straight into a float32 HWC buffer. Each
// colour layer is rasterised once (all its polygons as one path) into a
// coverage mask the size of the layer's on-screen bounding box, then
// blended; nothing is allocated once the buffers have grown.
type renderer struct {
	z      vector.Rasterizer
	mask   image.Alpha
	buf    []uint8
	pts    []float32 // screen x, y pairs
	starts []int     // index (in pairs) where each polygon starts
	tmpl   []float32 // background + empty bar
	vis    []bool    // per tile: in view
	quads  bool      // draw the road tile by tile (the tests' reference)

	// world → screen
	px, py, sin, cos float64
	// scaleX is the horizontal px per m: ViewScale, or WideScaleX for the
	// wide view (0 means ViewScale).
	scaleX float64
}

// sx is the horizontal scale in px per m.
func (r *renderer) sx() float64 {
	if r.scaleX == 0 {
		return ViewScale
	}
	return r.scaleX
}

func (r *renderer) init() {
	if r.tmpl != nil {
		return
	}
	r.tmpl = make([]float32, ObsPixels)
	for y := 0; y < ViewH; y++ {
		c := colBG
		if y >= worldH {
			c = colBar
		}
		for x := 0; x < ViewW; x++ {
			copy(r.tmpl[(y*ViewW+x)*3:], c[:])
		}
	}
	r.buf = make([]uint8, ViewW*ViewH)
	r.pts = make([]float32, 0, 1024)
	r.starts = make([]int, 0, 128)
}

// screen maps a world point to the view.
func (r *renderer) screen(x, y float64) (float32, float32) {
	dx, dy := x-r.px, y-r.py
	right := dx*r.cos + dy*r.sin
	fwd := -dx*r.sin + dy*r.cos
	return float32(CarX + r.sx()*right), float32(CarY - ViewScale*fwd)
}

// carFrame maps a world point to the car's frame (right, forward) in m.
func (r *renderer) carFrame(x, y float64) (float64, float64) {
	dx, dy := x-r.px, y-r.py
	return dx*r.cos + dy*r.sin, -dx*r.sin + dy*r.cos
}

func (r *renderer) begin()            { r.starts = append(r.starts, len(r.pts)/2) }
func (r *renderer) add(x, y float32)  { r.pts = append(r.pts, x, y) }
func (r *renderer) addW(x, y float64) { r.add(r.screen(x, y)) }

func (r *renderer) quadW(q *[4]physics.Vec2) {
	r.begin()
	for i := range q {
		r.addW(q[i].X, q[i].Y)
	}
}

// visible reports whether a disc of radius rad (m) at world (x, y) may
// overlap the world part of the view.
func (r *renderer) visible(x, y, rad float64) bool {
	rt, fw := r.carFrame(x, y)
	halfW := ViewW / 2 / r.sx()
	const ahead = CarY / ViewScale
	const behind = (worldH - CarY) / ViewScale
	return rt > -halfW-rad && rt < halfW+rad && fw < ahead+rad && fw > -behind-rad
}

// fill rasterises the pending polygons, clipped to rows [0, maxY), and
// blends col over dst with their coverage.
func (r *renderer) fill(dst []float32, col [3]float32, maxY int) {
	defer func() { r.pts, r.starts = r.pts[:0], r.starts[:0] }()
	if len(r.pts) == 0 {
		return
	}
	minx, miny := float32(math.Inf(1)), float32(math.Inf(1))
	maxx, maxy := float32(math.Inf(-1)), float32(math.Inf(-1))
	for i := 0; i < len(r.pts); i += 2 {
		x, y := r.pts[i], r.pts[i+1]
		if x != x || y != y { // NaN: draw nothing rather than garbage
			return
		}
		minx, maxx = min(minx, x), max(maxx, x)
		miny, maxy = min(miny, y), max(maxy, y)
	}
	x0, y0 := max(0, int(math.Floor(float64(minx)))), max(0, int(math.Floor(float64(miny))))
	x1, y1 := min(ViewW, int(math.Ceil(float64(maxx)))), min(maxY, int(math.Ceil(float64(maxy))))
	if x1 <= x0 || y1 <= y0 {
		return
	}
	w, h := x1-x0, y1-y0
	z := &r.z
	z.Reset(w, h)
	z.DrawOp = draw.Src
	fx, fy := float32(x0), float32(y0)
	for k, s := range r.starts {
		e := len(r.pts) / 2
		if k+1 < len(r.starts) {
			e = r.starts[k+1]
		}
		z.MoveTo(r.pts[2*s]-fx, r.pts[2*s+1]-fy)
		for j := s + 1; j < e; j++ {
			z.LineTo(r.pts[2*j]-fx, r.pts[2*j+1]-fy)
		}
		z.ClosePath()
	}
	r.mask = image.Alpha{Pix: r.buf[:w*h], Stride: w, Rect: image.Rectangle{Max: image.Point{X: w, Y: h}}}
	z.Draw(&r.mask, r.mask.Rect, image.Opaque, image.Point{})
	cr, cg, cb := col[0], col[1], col[2]
	for y := 0; y < h; y++ {
		row := r.buf[y*w : y*w+w]
		o := ((y0+y)*ViewW + x0) * 3
		out := dst[o : o+3*w]
		for x, m := range row {
			if m == 0 {
				continue
			}
			j := 3 * x
			_ = out[j+2]
			if m == 255 {
				out[j], out[j+1], out[j+2] = cr, cg, cb
				continue
			}
			a := alphaLUT[m]
			out[j] += (cr - out[j]) * a
			out[j+1] += (cg - out[j+1]) * a
			out[j+2] += (cb - out[j+2]) * a
		}
	}
}

// rectS adds an axis-aligned screen rectangle.
func (r *renderer) rectS(x0, y0, x1, y1 float32) {
	r.begin()
	r.add(x0, y0)
	r.add(x1, y0)
	r.add(x1, y1)
	r.add(x0, y1)
}

// render draws the egocentric view of e into dst (len ObsPixels).
func (r *renderer) render(e *Env, dst []float32) {
	r.init()
	copy(dst, r.tmpl)
	p := e.pose
	r.px, r.py = p.x, p.y
	r.sin, r.cos = math.Sincos(p.angle)
	t := e.track

	// Grass patches: Gym's lighter squares on every other cell of a
	// grassDim grid inside the playfield.
	{
		halfW := ViewW / 2 / r.sx()
		const ahead = CarY / ViewScale
		const behind = (worldH - CarY) / ViewScale
		minx, miny, maxx, maxy := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, c := range [4][2]float64{{-halfW, -behind}, {halfW, -behind}, {halfW, ahead}, {-halfW, ahead}} {
			wx := p.x + c[0]*r.cos - c[1]*r.sin
			wy := p.y + c[0]*r.sin + c[1]*r.cos
			minx, maxx = math.Min(minx, wx), math.Max(maxx, wx)
			miny, maxy = math.Min(miny, wy), math.Max(maxy, wy)
		}
		i0, i1 := max(-20, int(math.Floor(minx/grassDim))), min(19, int(math.Floor(maxx/grassDim)))
		j0, j1 := max(-20, int(math.Floor(miny/grassDim))), min(19, int(math.Floor(maxy/grassDim)))
		for i := i0; i <= i1; i++ {
			if i&1 != 0 {
				continue
			}
			for j := j0; j <= j1; j++ {
				if j&1 != 0 {
					continue
				}
				x, y := float64(i)*grassDim, float64(j)*grassDim
				r.begin()
				r.addW(x, y)
				r.addW(x+grassDim, y)
				r.addW(x+grassDim, y+grassDim)
				r.addW(x, y+grassDim)
			}
		}
		r.fill(dst, colGrass, worldH)
	}

	// Road tiles, culled by their centres. Each run of visible tiles is
	// one strip polygon: its coverage is the sum of the tiles' (the shared
	// edges cancel), at half the edges.
	const tileRad = 8.0
	n := len(t.tiles)
	if cap(r.vis) < n {
		r.vis = make([]bool, n)
	}
	vis := r.vis[:n]
	start := -1
	for i := range t.tiles {
		c := t.cent[i]
		vis[i] = r.visible(c.X, c.Y, tileRad)
		if !vis[i] && start < 0 {
			start = i
		}
	}
	if r.quads { // reference path for tests: one quad per tile
		for i := range t.tiles {
			if vis[i] {
				r.quadW(&t.tiles[i])
			}
		}
		start = -2
	}
	if start == -1 { // the whole loop is in view: one strip round it
		start = n - 1
		vis[start] = false
		r.quadW(&t.tiles[start])
	}
	for k := 1; k <= n && start >= 0; k++ {
		i := (start + k) % n
		if !vis[i] || (k > 1 && vis[(i+n-1)%n]) {
			continue
		}
		// A run starts at i; find its end j.
		j := i
		for vis[(j+1)%n] && (j+1)%n != start {
			j = (j + 1) % n
		}
		r.begin()
		r.addW(t.tiles[i][3].X, t.tiles[i][3].Y)
		for a := i; ; a = (a + 1) % n {
			r.addW(t.tiles[a][0].X, t.tiles[a][0].Y)
			if a == j {
				break
			}
		}
		for a := j; ; a = (a + n - 1) % n {
			r.addW(t.tiles[a][1].X, t.tiles[a][1].Y)
			if a == i {
				break
			}
		}
		r.addW(t.tiles[i][2].X, t.tiles[i][2].Y)
	}
	r.fill(dst, colRoad, worldH)

	// Kerbs: red ones, then white ones.
	for _, red := range [2]bool{true, false} {
		for i := range t.kerbs {
			k := &t.kerbs[i]
			if k.red == red && r.visible(k.poly[0].X, k.poly[0].Y, tileRad+2) {
				r.quadW(&k.poly)
			}
		}
		col := colWhite
		if red {
			col = colRed
		}
		r.fill(dst, col, worldH)
	}

	// The car: wheels, then the hull on top (Gym's draw order).
	if !e.broken {
		for i := range e.car.wheels {
			b := e.car.wheels[i].body
			wp, wa := b.GetPosition(), b.GetAngle()
			s, c := math.Sincos(wa)
			r.begin()
			for _, v := range wheelPoly {
				lx, ly := v[0]*carSize, v[1]*carSize
				r.addW(wp.X+lx*c-ly*s, wp.Y+lx*s+ly*c)
			}
		}
		r.fill(dst, colWheel, worldH)
	}
	for _, poly := range hullPoly {
		r.begin()
		for _, v := range poly {
			r.add(float32(CarX+r.sx()*v[0]*carSize), float32(CarY-ViewScale*v[1]*carSize))
		}
	}
	r.fill(dst, colHull, worldH)

	r.indicators(e, dst)
}

// indicators draws Gym's bar: true speed, the four wheels' spin (ABS
// sensors), the steering angle and the gyroscope, in Gym's units (W/40
// per unit across, BarH/5 per unit up).
func (r *renderer) indicators(e *Env, dst []float32) {
	const s = float32(ViewW) / 40
	const h = float32(BarH) / 5
	const H = float32(ViewH)
	vert := func(place float32, val float64, col [3]float32) {
		if math.Abs(val) <= 1e-4 || math.IsNaN(val) {
			return
		}
		top := H - (h + h*float32(val))
		top = max(top, float32(worldH))
		r.rectS(place*s, top, (place+1)*s, H-h)
		r.fill(dst, col, ViewH)
	}
	horiz := func(place float32, val float64, col [3]float32) {
		if math.Abs(val) <= 1e-4 || math.IsNaN(val) {
			return
		}
		v := float32(math.Max(-float64(place), math.Min(40-float64(place), val)))
		r.rectS(place*s, H-4*h, (place+v)*s, H-2*h)
		r.fill(dst, col, ViewH)
	}
	p := e.pose
	vert(5, 0.02*math.Hypot(p.vx, p.vy), colSpeed)
	if e.broken {
		return
	}
	w := &e.car.wheels
	vert(7, 0.01*w[0].omega, colABSF)
	vert(8, 0.01*w[1].omega, colABSF)
	vert(9, 0.01*w[2].omega, colABSR)
	vert(10, 0.01*w[3].omega, colABSR)
	horiz(20, -10*w[0].joint.GetJointAngle(), colSteer)
	horiz(30, -0.8*p.w, colGyro)
}
