"""environment.yml (conda users) and the pip path declare the same pinned packages."""

import re

import yaml

from conftest import ROOT


def pins(lines):
    out = {}
    for line in lines:
        line = line.split("#")[0].strip()
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s]+)", line)
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def test_environment_yml_matches_requirements():
    pip_pins = pins((ROOT / "requirements.txt").read_text().splitlines())
    pip_pins.update(pins((ROOT / "requirements-quarto.txt").read_text().splitlines()))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert pins(pip_section) == pip_pins
    assert "quarto-cli" in pip_pins  # declared for users even where it cannot be installed


def test_every_requirement_is_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s]+", line), f"unpinned requirement: {line}"
