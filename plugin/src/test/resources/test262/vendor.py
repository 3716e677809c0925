#!/usr/bin/env python3
"""Copies NSL's pinned selection of test262 into this folder (Test262Test runs it).

Usage: vendor.py <test262 git dir> [revision]
Reads the repository with git (no work tree needed), picks a deterministic, stratified sample per
area (every k-th file in path order, after the exclusions below), and writes test/..., the harness
files those tests include, LICENSE and REVISION. Re-running with the same revision gives the same
files.
"""
import os
import re
import subprocess
import sys

AREAS = [  # (area name, directories, how many files)
    ('Array', ['test/built-ins/Array'], 110),
    ('TypedArray', ['test/built-ins/TypedArray', 'test/built-ins/TypedArrayConstructors'], 70),
    ('JSON', ['test/built-ins/JSON'], 50),
    ('Date', ['test/built-ins/Date'], 60),
    ('Math', ['test/built-ins/Math'], 45),
    ('Promise', ['test/built-ins/Promise'], 70),
    ('Object', ['test/built-ins/Object'], 100),
    ('String', ['test/built-ins/String'], 80),
    ('RegExp', ['test/built-ins/RegExp'], 60),
    ('BigInt', ['test/built-ins/BigInt'], 35),
    ('Map/Set', ['test/built-ins/Map', 'test/built-ins/Set'], 55),
    ('Proxy/Reflect', ['test/built-ins/Proxy', 'test/built-ins/Reflect'], 60),
    ('Symbol', ['test/built-ins/Symbol'], 35),
    ('language/expressions', ['test/language/expressions'], 110),
    ('language/statements', ['test/language/statements'], 110),
]
# Features NSL can't have or GraalJS 25 doesn't ship; tests that need them say nothing useful here.
SKIP_FEATURES = {'Atomics', 'SharedArrayBuffer', 'Temporal', 'ShadowRealm', 'cross-realm',
                 'IsHTMLDDA', 'host-gc-required', 'tail-call-optimization', 'caller',
                 'import-defer', 'source-phase-imports', 'Atomics.waitAsync', 'FinalizationRegistry',
                 'WeakRef', 'intl-normative-optional', 'Intl.Locale-info', 'explicit-resource-management'}
SKIP_PARTS = ('/property-escapes/', '/_FIXTURE', 'intl402')
MAX_BYTES = 40_000


def git(repo, *args):
    return subprocess.run(['git', '--git-dir', repo] + list(args), check=True,
                          capture_output=True).stdout


class Blobs:
    """Reads many files of one revision through a single git cat-file --batch."""

    def __init__(self, repo, rev):
        self.rev = rev
        self.proc = subprocess.Popen(['git', '--git-dir', repo, 'cat-file', '--batch'],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def read(self, path):
        self.proc.stdin.write((self.rev + ':' + path + '\n').encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        size = int(header[2])
        data = self.proc.stdout.read(size)
        self.proc.stdout.read(1)
        return data


def meta(text):
    m = re.search(r'/\*---(.*?)---\*/', text, re.S)
    return m.group(1) if m else ''


def listed(block, key):
    m = re.search(r'^\s*' + key + r':\s*\[(.*?)\]', block, re.M)
    if m:
        return [x.strip() for x in m.group(1).split(',') if x.strip()]
    m = re.search(r'^\s*' + key + r':\s*\n((?:\s+-\s*.*\n)+)', block, re.M)
    if m:
        return [x.strip()[1:].strip() for x in m.group(1).splitlines() if x.strip()]
    return []


def main():
    repo = sys.argv[1]
    rev = sys.argv[2] if len(sys.argv) > 2 else git(repo, 'rev-parse', 'HEAD').decode().strip()
    here = os.path.dirname(os.path.abspath(__file__))
    harness = {'assert.js', 'sta.js', 'doneprintHandle.js'}
    chosen = []
    blobs = Blobs(repo, rev)
    for name, dirs, count in AREAS:
        paths = []
        for d in dirs:
            out = git(repo, 'ls-tree', '-r', '--name-only', rev, d).decode().splitlines()
            paths += [p for p in out if p.endswith('.js') and not any(s in p for s in SKIP_PARTS)]
        paths.sort()
        usable = []
        for p in paths:
            text = blobs.read(p)
            if len(text) > MAX_BYTES:
                continue
            block = meta(text.decode('utf-8', 'replace'))
            flags = listed(block, 'flags')
            if 'module' in flags or 'CanBlockIsTrue' in flags:
                continue
            if SKIP_FEATURES & set(listed(block, 'features')):
                continue
            usable.append((p, text, listed(block, 'includes')))
        step = max(1, len(usable) / count)
        picked = [usable[int(i * step)] for i in range(min(count, len(usable)))]
        for p, text, includes in picked:
            chosen.append(p)
            harness.update(includes)
            dst = os.path.join(here, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, 'wb') as f:
                f.write(text)
        print(f'{name}: {len(picked)} of {len(usable)} usable ({len(paths)} files)')
    for h in sorted(harness):
        dst = os.path.join(here, 'harness', h)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, 'wb') as f:
            f.write(git(repo, 'show', rev + ':harness/' + h))
    with open(os.path.join(here, 'LICENSE'), 'wb') as f:
        f.write(git(repo, 'show', rev + ':LICENSE'))
    with open(os.path.join(here, 'REVISION'), 'w') as f:
        f.write('https://github.com/tc39/test262 ' + rev + '\n')
        f.write('selection: plugin/src/test/resources/test262/vendor.py (' + str(len(chosen))
                + ' tests, ' + str(len(harness)) + ' harness files)\n')


main()
