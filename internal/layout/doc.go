// Package layout holds no code: its test keeps the arrows of DESIGN.md §2
// honest. brain, physics, sim and the headless tool cmd/hebb must never
// depend, even transitively, on Ebitengine or on the app's game package, so
// that they build and run on a server with no display.
package layout
