#!/usr/bin/env bash
# Installs the system packages Catwalk needs, if they are missing: Mesa lavapipe (software
# Vulkan) so the GPU cloth kernels and the runway client render on any machine, Xvfb and the
# X11 client libraries the runway window loads at run time, Chromium and ChromeDriver for the
# production web pages' browser tests, and PostgreSQL for the production backend's tests.
# Needs root (or sudo) for apt-get; says what to install otherwise.
set -euo pipefail
packages=()
ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1 || packages+=(mesa-vulkan-drivers)
command -v xvfb-run >/dev/null || packages+=(xvfb)
for lib in libxkbcommon-x11.so.0:libxkbcommon-x11-0 libXcursor.so.1:libxcursor1 libXrandr.so.2:libxrandr2 libXi.so.6:libxi6; do
  ldconfig -p 2>/dev/null | grep -q "${lib%%:*}" || packages+=("${lib##*:}")
done
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -x /usr/bin/chromedriver ] || packages+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)
command -v npm >/dev/null || packages+=(npm)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); elif command -v sudo >/dev/null; then apt_get=(sudo apt-get); else
  echo "missing system packages: ${packages[*]}; install them with apt-get (needs root)" >&2
  exit 1
fi
echo "== installing ${packages[*]}"
"${apt_get[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${packages[@]}" >/dev/null
