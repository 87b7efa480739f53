// Package e2e holds the end-to-end test of the desktop app: it builds
// cmd/hebbsim, starts it on the X display (make test runs it under
// xvfb-run), drives it with xdotool key presses, and checks the app's own
// state dump (--state-file) and screenshots (F12 and ImageMagick's
// import). It skips when there is no display or no xdotool.
package e2e
