// Package flagcheck is the one place where command-line values are checked
// against their valid ranges, for the desktop app (hebbsim) and every
// subcommand of the headless tool (hebb). Each check returns nil or one
// error line that names the flag, the value given and what is valid, e.g.
//
//	--speed 9 is out of range: want an integer in [0, 6]
//
// so a user reads what is wrong and what to do without a stack trace.
package flagcheck
