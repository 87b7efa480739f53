// Command hebb is hebbsim's headless tool: evolve, eval, trace, bench,
// inspect. It never imports Ebitengine, so it runs on a server with no
// display.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "hebb: not built yet")
	os.Exit(2)
}
