// Package palette holds the colour scales of hebbsim's weight heatmaps:
// a diverging blue–dark–orange scale for signed values (w, Δw, a rule
// coefficient) and a dark-to-yellow one for |Δw|. The app (game/model)
// and the headless clips (internal/clip, `hebb record`) draw with the same
// tables, so a clip looks like the app.
package palette
