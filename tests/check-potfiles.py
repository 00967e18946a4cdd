#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists every file with translatable strings.

Fails, naming the files, when
  - a file under src/ marks a string for translation (_(), N_(), C_(), NC_(),
    Q_(), g_dgettext/g_dngettext/g_dpgettext2/ngettext with a literal, or
    translatable="yes" in a .ui file) and POTFILES.in does not list it;
  - a file under data/ that xgettext/i18n reads (*.desktop.in,
    *.metainfo.xml.in, *.appdata.xml.in, *.gschema.xml, *.ui,
    data/networks/network-strings.c) is not listed;
  - POTFILES.in lists a file that does not exist.

Files listed in po/POTFILES.skip, if that exists, are exempt.

Usage: check-potfiles.py [SRCDIR]
"""

import os
import re
import sys

C_EXTENSIONS = ('.c', '.h')

# A marker followed by a string literal (possibly on the next line).
C_MARKERS = re.compile(r'''
    (?<![A-Za-z0-9_])
    (?:
        (?:_|N_|Q_)\s*\(\s*"                                  # _("…"), N_("…")
      | (?:C_|NC_)\s*\(\s*"                                   # C_("ctx", "…")
      | (?:ngettext|gettext)\s*\(\s*"                         # ngettext("…", …)
      | (?:g_dgettext|g_dngettext|g_dpgettext2|g_dpgettext|
           g_dcgettext|dgettext|dngettext)\s*\([^,()]*,\s*"    # g_dgettext(dom, "…")
    )
''', re.VERBOSE)

UI_MARKER = re.compile(r'''translatable\s*=\s*["'](?:yes|true|1)["']''', re.IGNORECASE)

DATA_PATTERNS = (
    re.compile(r'.*\.desktop\.in$'),
    re.compile(r'.*\.metainfo\.xml\.in$'),
    re.compile(r'.*\.appdata\.xml\.in$'),
    re.compile(r'.*\.gschema\.xml$'),
    re.compile(r'^data/networks/network-strings\.c$'),
)


def read_list(path):
    entries = []
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith('#'):
                    # "[encoding: UTF-8]" style lines are not file names
                    if line.startswith('['):
                        continue
                    entries.append(line)
    except FileNotFoundError:
        pass
    return entries


def strip_c_comments(text):
    # Drop comments so that a commented-out _("…") does not count, keeping
    # string literals intact (a comment marker inside a string is not a comment).
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"' or ch == "'":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            i = n if j < 0 else j + 2
            out.append(' ')
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        else:
            out.append(ch)
            i += 1
    return ''.join(out)


def needs_translation(srcdir, relpath):
    path = os.path.join(srcdir, relpath)
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError:
        return False
    if relpath.endswith('.ui'):
        return UI_MARKER.search(text) is not None
    if relpath.endswith(C_EXTENSIONS):
        if relpath == 'data/networks/network-strings.c':
            return True
        return C_MARKERS.search(strip_c_comments(text)) is not None
    return False


def walk(srcdir, top):
    root = os.path.join(srcdir, top)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(('.', '_build')))
        for name in sorted(filenames):
            yield os.path.relpath(os.path.join(dirpath, name), srcdir).replace(os.sep, '/')


def main():
    srcdir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                             os.path.join(os.path.dirname(__file__), '..'))
    listed = read_list(os.path.join(srcdir, 'po', 'POTFILES.in'))
    skipped = set(read_list(os.path.join(srcdir, 'po', 'POTFILES.skip')))
    listed_set = set(listed)

    wanted = []
    for relpath in walk(srcdir, 'src'):
        if relpath.endswith(C_EXTENSIONS + ('.ui',)) and needs_translation(srcdir, relpath):
            wanted.append(relpath)
    for relpath in walk(srcdir, 'data'):
        if any(p.match(relpath) for p in DATA_PATTERNS):
            wanted.append(relpath)
        elif relpath.endswith('.ui') and needs_translation(srcdir, relpath):
            wanted.append(relpath)

    missing = [f for f in wanted if f not in listed_set and f not in skipped]
    absent = [f for f in listed if not os.path.isfile(os.path.join(srcdir, f))]
    duplicates = sorted({f for f in listed if listed.count(f) > 1})

    ok = True
    if missing:
        ok = False
        print('po/POTFILES.in misses these files with translatable strings:')
        for f in missing:
            print('  ' + f)
    if absent:
        ok = False
        print('po/POTFILES.in lists files that do not exist:')
        for f in absent:
            print('  ' + f)
    if duplicates:
        ok = False
        print('po/POTFILES.in lists these files more than once:')
        for f in duplicates:
            print('  ' + f)
    if ok:
        print('po/POTFILES.in lists all %d files with translatable strings' % len(wanted))
        return 0
    return 1


if __name__ == '__main__':
    sys.exit(main())
