// Package game is the hebbsim desktop simulator, drawn with Ebitengine:
// two scenes (the quadruped, the racer), each running the one rollout
// loop (sim.Episode) with a network that starts every episode from random
// weights and changes them every step by the loaded Hebbian rule. It shows
// the world (with the quadruped's lidar, the racer's 84×84 observation),
// live heatmaps of every plastic layer (w, Δw, |Δw|, each rule
// coefficient; hover a cell for i, j, w, Δw, A B C D η), live plots
// (return, distance or track visited, mean |Δw| per layer, actions, with
// damage marked on the time axis), a HUD and panels; compare mode runs the
// static baseline beside the Hebbian network on the same seed with the same
// damage at the same step.
//
// All state and decisions live in game/model, which needs no display;
// this package only draws it and turns input into model commands. Keys:
// F1 in the app, or model.Bindings.
//
// # Drawing cost
//
// Under Xvfb with llvmpipe (software GL) the cost is in the GL driver, not
// in Go, so the drawing is shaped for it:
//   - the world is one vertex batch per frame (worldDrawer): Box2D
//     polygons become triangles (fans, or ear clipping when concave) and
//     lines become quads, without anti-aliasing, in one DrawTriangles call;
//   - heatmaps are one pixel per synapse written with WritePixels into a
//     small image and drawn scaled with nearest filtering; they are
//     re-uploaded at most every other frame;
//   - plots are rasterised in Go into an image.RGBA and uploaded at most
//     every third frame;
//   - opaque rectangles are drawn with BlendCopy; the screen is not
//     cleared by Ebitengine (every pixel is drawn each frame).
//
// Measured on the 2-core build machine while two trainers ran (load
// average 6–9), CPU time of the app process per frame at 1280×720, from
// /proc/PID/stat over 5 s after a 5 s warm-up: presenting a frame that
// changes one pixel 11.3 ms; filling the screen once +4 ms; the full
// quadruped scene with heatmaps and plots 21–23 ms (world ≈ 1.8, text ≈ 1,
// heatmaps ≈ 1.5, plots ≈ 2.5 before throttling). The present dominates
// and cannot be avoided; `make fps` reported fps_median=41 under that load
// (see the report for numbers on a quieter machine). HEBBSIM_EMPTY_FRAME
// (any value; "pixel" for a one-pixel change) draws nothing else, to
// measure that floor.
//
// UI panels are drawn by this package (model.Items lays them out), not by
// debugui: a handful of rectangles and text lines per frame, batched with
// the rest.
//
// # Test control
//
// --state-file PATH makes the app write model.State as JSON every ten
// frames (atomically); --fps-test D prints per-second TPS, FPS and steps/s
// after a 3 s warm-up, then fps_median=NN, and exits. The end-to-end test
// (game/e2e) uses both with xdotool and ImageMagick under xvfb-run.
package game
