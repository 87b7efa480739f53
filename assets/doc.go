// Package assets embeds hebbsim's data: the evolved rule files in
// assets/rules/*.npz (DESIGN.md §2). They are produced by `hebb evolve` runs
// (the commands are in docs/results.md) and decoded by brain.Decode.
//
// RuleFiles lists them and Open returns one's bytes, so the app and
// `hebb eval --rules NAME` / `hebb inspect` find them without a file system.
package assets
