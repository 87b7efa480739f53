package racer

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/vector"
)

var (
	update = flag.Bool("update", false, "rewrite testdata/golden.png from the current renderer")
	docs   = flag.Bool("docs", false, "write docs/racer-pixels.png and docs/racer-rays.png")
)

// placeCar puts the car on track point i of its track, turned by dAngle
// from the road's heading and shifted right by off metres, moving at speed
// with its front wheels steered by steer rad (+ left), spinning at omega,
// and rotating at w rad/s. It touches no solver state beyond the bodies.
func placeCar(e *Env, i int, dAngle, off, speed, steer, omega, w float64) {
	p := e.track.pts[i]
	e.car.place(p.x+off*math.Cos(p.beta), p.y+off*math.Sin(p.beta), p.beta+dAngle, speed, steer, omega, w)
	e.readPose()
}

// goldenState is the fixed state of the golden image: seed 3, the car a
// few tiles before the first kerb after tile 20, turned and off-centre,
// steering, with every indicator showing.
func goldenState(t testing.TB) *Env {
	e := newEnv(t, Options{})
	e.Reset(3)
	k := 20
	for ; k < len(e.track.pts) && !kerbAt(e, k); k++ {
	}
	placeCar(e, k-8, 0.25, 2, 40, 0.2, 60, 1.5)
	return e
}

func kerbAt(e *Env, i int) bool {
	p := e.track.pts[i]
	for _, k := range e.track.kerbs {
		if math.Hypot(k.poly[0].X-p.x, k.poly[0].Y-p.y) < trackWidth+2*borderWidth {
			return true
		}
	}
	return false
}

// TestGolden compares the pixel view of a fixed state with
// testdata/golden.png (go test -run Golden -update rewrites it). The
// tolerance allows rounding differences in the rasteriser, not changes
// of layout or colour.
func TestGolden(t *testing.T) {
	e := goldenState(t)
	have := e.ObservationImage()
	path := filepath.Join("testdata", "golden.png")
	if *update {
		if err := writePNG(path, have); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != have.Bounds() {
		t.Fatalf("golden is %v, view is %v", want.Bounds(), have.Bounds())
	}
	var sum, worst float64
	for y := 0; y < ViewH; y++ {
		for x := 0; x < ViewW; x++ {
			r1, g1, b1, _ := want.At(x, y).RGBA()
			c := have.RGBAAt(x, y)
			for _, d := range [3]float64{
				math.Abs(float64(r1>>8) - float64(c.R)),
				math.Abs(float64(g1>>8) - float64(c.G)),
				math.Abs(float64(b1>>8) - float64(c.B)),
			} {
				sum += d
				worst = math.Max(worst, d)
			}
		}
	}
	mean := sum / (ViewW * ViewH * 3)
	t.Logf("golden: mean |diff| %.3f, max %.0f (of 255)", mean, worst)
	if mean > 0.5 || worst > 24 {
		t.Errorf("view differs from golden: mean |diff| %.3f (want ≤ 0.5), max %.0f (want ≤ 24)", mean, worst)
	}
}

// TestPixelLayout checks the observation's layout on the golden state:
// HWC order, the car's red hull at its fixed place, road and grass
// colours, the black indicator bar.
func TestPixelLayout(t *testing.T) {
	e := goldenState(t)
	obs := make([]float32, ObsPixels)
	e.Observe(obs)
	px := func(x, y int) [3]float32 {
		i := (y*ViewW + x) * 3
		return [3]float32{obs[i], obs[i+1], obs[i+2]}
	}
	near := func(a, b [3]float32) bool {
		for c := range a {
			if math.Abs(float64(a[c]-b[c])) > 0.02 {
				return false
			}
		}
		return true
	}
	for _, c := range []struct {
		name string
		x, y int
		want [3]float32
	}{
		{"hull centre", int(CarX), int(CarY), colHull},
		{"bar left end", 1, ViewH - 1, colBar},
		{"bar right end", ViewW - 2, worldH + 1, colBar},
	} {
		if have := px(c.x, c.y); !near(have, c.want) {
			t.Errorf("%s (%d,%d): have %v, want %v", c.name, c.x, c.y, have, c.want)
		}
	}
	// The road straight ahead of the car, grass far to the side.
	roadAhead := false
	for y := 10; y < 50; y++ {
		if near(px(int(CarX), y), colRoad) {
			roadAhead = true
		}
	}
	if !roadAhead {
		t.Errorf("no road pixel ahead of the car")
	}
	for i, v := range obs {
		if v < 0 || v > 1 || v != v {
			t.Fatalf("obs[%d] = %v, want [0,1]", i, v)
		}
	}
}

func writePNG(path string, img image.Image) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// TestDocImages writes the README's observation figures (with -docs): the
// pixel view, the rays and the wide pixel view of the golden state.
func TestDocImages(t *testing.T) {
	if !*docs {
		t.Skip("run with -docs to write docs/racer-*.png")
	}
	e := goldenState(t)
	small := e.ObservationImage()
	big := image.NewRGBA(image.Rect(0, 0, ViewW*4, ViewH*4))
	draw.NearestNeighbor.Scale(big, big.Bounds(), small, small.Bounds(), draw.Src, nil)
	if err := writePNG(filepath.Join("..", "..", "docs", "racer-pixels.png"), big); err != nil {
		t.Fatal(err)
	}
	if err := writePNG(filepath.Join("..", "..", "docs", "racer-rays.png"), raysFigure(e, 336, 336, 5)); err != nil {
		t.Fatal(err)
	}
	// The same state in the wide view.
	e.ren.scaleX = WideScaleX
	small = e.ObservationImage()
	e.ren.scaleX = 0
	draw.NearestNeighbor.Scale(big, big.Bounds(), small, small.Bounds(), draw.Src, nil)
	if err := writePNG(filepath.Join("..", "..", "docs", "racer-pixels-wide.png"), big); err != nil {
		t.Fatal(err)
	}
}

// raysFigure draws a top-down view around the car (north up, s px/m) with
// the road, the car and its rays.
func raysFigure(e *Env, w, h int, s float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{102, 204, 102, 255}), image.Point{}, draw.Src)
	c := e.Focus()
	tr := func(x, y float64) (float32, float32) {
		return float32(float64(w)/2 + s*(x-c.X)), float32(float64(h)/2 - s*(y-c.Y))
	}
	var z vector.Rasterizer
	poly := func(pts [][2]float64, col color.RGBA) {
		z.Reset(w, h)
		for i, p := range pts {
			x, y := tr(p[0], p[1])
			if i == 0 {
				z.MoveTo(x, y)
			} else {
				z.LineTo(x, y)
			}
		}
		z.ClosePath()
		z.Draw(img, img.Bounds(), image.NewUniform(col), image.Point{})
	}
	for _, q := range e.track.tiles {
		poly([][2]float64{{q[0].X, q[0].Y}, {q[1].X, q[1].Y}, {q[2].X, q[2].Y}, {q[3].X, q[3].Y}}, color.RGBA{102, 102, 102, 255})
	}
	for _, k := range e.track.kerbs {
		col := color.RGBA{255, 255, 255, 255}
		if k.red {
			col = color.RGBA{255, 0, 0, 255}
		}
		q := k.poly
		poly([][2]float64{{q[0].X, q[0].Y}, {q[1].X, q[1].Y}, {q[2].X, q[2].Y}, {q[3].X, q[3].Y}}, col)
	}
	from, to := e.Rays()
	for _, p := range to {
		// A thin quad along the ray, and a dot at its end.
		dx, dy := p.X-from.X, p.Y-from.Y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		nx, ny := -dy/l*0.15, dx/l*0.15
		poly([][2]float64{{from.X + nx, from.Y + ny}, {p.X + nx, p.Y + ny}, {p.X - nx, p.Y - ny}, {from.X - nx, from.Y - ny}}, color.RGBA{255, 220, 0, 255})
		var dot [][2]float64
		for a := 0; a < 12; a++ {
			s, c := math.Sincos(float64(a) * math.Pi / 6)
			dot = append(dot, [2]float64{p.X + 0.8*c, p.Y + 0.8*s})
		}
		poly(dot, color.RGBA{255, 120, 0, 255})
	}
	sa, ca := math.Sincos(e.pose.angle)
	for _, hp := range hullPoly {
		var pts [][2]float64
		for _, v := range hp {
			lx, ly := v[0]*carSize, v[1]*carSize
			pts = append(pts, [2]float64{e.pose.x + lx*ca - ly*sa, e.pose.y + lx*sa + ly*ca})
		}
		poly(pts, color.RGBA{204, 0, 0, 255})
	}
	return img
}

// TestRoadStrips checks that drawing the road as strips of tiles gives the
// same view as drawing every tile, over many car placements (including
// zoomed-out views where runs wrap round the loop's start).
func TestRoadStrips(t *testing.T) {
	e := newEnv(t, Options{})
	a := make([]float32, ObsPixels)
	b := make([]float32, ObsPixels)
	for seed := int64(0); seed < 5; seed++ {
		e.Reset(seed)
		n := len(e.track.pts)
		for k := 0; k < 24; k++ {
			i := (k*37 + 3) % n
			if k < 3 {
				i = (n - 1 + k) % n // around the seam
			}
			placeCar(e, i, float64(k%7)*0.5, float64(k%5)-2, 20, 0, 0, 0)
			e.ren.quads = false
			e.ren.render(e, a)
			e.ren.quads = true
			e.ren.render(e, b)
			e.ren.quads = false
			worst := 0.0
			for j := range a {
				worst = math.Max(worst, math.Abs(float64(a[j]-b[j])))
			}
			if worst > 2.0/255 {
				t.Fatalf("seed %d, car at point %d: strips differ from tiles by %.4f", seed, i, worst)
			}
		}
	}
}

// TestWideView: "pixels-wide" draws the same scene squeezed across by
// WideScaleX/ViewScale (Gym's 61.7 m instead of 48 m) and unchanged along:
// on a straight, the road is that much narrower in pixels, and the hull
// sits at the same pixel.
func TestWideView(t *testing.T) {
	roadWidth := func(obs string) (float64, bool) {
		e := newEnv(t, Options{Obs: obs})
		e.Reset(3)
		pts := e.track.pts
		i := -1
		for k := range len(pts) - 12 {
			straight := true
			for j := k; j < k+12; j++ {
				straight = straight && math.Abs(math.Remainder(pts[j+1].beta-pts[j].beta, 2*math.Pi)) < 0.005
			}
			if straight {
				i = k
				break
			}
		}
		if i < 0 {
			t.Fatal("no straight on track 3")
		}
		placeCar(e, i, 0, 0, 0, 0, 0, 0)
		o := make([]float32, ObsPixels)
		e.Observe(o)
		isRoad := func(x, y int) bool {
			p := o[(y*ViewW+x)*3:]
			return math.Abs(float64(p[0]-colRoad[0])) < 0.02 && math.Abs(float64(p[1]-colRoad[1])) < 0.02
		}
		n := 0
		for x := range ViewW {
			if isRoad(x, int(CarY)-20) {
				n++
			}
		}
		h := o[(int(CarY)*ViewW+int(CarX))*3:]
		return float64(n), h[0] > 0.7 && h[1] < 0.1
	}
	narrow, hullN := roadWidth("pixels")
	wide, hullW := roadWidth("pixels-wide")
	if !hullN || !hullW {
		t.Errorf("hull at (%v, %v): narrow %v, wide %v", CarX, CarY, hullN, hullW)
	}
	// 2 × 6.67 m of road: 23.3 px at ViewScale, 18.2 px at WideScaleX.
	if math.Abs(narrow-2*TrackWidth*ViewScale) > 2 || math.Abs(wide-2*TrackWidth*WideScaleX) > 2 {
		t.Errorf("road %v px narrow, %v px wide; want %.1f and %.1f", narrow, wide, 2*TrackWidth*ViewScale, 2*TrackWidth*WideScaleX)
	}
}
