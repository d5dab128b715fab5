#!/usr/bin/env bash
# Installs the system packages Catwalk's tests need, if they are missing:
# Mesa lavapipe (software Vulkan) so the GPU cloth kernels run on any machine.
# Needs root (or sudo) for apt-get; says what to install otherwise.
set -euo pipefail
packages=()
ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1 || packages+=(mesa-vulkan-drivers)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); elif command -v sudo >/dev/null; then apt_get=(sudo apt-get); else
  echo "missing system packages: ${packages[*]}; install them with apt-get (needs root)" >&2
  exit 1
fi
echo "== installing ${packages[*]}"
"${apt_get[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${packages[@]}" >/dev/null
