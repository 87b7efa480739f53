package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hebbsim/hebbsim/internal/clip"
	"github.com/hebbsim/hebbsim/internal/palette"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/sim"
)

// recordHz is the env's step rate (the app's too): the clip's frame
// interval in steps is recordHz / fps.
const recordHz = 50

// The worlds' backgrounds, as the app draws them.
var recordSky = map[string]color.RGBA{
	"quadruped": {0xcf, 0xd8, 0xef, 0xff},
	"racer":     {0x5c, 0xa0, 0x5c, 0xff},
}

// recordZoom is the default zoom (pixels per metre) per env for a
// 640-pixel-wide clip: about 21 m of the quadruped's world, 160 m of the
// racer's.
var recordZoom = map[string]float64{"quadruped": 30, "racer": 4}

func newRecord() *cobra.Command {
	var ep episodeFlags
	var out string
	var w, h, colours int
	var fps, zoom float64
	var heat bool
	cmd := &cobra.Command{
		Use:   "record --rules FILE --out clip.gif [flags]",
		Short: "render one episode to an animated GIF for slides (no display needed)",
		Long: `record runs one episode, like trace, and draws the world through the physics' own
Drawer into an animated GIF: the camera follows the body, a caption says the step,
the distance and any damage, and --heatmaps adds a strip of every layer's weights
under the world. Frames are taken every 50/fps steps (the env runs 50 steps per
simulated second, so the clip plays in real time).`,
		Example: `  hebb record --rules quadruped-hebbian --damage BR:amputate@300 --steps 1000 --out clip.gif
  hebb record --rules racer-hebbian-pixels --perturb engine@200 --heatmaps --out racer.gif`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if out == "" {
				return usageErr("record: --out FILE.gif is required")
			}
			if err := checkRecord(w, h, fps, zoom, colours); err != nil {
				return err
			}
			r, err := ep.load(nil)
			if err != nil {
				return err
			}
			res, err := renderClip(r, ep, clipOptions{out: out, w: w, h: h, fps: fps, zoom: zoom, heat: heat, colours: colours})
			if err != nil {
				return err
			}
			fmt.Fprintln(c.OutOrStdout(), res)
			return nil
		},
	}
	f := cmd.Flags()
	ep.register(f, "rule file: a path or the name of a bundled rule file")
	f.StringVar(&out, "out", "", "GIF file to write")
	f.IntVar(&w, "width", 640, "clip width in pixels")
	f.IntVar(&h, "height", 360, "height of the world view in pixels (the heatmap strip adds to it)")
	f.Float64Var(&fps, "fps", 12.5, "frames per second (1…50)")
	f.Float64Var(&zoom, "zoom", 0, "pixels per metre (0: the env's default)")
	f.BoolVar(&heat, "heatmaps", false, "add a strip of the layers' weights under the world")
	f.IntVar(&colours, "colours", 64, "palette size (8…255): fewer colours, smaller file")
	return cmd
}

type clipOptions struct {
	out       string
	w, h      int
	fps, zoom float64
	heat      bool
	colours   int
}

// renderClip steps the episode the flags describe and writes the GIF; it
// returns the line to print.
func renderClip(r *recording, ep episodeFlags, o clipOptions) (string, error) {
	sep, net, steps, err := sim.Prepare(r.env, r.obs, r.rf, ep.options(r.events))
	if err != nil {
		return "", err
	}
	zoom := o.zoom
	if zoom == 0 {
		zoom = recordZoom[r.env]
		if zoom == 0 {
			zoom = 30
		}
		zoom *= float64(o.w) / 640
	}
	stripH := 0
	if o.heat {
		stripH = max(60, o.h*2/5)
	}
	every := max(1, int(math.Round(recordHz/o.fps)))
	rec, err := clip.NewRecorder(o.w, o.h+stripH, float64(recordHz)/float64(every))
	if err != nil {
		return "", err
	}
	rec.Colours = o.colours
	if stripH > 0 {
		for k := 0; k < 256; k += 32 {
			e := palette.Diverging[k]
			rec.Extra = append(rec.Extra, color.RGBA{e[0], e[1], e[2], 255})
		}
		e := palette.Diverging[255]
		rec.Extra = append(rec.Extra, color.RGBA{e[0], e[1], e[2], 255})
	}
	cv := clip.NewCanvas(o.w, o.h, zoom)
	cv.LineW = math.Max(1, zoom/25)
	env := sep.Env
	frame := image.NewRGBA(image.Rect(0, 0, o.w, o.h+stripH))
	start := env.Focus()
	cv.Center = start
	sky, ok := recordSky[r.env]
	if !ok {
		sky = color.RGBA{0xcf, 0xd8, 0xef, 0xff}
	}
	var layers []clip.Layer
	draw1 := func(step int, progress string) error {
		cv.Follow(env.Focus(), 0.35, 0.6)
		cv.Clear(sky)
		if r.env == "quadruped" {
			cv.Markers(start.X, 5, color.RGBA{0xa8, 0xb3, 0xd0, 0xff})
		}
		if err := drawSafely(env, cv); err != nil {
			return err
		}
		lines := []string{fmt.Sprintf("%s | step %d | %s", r.rf.Meta.Env, step, progress)}
		var dmg []string
		if d, ok := env.(physics.Damageable); ok {
			for t, k := range d.DamageState() {
				dmg = append(dmg, t+" "+k)
			}
		}
		sort.Strings(dmg)
		cv.TextBox(6, 6, lines, color.RGBA{0xe4, 0xe6, 0xee, 0xff})
		if len(dmg) > 0 {
			cv.TextBox(6, 28, []string{"damage: " + strings.Join(dmg, ", ")}, color.RGBA{0xff, 0x70, 0x70, 0xff})
		}
		draw.Draw(frame, cv.Img.Bounds(), cv.Img, image.Point{}, draw.Src)
		if stripH > 0 {
			layers = layers[:0]
			for _, L := range net.Layers() {
				layers = append(layers, clip.Layer{In: L.In, Out: L.Out, W: L.W})
			}
			clip.HeatStrip(frame, image.Rect(0, o.h, o.w, o.h+stripH), layers)
		}
		rec.Add(frame)
		return nil
	}
	progress := func(s float64, tiles, all int) string {
		if all > 0 {
			return fmt.Sprintf("track %d/%d", tiles, all)
		}
		return fmt.Sprintf("%.1f m", s)
	}
	if err := draw1(0, progress(0, 0, 0)); err != nil {
		return "", err
	}
	n := 0
	for !sep.Done() && n < steps {
		st := sep.Step()
		n++
		if n%every == 0 || sep.Done() {
			if err := draw1(n, progress(st.Distance, st.Tiles, st.TilesTotal)); err != nil {
				return "", err
			}
		}
	}
	if err := rec.Save(o.out); err != nil {
		return "", err
	}
	res := sep.Result()
	size := int64(0)
	if fi, err := os.Stat(o.out); err == nil {
		size = fi.Size()
	}
	return fmt.Sprintf("%s: %d frames, %d×%d, %.0f fps, %d KB; %d steps (%s), return %.1f, %s",
		o.out, rec.Frames(), o.w, o.h+stripH, float64(recordHz)/float64(every), (size+512)/1024, res.Steps, res.Reason, res.Return,
		progress(res.Distance, res.Tiles, res.TilesAll)), nil
}

// drawSafely draws env, turning a physics panic into an error.
func drawSafely(env physics.Env, d physics.Drawer) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("record: drawing the world: %v", v)
		}
	}()
	env.Draw(d)
	return nil
}
