# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash disable=SC2034
#
# The Debian 12 packages Whitecoat needs, in one place. Sourced by
# build-aux/run and build-aux/test; not meant to be run on its own.

# To configure, build and run Whitecoat from the build tree.
WC_BUILD_PACKAGES=(
  meson
  ninja-build
  gcc
  libc6-dev
  pkgconf
  python3
  libglib2.0-dev
  libglib2.0-dev-bin
  libglib2.0-bin
  libgtk-4-dev
  libadwaita-1-dev
  libsoup-3.0-dev
  libjson-glib-dev
  libsecret-1-dev
  libgcrypt20-dev
  libsqlite3-dev
  libpango1.0-dev
  libgexiv2-dev
  libportal-gtk4-dev
  libjpeg-dev
  libpng-dev
  gettext
  desktop-file-utils
  appstream
  librsvg2-common
  adwaita-icon-theme
)

# Only to run the tests: a display, a private D-Bus session, a real keyring,
# and the validators of the data files. The sanitizer runtimes (libasan8,
# libubsan1) come with gcc.
WC_TEST_PACKAGES=(
  xvfb
  xauth
  dbus
  dbus-x11
  gnome-keyring
  desktop-file-utils
  appstream
  gettext
  libglib2.0-bin
  # The Bluesky tests run the reference PDS (tests/servers/bluesky) with
  # Node; npm (with node-gyp and the Node headers) installs it, building
  # better-sqlite3 when no prebuilt binary can be downloaded. node-gyp only
  # recommends build-essential (installed without recommends), so its
  # compiler and make are named here.
  nodejs
  npm
  g++
  make
)

# wc_install_packages PACKAGE…
#
# Installs those of the given packages that are not installed yet. Runs
# `apt-get update` only when something is missing, and uses sudo when not
# running as root.
wc_install_packages ()
{
  local missing=() pkg status

  for pkg in "$@"; do
    # Node may come from elsewhere (NodeSource's nodejs bundles npm and
    # conflicts with Debian's npm): a working command is enough.
    case "$pkg" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
      case " ${missing[*]} " in
        *" $pkg "*) ;;
        *) missing+=("$pkg") ;;
      esac
    fi
  done

  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "Missing Debian packages: ${missing[*]}" >&2
      echo "Install them as root (apt-get install ${missing[*]}) or install sudo." >&2
      return 1
    fi
    sudo=(sudo)
  fi

  # Wait for another apt or dpkg (an unattended upgrade) rather than fail.
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q
             -o DPkg::Lock::Timeout=600)

  echo "Installing missing Debian packages: ${missing[*]}"
  "${sudo[@]}" "${apt[@]}" update
  "${sudo[@]}" "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
}

# wc_meson_setup BUILDDIR [MESON OPTION…]
#
# Configures BUILDDIR, or reconfigures it with the given options when it
# was configured before.
wc_meson_setup ()
{
  local builddir=$1
  shift

  if [ -f "$builddir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$builddir" "$@"
  else
    meson setup "$builddir" "$@"
  fi
}
