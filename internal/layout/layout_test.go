package layout

import (
	"os/exec"
	"strings"
	"testing"
)

// headless lists the package patterns that must never pull in a display.
var headless = []string{
	"github.com/hebbsim/hebbsim/brain/...",
	"github.com/hebbsim/hebbsim/physics/...",
	"github.com/hebbsim/hebbsim/sim/...",
	"github.com/hebbsim/hebbsim/cmd/hebb",
}

// forbidden are import-path prefixes a headless package may not depend on.
var forbidden = []string{
	"github.com/hajimehoshi/ebiten",
	"github.com/ebitengine/",
	"github.com/hebbsim/hebbsim/game",
}

func TestHeadlessPackagesNeverImportADisplay(t *testing.T) {
	for _, pattern := range headless {
		out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}: {{join .Deps \" \"}}", pattern).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pattern, err, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			pkg, deps, _ := strings.Cut(line, ": ")
			if strings.Contains(pkg, "matched no packages") {
				continue
			}
			if dep, ok := firstForbidden(strings.Fields(deps)); ok {
				t.Errorf("%s depends on %s; headless packages must not (DESIGN.md §2)", pkg, dep)
			}
		}
	}
}

// firstForbidden returns the first dependency that a headless package may
// not have.
func firstForbidden(deps []string) (string, bool) {
	for _, dep := range deps {
		for _, bad := range forbidden {
			if strings.HasPrefix(dep, bad) {
				return dep, true
			}
		}
	}
	return "", false
}
