// Package clip makes animated GIF clips of hebbsim episodes for slides,
// without a display: Canvas draws a world through the physics' own Drawer
// interface (DESIGN.md §3.2) with golang.org/x/image/vector, HeatStrip
// draws the weight matrices on the app's colour scale, and Recorder turns
// frames into a small GIF (one palette, only the changed rectangle of each
// frame, unchanged pixels transparent). `hebb record` renders an episode
// with them; the app's F9 records its window through Recorder.
//
// Why GIF: slides (PowerPoint, Keynote, Google Slides, reveal.js) all play
// an animated GIF inline with no codec, and image/gif is in the standard
// library. Its 256-colour limit suits the app's flat colours; a clip of a
// 1,000-step episode at 640×360 and 12.5 frames per second stays around a
// megabyte because most of each frame (the sky) does not change.
package clip
