package model

import (
	"os/exec"
	"strings"
	"testing"
)

// The model must stay testable without a display: it may not depend on
// Ebitengine (which panics at init without X) or on package game.
func TestModelNeedsNoDisplay(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/hebbsim/hebbsim/game/model").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/hajimehoshi/ebiten") || strings.HasPrefix(dep, "github.com/ebitengine/") || dep == "github.com/hebbsim/hebbsim/game" {
			t.Errorf("game/model depends on %s", dep)
		}
	}
}
