#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest: valid JSON, the right app id, and no more
permissions than Whitecoat needs.

Whitecoat needs the network, a display (Wayland, X11 only as fallback), IPC
for X11 shared memory and the GPU. It must not see the user's files (no
--filesystem at all) and must not talk to the secret service directly: inside
Flatpak libsecret goes through the secret portal.

Usage: check-flatpak-manifest.py MANIFEST [APP_ID]
"""

import json
import sys

APP_ID = 'io.github.whitecoat.Whitecoat'
ALLOWED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
]


def check(manifest, app_id):
    problems = []

    def problem(text):
        problems.append(text)

    if not isinstance(manifest, dict):
        return ['the manifest is not a JSON object']

    ids = [k for k in ('id', 'app-id') if k in manifest]
    if len(ids) != 1:
        problem('the manifest must have exactly one of "id" or "app-id"')
    elif manifest[ids[0]] != app_id:
        problem('app id is %r, expected %r' % (manifest[ids[0]], app_id))

    if manifest.get('runtime') != 'org.gnome.Platform':
        problem('runtime must be org.gnome.Platform, not %r' % manifest.get('runtime'))
    if manifest.get('sdk') != 'org.gnome.Sdk':
        problem('sdk must be org.gnome.Sdk, not %r' % manifest.get('sdk'))
    version = manifest.get('runtime-version')
    if not isinstance(version, str) or not version.isdigit():
        problem('runtime-version must name a stable GNOME release such as "51", not %r'
                % version)
    if manifest.get('command') != 'whitecoat':
        problem('command must be whitecoat, not %r' % manifest.get('command'))

    finish_args = manifest.get('finish-args')
    if not isinstance(finish_args, list) or not all(isinstance(a, str) for a in finish_args):
        problem('finish-args must be a list of strings')
        finish_args = []
    for arg in finish_args:
        if arg.startswith(('--filesystem', '--persist')):
            problem('no file system access is allowed: %s' % arg)
        elif arg.startswith(('--talk-name=org.freedesktop.secrets',
                             '--own-name=org.freedesktop.secrets')):
            problem('no direct secret service access (libsecret uses the portal): %s' % arg)
        elif arg not in ALLOWED_FINISH_ARGS:
            problem('permission not allowed: %s' % arg)
    for arg in ALLOWED_FINISH_ARGS:
        if arg not in finish_args:
            problem('permission missing: %s' % arg)
    for arg in sorted({a for a in finish_args if finish_args.count(a) > 1}):
        problem('permission listed twice: %s' % arg)

    modules = manifest.get('modules')
    if not isinstance(modules, list) or not modules:
        problem('modules must be a non-empty list')
        return problems
    app = modules[-1]
    if not isinstance(app, dict) or app.get('name') != 'whitecoat':
        problem('the last module must be whitecoat itself')
        return problems
    if app.get('buildsystem') != 'meson':
        problem('the whitecoat module must use buildsystem meson')
    if app.get('run-tests') is not True:
        problem('the whitecoat module must set "run-tests": true')
    sources = app.get('sources')
    if (not isinstance(sources, list) or len(sources) != 1 or not isinstance(sources[0], dict)
            or sources[0].get('type') != 'dir' or sources[0].get('path') != '..'):
        problem('the whitecoat module must build this tree: one source {"type": "dir", "path": ".."}')
    return problems


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    path = sys.argv[1]
    app_id = sys.argv[2] if len(sys.argv) > 2 else APP_ID
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print('%s: cannot read the manifest: %s' % (path, e))
        return 1
    problems = check(manifest, app_id)
    for p in problems:
        print('%s: %s' % (path, p))
    if problems:
        return 1
    print('%s: app id, runtime and permissions are as they should be' % path)
    return 0


if __name__ == '__main__':
    sys.exit(main())
