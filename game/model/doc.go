// Package model is everything the hebbsim desktop app knows and decides,
// without a display: scenes and their lanes (an env, a brain and the one
// rollout loop, sim.Episode), the speed ladder, damage toggling, compare
// mode, rule loading, the camera, heatmap colours, plot histories and
// their rasterisation, the panel layout and its buttons, settings and the
// JSON state dump; and for the lecture hall the guided tour (tour.go: a
// state machine over assets/tour/en.json whose steps run app commands,
// some at a given episode step), the synapse microscope (microscope.go:
// pre, post, each term of the rule, Δw before and after normalisation,
// w(t); TestMicroscopeMatchesTheTrace recomputes them from brain's trace)
// and the heatmaps' orders (order.go).
//
// The camera follows the body by simulated steps, not by frames
// (Camera.Ease): at M thousands of steps run per frame, and an easing per
// frame left the quadruped metres out of view; a hard margin then keeps
// the body in the middle 60 % of the view at every speed. Package game draws it with Ebitengine and turns keys,
// clicks and dropped files into commands (App.Do); tests drive the same
// commands without a window.
//
// Commands are strings ("pause", "damage:FL", "kind:amputate",
// "scene:racer", "rules:/path/file.npz"); Bindings maps keys (named as
// ebiten.Key.String names them) to commands and is the source of the F1
// help.
//
// Speed never changes dt (DESIGN.md §3.1): Pacer turns a speed × real
// time into a whole number of fixed steps per tick, carrying the fraction,
// and max mode steps until a time budget per tick is spent.
//
// Damage keys 1–4 act on the env's targets (the quadruped's legs FL FR BL
// BR, with the kind chosen in the panel); an env with a single target (the
// racer's "car") gets its kinds on the keys instead (oil, engine,
// steering). A key applies the chosen kind, or repairs the target if it
// already has it. Every event goes to every lane through Episode.Apply, so
// in compare mode the Hebbian and the static network are damaged at the
// same step, and it is marked on the plots' time axis.
//
// Heatmaps map a layer (W[j*In+i], x = input i, y = output j) to RGBA
// bytes through a 256-entry table: a diverging blue–dark–orange scale for
// signed views (w, Δw, a rule coefficient) and a dark-to-yellow scale for
// |Δw|. The scale is the layer's max |value|, following a rising maximum at
// once and a falling one slowly so colours do not flicker. History keeps
// every series of an episode in bounded memory by doubling its stride when
// full; PlotSpec.Render draws one-pixel lines into an image.RGBA (cheap
// under software GL, testable here).
//
// Every caption, plot title, tick label, HUD line, the observation inset
// and every help line has its rectangle computed here (screen.go), from
// the widths of the game's own fonts, and the game draws at exactly those
// places: so one test lays out whole screens without a display and checks
// that nothing overlaps, at MinW×MinH (the smallest window the app
// allows) and at 1280×720. What does not fit is left out by priority
// (the side panel drops the provenance first) or wrapped (the help goes
// into columns), never drawn over something else.
//
// The command line (cli.go) is parsed here, not in cmd/hebbsim, because
// two programs read it: the launcher cmd/hebbsim, which must start
// without a display and so never imports Ebitengine, and cmd/hebbsim-app
// (also the web build, where the page's URL query becomes the flags).
// RunTrajectory (trajectory.go) steps a scene exactly as the app steps its
// main lane and hashes what it saw, so the desktop and the browser can be
// compared bit for bit (docs/web.md).
//
// The Evolve mode (evolve.go, app_evolve.go) runs sim.Trainer — the one
// trainer, configured through sim.RunSettings exactly as `hebb evolve`
// is — on a goroutine of its own, checkpointing into the data folder
// (evolve/ beside settings.json) after every generation, so a run closed
// with the app resumes bit-identically. The demo scene takes the newest
// centre at the start of each episode (fresh random weights as always);
// the coefficient heatmap follows the centre every generation. The
// workers run niced on threads of their own, with a GOMAXPROCS slot each
// on top of one per core and GOGC 400 once a run starts: without the
// extra slots the busy workers held every slot and the window's goroutine
// waited (29 → 6 FPS), and without GOGC 400 the collector's assists fell
// on the window too (13 → 29 FPS; scripts/evolve-fps.sh, under load 28).
package model
