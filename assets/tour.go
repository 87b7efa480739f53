package assets

import _ "embed"

// TourEN is the guided tour's text in English (assets/tour/en.json): one
// caption per step, the part of the screen it points at and the commands
// the tour runs there. A translation is a file of the same shape, loaded
// with `hebbsim --tour-file`.
//
//go:embed tour/en.json
var TourEN []byte
