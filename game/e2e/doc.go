// Package e2e holds the end-to-end tests. The desktop test builds
// cmd/hebbsim (the launcher) and cmd/hebbsim-app, starts them on the X
// display (make test runs it under xvfb-run), drives them with xdotool key
// presses, and checks the app's own state dump (--state-file) and
// screenshots (F12 and ImageMagick's import); it skips when there is no
// display or no xdotool. The browser test (web_test.go) builds the web
// build, serves it, and drives it in headless Chromium with chromedp; it
// skips without chromium, except in CI (CI=true), where it fails.
package e2e
