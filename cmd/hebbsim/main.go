// Command hebbsim is the desktop simulator.
package main

import (
	"log"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
)

type placeholder struct{}

func (placeholder) Update() error { return nil }
func (placeholder) Draw(screen *ebiten.Image) {
	ebitenutil.DebugPrint(screen, "hebbsim")
}
func (placeholder) Layout(w, h int) (int, int) { return w, h }

func main() {
	ebiten.SetWindowSize(1280, 720)
	ebiten.SetWindowTitle("hebbsim")
	if err := ebiten.RunGame(placeholder{}); err != nil {
		log.Fatal(err)
	}
}
