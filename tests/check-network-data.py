#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the network data files against the GResource manifests and their icons.

- every data/networks/*.json is listed in data/whitecoat-core.gresource.xml,
  and every networks/*.json listed there exists;
- every file has exactly the agreed keys with the agreed types, its id is
  its file name, its handle example passes its own pattern after the same
  normalisation src/core applies (strip leading "@", prepend the prefix,
  lower-case if asked), and its audience ids are unique;
- data/networks/network-strings.c is not in the GResource (it is for xgettext);
- every network icon exists, is a 16x16 symbolic SVG drawn with paths in
  #2e3436 only (no <text>), and is listed in src/ui/whitecoat.gresource.xml.

Patterns are compiled with Python's re, which agrees with PCRE (GRegex) on
the constructs these files use; src/core's own tests compile them with GRegex.

Usage: check-network-data.py [SRCDIR]
"""

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

KEYS = {
    'id': str, 'name': str, 'icon': str, 'website': str, 'has_api': bool,
    'needs_server': bool, 'default_server': str, 'is_custom': bool,
    'char_limit': int, 'max_images': int, 'privacy_url': str, 'handle': dict,
    'audience': list,
}
HANDLE_KEYS = {'pattern': str, 'prefix': str, 'lowercase': bool, 'example': str, 'hint': str}
AUDIENCE_KEYS = {'id': str, 'label': str, 'description': str}
SVG_NS = '{http://www.w3.org/2000/svg}'
SYMBOLIC_COLOUR = '#2e3436'


def check_keys(where, obj, spec, problems):
    if not isinstance(obj, dict):
        problems.append('%s: not an object' % where)
        return False
    for key in sorted(set(obj) - set(spec)):
        problems.append('%s: unknown key "%s"' % (where, key))
    for key, kind in spec.items():
        if key not in obj:
            problems.append('%s: missing key "%s"' % (where, key))
        # bool is a subclass of int in Python: keep them apart
        elif type(obj[key]) is not kind:
            problems.append('%s: "%s" must be a %s' % (where, key, kind.__name__))
    return not problems


def normalise(handle, spec):
    handle = handle.strip().lstrip('@')
    handle = spec['prefix'] + handle
    return handle.lower() if spec['lowercase'] else handle


def check_network(path, problems):
    name = os.path.basename(path)
    stem = name[:-len('.json')]
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        problems.append('%s: not valid JSON: %s' % (name, e))
        return None
    mine = []
    if not check_keys(name, data, KEYS, mine):
        problems.extend(mine)
        return None

    def bad(text):
        problems.append('%s: %s' % (name, text))

    if data['id'] != stem:
        bad('id "%s" does not match the file name' % data['id'])
    if not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', data['id']):
        bad('id must be lower-case letters, digits and hyphens')
    if not data['name'].strip():
        bad('name is empty')
    if data['icon'] != 'wc-network-%s-symbolic' % data['id']:
        bad('icon must be wc-network-%s-symbolic' % data['id'])
    if data['char_limit'] < 0:
        bad('char_limit must be 0 (no known limit) or positive')
    for key in ('website', 'privacy_url'):
        value = data[key]
        # A custom network has no address of its own: "{url}" stands for the
        # address the user gave for the account.
        if data['is_custom']:
            if value != '{url}':
                bad('%s of a custom network must be "{url}"' % key)
            continue
        if '{url}' in value:
            bad('%s uses {url}, which only a custom network may' % key)
        if not value.startswith('https://'):
            bad('%s must be an https:// URL' % key)
        if '{server}' in value and not data['needs_server']:
            bad('%s uses {server} but the network needs no server' % key)
    if data['needs_server']:
        if not data['default_server'].startswith('https://'):
            bad('default_server must be an https:// URL when needs_server is true')
    elif data['default_server'] != '':
        bad('default_server must be "" when needs_server is false')
    if data['has_api'] and data['is_custom']:
        bad('a custom network cannot have an API')

    handle = data['handle']
    mine = []
    if check_keys(name + ': handle', handle, HANDLE_KEYS, mine):
        if handle['prefix'] not in ('', '@'):
            bad('handle prefix must be "" or "@"')
        pattern = handle['pattern']
        if not (pattern.startswith('^') and pattern.endswith('$')):
            bad('handle pattern must be anchored with ^ and $')
        try:
            regex = re.compile(pattern)
        except re.error as e:
            bad('handle pattern does not compile: %s' % e)
            regex = None
        example = normalise(handle['example'], handle)
        if regex and not regex.search(example):
            bad('handle example "%s" does not match its own pattern' % handle['example'])
        if regex and regex.search(normalise('', handle)):
            bad('handle pattern accepts an empty handle')
        if not handle['hint'].strip():
            bad('handle hint is empty')
    else:
        problems.extend(mine)

    audience = data['audience']
    if not audience:
        bad('audience is empty: every network offers at least one audience')
    seen = set()
    for i, option in enumerate(audience):
        where = '%s: audience[%d]' % (name, i)
        mine = []
        if not check_keys(where, option, AUDIENCE_KEYS, mine):
            problems.extend(mine)
            continue
        if option['id'] in seen:
            problems.append('%s: duplicate id "%s"' % (where, option['id']))
        seen.add(option['id'])
        if not re.fullmatch(r'[a-z]+(-[a-z]+)*', option['id']):
            problems.append('%s: id must be lower-case words joined by hyphens' % where)
        for key in ('label', 'description'):
            if not option[key].strip():
                problems.append('%s: %s is empty' % (where, key))
    return data


def gresource_files(path):
    tree = ET.parse(path)
    return [(f.text or '').strip() for f in tree.iter('file')], tree


def check_icon(path, problems):
    name = os.path.relpath(path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        problems.append('%s: not a readable SVG: %s' % (name, e))
        return
    if root.tag != SVG_NS + 'svg':
        problems.append('%s: root element is not <svg>' % name)
    if root.get('viewBox') != '0 0 16 16':
        problems.append('%s: viewBox must be "0 0 16 16"' % name)
    for el in root.iter():
        tag = el.tag.replace(SVG_NS, '')
        if tag in ('text', 'tspan', 'image', 'foreignObject'):
            problems.append('%s: <%s> is not allowed in a symbolic icon' % (name, tag))
        fill = el.get('fill')
        if fill not in (None, 'none', SYMBOLIC_COLOUR):
            problems.append('%s: fill %s is not the symbolic colour %s'
                            % (name, fill, SYMBOLIC_COLOUR))
        style = el.get('style') or ''
        for colour in re.findall(r'#[0-9a-fA-F]{3,8}', style):
            if colour.lower() != SYMBOLIC_COLOUR:
                problems.append('%s: colour %s in style is not %s'
                                % (name, colour, SYMBOLIC_COLOUR))


def main():
    srcdir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                             os.path.join(os.path.dirname(__file__), '..'))
    data_dir = os.path.join(srcdir, 'data')
    net_dir = os.path.join(data_dir, 'networks')
    problems = []

    on_disk = sorted(n for n in os.listdir(net_dir) if n.endswith('.json'))
    listed, _ = gresource_files(os.path.join(data_dir, 'whitecoat-core.gresource.xml'))
    listed_json = [f for f in listed if f.startswith('networks/')]
    for f in listed_json:
        if not f.endswith('.json'):
            problems.append('whitecoat-core.gresource.xml lists %s, which is not a network '
                            'data file (network-strings.c is for xgettext only)' % f)
        elif not os.path.isfile(os.path.join(data_dir, f)):
            problems.append('whitecoat-core.gresource.xml lists %s, which does not exist' % f)
    for n in on_disk:
        if 'networks/' + n not in listed_json:
            problems.append('data/networks/%s is not listed in whitecoat-core.gresource.xml' % n)
    for f in sorted({f for f in listed_json if listed_json.count(f) > 1}):
        problems.append('whitecoat-core.gresource.xml lists %s twice' % f)

    networks = [check_network(os.path.join(net_dir, n), problems) for n in on_disk]
    networks = [n for n in networks if n]
    if sum(1 for n in networks if n['is_custom']) > 1:
        problems.append('more than one network has is_custom true')

    ui_gresource = os.path.join(srcdir, 'src', 'ui', 'whitecoat.gresource.xml')
    ui_listed = []
    if os.path.isfile(ui_gresource):
        files, tree = gresource_files(ui_gresource)
        ui_listed = [el.get('alias') or '' for el in tree.iter('file')] + files
    for net in networks:
        icon = os.path.join(data_dir, 'icons', 'networks', net['icon'] + '.svg')
        if not os.path.isfile(icon):
            problems.append('%s: icon %s is missing' % (net['id'], os.path.relpath(icon, srcdir)))
            continue
        check_icon(icon, problems)
        if ui_listed and not any(f.endswith('/' + net['icon'] + '.svg') for f in ui_listed):
            problems.append('src/ui/whitecoat.gresource.xml does not list the icon %s'
                            % net['icon'])
    check_icon(os.path.join(data_dir, 'icons', 'io.github.whitecoat.Whitecoat-symbolic.svg'),
               problems)

    for p in problems:
        print(p)
    if problems:
        return 1
    print('%d network data files: listed in the GResource, well formed, with their icons'
          % len(networks))
    return 0


if __name__ == '__main__':
    sys.exit(main())
