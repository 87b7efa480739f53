// Package game is the hebbsim desktop simulator, drawn with Ebitengine:
// two scenes (the quadruped, the racer), each running the one rollout
// loop (sim.Episode) with a network that starts every episode from random
// weights and changes them every step by the loaded Hebbian rule. It shows
// the world (with the quadruped's lidar, the racer's 84×84 observation),
// live heatmaps of every plastic layer (w, Δw, |Δw|, each rule
// coefficient; hover a cell for i, j, w, Δw, A B C D η), live plots
// (return, distance or track visited, mean |w(t+1) − w(t)| per layer — how much the weights really move after normalisation —, actions, with
// damage marked on the time axis), a HUD and panels; compare mode runs the
// static baseline beside the Hebbian network on the same seed with the same
// damage at the same step.
//
// All state and decisions live in game/model, which needs no display;
// this package only draws it and turns input into model commands. Keys:
// F1 in the app, or model.Bindings.
//
// lecture.go draws the lecture hall's parts over the frame — the guided
// tour's arrow (its captions are ordinary panel items), the pinned
// synapse's outline and w(t) plot — and records F9 clips: it reads the
// screen back about 12.5 times a second, hands the frame to a goroutine
// that scales and quantises it (internal/clip) and writes the GIF
// atomically when recording stops. The simulation's pace is set by wall
// time (model.Pacer), not by frames, so recording cannot slow it.
//
// # Drawing cost
//
// Under Xvfb with llvmpipe (software GL) the cost is in the GL driver, not
// in Go, so the drawing is shaped for it:
//   - the screen is not cleared between frames, and the top bar, the side
//     panel, the heatmaps and the plots are redrawn only when what they
//     show changes (a signature of their texts, states, image versions and
//     the mouse); the world and its HUD are drawn every frame;
//   - the world is one vertex batch per frame (worldDrawer): Box2D
//     polygons become triangles (fans, or ear clipping when concave) and
//     lines become quads, without anti-aliasing, in one DrawTriangles call;
//   - heatmaps are one pixel per synapse written with WritePixels into a
//     small image and drawn scaled with nearest filtering, re-uploaded at
//     most every other frame; plots are rasterised in Go into an
//     image.RGBA that covers the plot's box, uploaded at most every third
//     frame;
//   - text lines are rendered once into small images and reused;
//   - opaque rectangles are drawn with BlendCopy, and a first world
//     polygon that covers the whole view (the racer's playfield) becomes
//     the view's background fill instead of a second layer of pixels.
//
// Measured on the 2-core build machine while other work ran (load average
// 4–9; two trainers), app CPU time per frame at 1280×720 from
// /proc/PID/stat over 10 s after a 5 s warm-up (noise ±1–2 ms):
// presenting a frame that changes one pixel 10.8–11.3 ms; a frame that
// only fills the screen once 15–17 ms; the full quadruped scene with
// heatmaps and plots 21–23 ms with everything redrawn every frame, and
// 18.5–19.8 ms with the retained regions — about the cost of that single
// fill. The present dominates and cannot be avoided. `make fps` (median
// of ebiten.ActualFPS over 15 s) gave 37–47 under load 6–7 before the
// retained regions (once 32), and after them and the background-polygon
// fill 61, 67, 61, 63 at load 3–6.5 (racer: 61; the fill-only frame
// reached 40–68 FPS under similar load). Speed 8× ran
// 393 (quadruped) and 381 (racer, CNN) steps/s against 400 asked, the
// shortfall being the pause between episodes.
// HEBBSIM_EMPTY_FRAME (any value; "pixel" for a one-pixel change) draws
// nothing else, to measure that floor; HEBBSIM_EXP takes notext, noworld,
// noheat, noplot, noretain, nocache, nocopy to switch parts off.
//
// UI panels are drawn by this package (model.Items lays them out), not by
// debugui: in a throwaway program under the same conditions, a debugui
// window with 25 buttons and 5 text lines cost 21.6–22.2 ms a frame and
// the same drawn as rectangles and text 22.2–22.7 ms (the same within
// noise), so debugui would have been affordable; drawing our own keeps
// the layout and its hit-testing in the display-free model, where tests
// click buttons without a window.
//
// The file dialog runs the system's zenity (or kdialog) program directly
// when present, which is what github.com/ncruces/zenity does on Linux,
// without adding a module; without either the app says so and points to
// drag-and-drop, --rules and the in-app list.
//
// # Desktop and browser
//
// The same package is the web build (GOOS=js GOARCH=wasm, make web). What
// differs sits in platform_desktop.go and platform_js.go: settings in a
// file or in the browser's localStorage; a rule file from zenity or from
// the page's <input type=file> (web/index.html hands its bytes to the app
// through syscall/js); dropped files (the page catches drops itself and
// hands over the bytes, the desktop gets paths from GLFW); F12 writes a
// PNG or offers it as a download; Ctrl+Q quits or says to close the tab;
// the state goes to --state-file or to window.hebbsimState. Files given as
// bytes load through memLoader on both platforms. The page also calls
// model.RunTrajectory (window.hebbsimTrajectory) so a test can compare the
// browser's trajectory with the desktop's.
//
// # Files
//
// draw.go composes the frame (world, chrome, side panel, HUD, the car's
// view); heatmaps.go and plots.go draw those two panels; text.go holds
// the cached text lines and the rectangle fills everything else uses;
// world.go batches the physics.Drawer calls that draw the bodies and the
// terrain.
//
// # The Evolve mode
//
// The tab and key E show model.App's Evolve panel in the side panel;
// evolve_draw.go draws its fitness plot (model.App.FitnessPlot, rendered
// like the other plots into an image) in the room the panel leaves, and
// the heatmaps show the newest centre's rule coefficients
// (model.App.HeatLayers). The folder dialog for saved rule files runs
// zenity like the file dialog.
//
// # Test control
//
// --state-file PATH makes the app write model.State as JSON every ten
// frames (atomically); --fps-test D prints per-second TPS, FPS and steps/s
// after a 3 s warm-up, then fps_median=NN, and exits. The end-to-end test
// (game/e2e) uses both with xdotool and ImageMagick under xvfb-run.
package game
