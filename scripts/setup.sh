#!/usr/bin/env bash
# setup.sh installs what a fresh Debian/Ubuntu machine lacks to build, test
# and run hebbsim. It is idempotent: when everything is present it prints
# nothing and exits 0. It uses sudo only when not run as root.
set -euo pipefail

# Build: cgo and the X11/OpenGL/ALSA headers Ebitengine needs.
build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxrandr-dev
	libxcursor-dev libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev)
# Headless runs and the end-to-end tests: a virtual display with software GL,
# a way to drive it, and a way to capture it.
headless_pkgs=(xvfb xauth libgl1-mesa-dri xdotool imagemagick)
# The web build's end-to-end test: headless Chromium (game/e2e/web_test.go).
browser_pkgs=(chromium)

missing=()
for p in "${build_pkgs[@]}" "${headless_pkgs[@]}" "${browser_pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if ((${#missing[@]})); then
	sudo=""
	if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
	echo "setup: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	echo "setup: done"
fi

if ! command -v go >/dev/null 2>&1; then
	echo "setup: Go is not installed. Install Go 1.26 or newer (https://go.dev/dl/) and run make again." >&2
	exit 1
fi
