package clip

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

// TestRecorderWritesADecodableGIF draws a moving disc through the Drawer
// interface and checks what image/gif reads back: the frame count (still
// frames merged into a longer delay), the size, and the disc's colour at
// its place in the composed last frame.
func TestRecorderWritesADecodableGIF(t *testing.T) {
	rec, err := NewRecorder(160, 90, 10)
	if err != nil {
		t.Fatal(err)
	}
	cv := NewCanvas(320, 180, 20) // frames are halved by the recorder
	red := color.RGBA{0xe0, 0x30, 0x30, 0xff}
	for k := 0; k < 12; k++ {
		x := float64(min(k, 9)) * 0.5 // the last three frames are still
		cv.Clear(color.RGBA{0xcf, 0xd8, 0xef, 0xff})
		cv.Polygon([]physics.Vec2{{X: -8, Y: -4}, {X: 8, Y: -4}, {X: 8, Y: -3}, {X: -8, Y: -3}}, color.RGBA{0x66, 0x99, 0x4c, 0xff}, color.RGBA{})
		cv.Circle(physics.Vec2{X: x}, 1, red)
		cv.Segment(physics.Vec2{X: x}, physics.Vec2{X: x + 2, Y: 2}, color.RGBA{255, 0, 0, 160})
		rec.Add(cv.Img)
	}
	if rec.Len() != 10 || rec.Frames() != 12 {
		t.Errorf("kept %d frames showing %d; want 10 frames (the still ones merged) showing 12", rec.Len(), rec.Frames())
	}
	path := filepath.Join(t.TempDir(), "clip.gif")
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 10 || g.Config.Width != 160 || g.Config.Height != 90 {
		t.Fatalf("decoded %d frames of %d×%d, want 10 of 160×90", len(g.Image), g.Config.Width, g.Config.Height)
	}
	total := 0
	for _, d := range g.Delay {
		total += d
	}
	if total != 12*10 {
		t.Errorf("delays add up to %d cs, want 120 (12 frames at 10 fps)", total)
	}
	// Compose the frames (disposal none) and look at the disc's centre:
	// world x = 4.5 m → canvas 160 + 4.5·20 = 250 → clip 125, y 45.
	comp := image.NewRGBA(image.Rect(0, 0, 160, 90))
	for _, f := range g.Image {
		for y := f.Rect.Min.Y; y < f.Rect.Max.Y; y++ {
			for x := f.Rect.Min.X; x < f.Rect.Max.X; x++ {
				if _, _, _, a := f.At(x, y).RGBA(); a > 0 {
					comp.Set(x, y, f.At(x, y))
				}
			}
		}
	}
	if c := comp.RGBAAt(125, 45); c.R < 0xc0 || c.G > 0x60 {
		t.Errorf("disc centre is %v, want red", c)
	}
	if c := comp.RGBAAt(10, 10); c.B < 0xd0 {
		t.Errorf("sky is %v, want light blue", c)
	}
}

func TestRecorderRefusesBadSizes(t *testing.T) {
	for _, c := range []struct {
		w, h int
		fps  float64
	}{{0, 10, 10}, {10, -1, 10}, {5000, 10, 10}, {10, 10, 0}, {10, 10, 100}} {
		if _, err := NewRecorder(c.w, c.h, c.fps); err == nil {
			t.Errorf("NewRecorder(%d, %d, %v) accepted", c.w, c.h, c.fps)
		}
	}
	r, _ := NewRecorder(10, 10, 10)
	if err := r.Save(filepath.Join(t.TempDir(), "x.gif")); err == nil {
		t.Error("saving a clip without frames worked")
	}
}

func TestHeatStripUsesTheDivergingScale(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 80))
	w := make([]float32, 4*8)
	for k := range w {
		w[k] = 1
		if k%4 < 2 {
			w[k] = -1
		}
	}
	HeatStrip(img, img.Bounds(), []Layer{{In: 4, Out: 8, W: w}})
	// Left half of the layer negative (blue), right half positive (orange).
	left, right := img.RGBAAt(10, 50), img.RGBAAt(150, 50)
	if left.B <= left.R || right.R <= right.B {
		t.Errorf("negative cell %v, positive cell %v: want blue and orange", left, right)
	}
}
