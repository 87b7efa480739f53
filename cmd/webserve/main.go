// Command webserve serves the hebbsim web build (make web writes it to
// bin/web/) on localhost and prints the address: make serve runs it.
// A browser will not run WebAssembly from a file:// page, so the folder
// needs a server; any static server will do, this one needs only Go.
//
//	webserve [--dir bin/web] [--addr 127.0.0.1:8080]
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", "bin/web", "folder to serve (make web writes it)")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (port 0: any free port)")
	flag.Parse()
	if err := run(*dir, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "webserve:", err)
		os.Exit(1)
	}
}

func run(dir, addr string) error {
	for _, f := range []string{"index.html", "wasm_exec.js", "hebbsim.wasm"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("%s has no %s: run make web first", dir, f)
		}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %v", addr, err)
	}
	fmt.Printf("hebbsim web build: http://%s/  (serving %s; Ctrl+C stops)\n", l.Addr(), dir)
	err = http.Serve(l, Handler(dir))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Handler serves dir with the WebAssembly MIME type browsers require for
// streaming compilation, and no caching, so a rebuilt .wasm is always
// the one that runs.
func Handler(dir string) http.Handler {
	fs := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if filepath.Ext(r.URL.Path) == ".wasm" {
			w.Header().Set("Content-Type", "application/wasm")
		}
		w.Header().Set("Cache-Control", "no-cache")
		fs.ServeHTTP(w, r)
	})
}
