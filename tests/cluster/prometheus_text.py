# Copyright (C) 2026 The slurm-aishare authors.  GPL-2.0-or-later.
"""A line-by-line checker of Prometheus' text exposition format (0.0.4).

Written from the format's description rather than taken from a client library,
so that the test does not share a parser's leniency: every line must be a
HELP, TYPE or other comment, a sample, or empty; names, labels, escapes and
values must be well formed; TYPE comes before a family's first sample (the
format allows untyped samples; slurm-aishare's rule is stricter) and a family's
samples are not interleaved with another's; a series appears once.

    samples = parse(text)   # {(name, ((label, value), ...)): float}; raises
                            # FormatError naming the line number and the problem
"""

import math
import re

METRIC_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL_NAME = r"[a-zA-Z_][a-zA-Z0-9_]*"
# A label value: any character but backslash, double quote and newline, or one
# of the three escapes \\, \" and \n.
LABEL_VALUE = r'(?:[^"\\\n]|\\[\\"n])*'
LABEL = r'(%s)="(%s)"' % (LABEL_NAME, LABEL_VALUE)
SAMPLE = re.compile(r"^(%s)(?:\{((?:%s)(?:,%s)*,?)?\})? (\S+)(?: (-?[0-9]+))?$"
                    % (METRIC_NAME, LABEL, LABEL))
HELP = re.compile(r"^# HELP (%s) ((?:[^\\\n]|\\[\\n])*)$" % METRIC_NAME)
TYPE = re.compile(r"^# TYPE (%s) (counter|gauge|histogram|summary|untyped)$"
                  % METRIC_NAME)
TYPES_SUFFIXES = {"summary": ("", "_sum", "_count"),
                  "histogram": ("_bucket", "_sum", "_count")}


class FormatError(AssertionError):
    pass


def parse_value(text):
    if text in ("NaN", "+Inf", "-Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.match(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", text):
        raise ValueError(text)
    return float(text)


def family_of(name, types):
    """The declared family a sample name belongs to, or None."""
    for family, kind in types.items():
        for suffix in TYPES_SUFFIXES.get(kind, ("",)):
            if name == family + suffix:
                return family
    return None


def parse(text):
    if not text.endswith("\n"):
        raise FormatError("the last line does not end with a newline")
    types, helps, samples = {}, set(), {}
    finished, current = set(), None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        def fail(problem):
            raise FormatError("line %d: %s: %r" % (number, problem, line))
        if line == "":
            continue
        if line.startswith("# HELP "):
            match = HELP.match(line)
            if not match:
                fail("malformed HELP")
            if match.group(1) in helps:
                fail("second HELP for %s" % match.group(1))
            helps.add(match.group(1))
            continue
        if line.startswith("# TYPE "):
            match = TYPE.match(line)
            if not match:
                fail("malformed TYPE")
            if match.group(1) in types:
                fail("second TYPE for %s" % match.group(1))
            types[match.group(1)] = match.group(2)
            continue
        if line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        if not match:
            fail("not a sample, HELP, TYPE or comment")
        name, labels_text, value_text = match.group(1), match.group(2), match.group(7)
        family = family_of(name, types)
        if family is None:
            fail("sample before (or without) its family's TYPE")
        if family != current:
            if family in finished:
                fail("family %s continues after another family" % family)
            if current:
                finished.add(current)
            current = family
        labels = tuple(sorted(re.findall(LABEL, labels_text or "")))
        names = [label for label, _ in labels]
        if len(set(names)) != len(names):
            fail("a label given twice")
        if any(label.startswith("__") for label in names):
            fail("label names starting with __ are reserved")
        try:
            value = parse_value(value_text)
        except ValueError:
            fail("value %r is not a float" % value_text)
        if (name, labels) in samples:
            fail("series given twice")
        if types[family] == "counter" and not (value >= 0 or math.isnan(value)):
            fail("negative counter")
        samples[(name, labels)] = value
    return samples, types, helps
