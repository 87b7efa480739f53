package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandlerServesWasmWithItsType(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"index.html", "wasm_exec.js", "hebbsim.wasm"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	for path, want := range map[string]string{"/hebbsim.wasm": "application/wasm", "/": "text/html", "/wasm_exec.js": "javascript"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.Contains(ct, want) {
			t.Errorf("%s: have %d %q, want 200 and %q", path, resp.StatusCode, ct, want)
		}
	}
}

func TestRunWantsTheBuild(t *testing.T) {
	err := run(t.TempDir(), "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "run make web first") {
		t.Errorf("have %v, want it to say make web", err)
	}
}
