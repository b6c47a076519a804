"""Round archives (issue 6) on the tiny project: pin, verify, tamper, rebuild, determinism."""

import gzip
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from niem.archive import round_archive as archive
from niem.tables import TABLES
from workflow_helpers import snakemake

pytestmark = pytest.mark.workflow

LAST, EARLIER = "2021", "2019"


def cli(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([sys.executable, "-m", "niem.archive", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=env)


def members(path):
    """{name: bytes} of a tar.gz, in archive order."""
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def rewrite(src, dest, change):
    """Write a copy of the archive ``src`` with ``change(dict name -> bytes)`` applied."""
    content = members(src)
    change(content)
    with tarfile.open(dest, "w:gz") as tar:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return dest


@pytest.fixture(scope="module")
def project(tiny_built, tmp_path_factory):
    """A copy of the tiny project, fully built (rule all; conftest.py), with archives of both rounds."""
    work = shutil.copytree(tiny_built, tmp_path_factory.mktemp("archive") / "project", symlinks=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)  # archives use the documented default
        snakemake(work, f"archive_{LAST}", f"archive_{EARLIER}")
    return work


def archive_path(work, round_id):
    return work / "archives" / f"niem-round-{round_id}.tar.gz"


def manifest(path, top):
    return archive.parse_manifest(members(path)[f"{top}/MANIFEST.sha256"].decode())


def test_archive_is_written_with_manifest_provenance_and_datapackage(project):
    path = archive_path(project, LAST)
    content = members(path)
    top = f"niem-round-{LAST}"
    assert all(name.startswith(top + "/") for name in content)
    for name in ("MANIFEST.sha256", "provenance.json", "datapackage.json", "Snakefile", "config/config.yaml",
                 "config/codebook.yaml", "config/published_figures.yaml", "niem/archive/round_archive.py", "workflow/rules/archive.smk",
                 "raw/README.md", "raw/evidence/2019/BG.csv", "raw/evidence/2021/CZ.csv", "raw/findings/BG.csv",
                 "raw/bip_statistics/CZ.csv", "results/overall_scores.parquet", "results/clarification/2021.csv"):
        assert f"{top}/{name}" in content, name
    assert not any("/." in name or "__pycache__" in name or "/logs/" in name or "/_work/" in name for name in content)
    listed = manifest(path, top)
    assert set(listed) == {n[len(top) + 1:] for n in content} - {"MANIFEST.sha256"}
    assert list(listed) == sorted(listed)
    assert not (project / "archives" / f".staging-{LAST}").exists()


def test_members_are_normalised_and_gzip_header_is_fixed(project):
    path = archive_path(project, LAST)
    with tarfile.open(path, "r:gz") as tar:
        infos = [m for m in tar]
    names = [m.name for m in infos]
    assert names == sorted(names)
    assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in infos} == {(0, 0, "", "", archive.DEFAULT_EPOCH)}
    assert {m.mode for m in infos} <= {0o644, 0o755}
    header = path.read_bytes()[:10]
    assert header[3] == 0  # no FNAME (nor any other optional field)
    assert int.from_bytes(header[4:8], "little") == archive.DEFAULT_EPOCH


def test_provenance_has_versions_and_no_host_time_or_absolute_path(project):
    path = archive_path(project, LAST)
    text = members(path)[f"niem-round-{LAST}/provenance.json"].decode()
    prov = json.loads(text)
    assert prov["round"] == LAST and prov["rounds"] == [EARLIER, LAST]
    assert prov["packages"]["snakemake"] and prov["packages"]["pyarrow"]
    assert prov["python"]["version"]
    assert prov["git"] == {"commit": None, "dirty": None}  # the tiny copy is not a git work tree
    assert prov["source_date_epoch"] == {"value": archive.DEFAULT_EPOCH, "from": "default"}
    cfg_sha = manifest(path, f"niem-round-{LAST}")["config/config.yaml"]
    assert prov["inputs"]["config"]["sha256"] == cfg_sha
    render = project / "reports" / "render_info.json"
    expected_engine = json.loads(render.read_text())["engine"] if render.exists() else "none"
    assert prov["report_engine"]["engine"] == expected_engine
    assert str(project) not in text and "/tmp" not in text and str(ROOT) not in text
    host = socket.gethostname()
    assert len(host) < 4 or host not in text


def test_datapackage_describes_every_table(project):
    path = archive_path(project, LAST)
    top = f"niem-round-{LAST}"
    package = json.loads(members(path)[f"{top}/datapackage.json"])
    listed = manifest(path, top)
    resources = {r["path"]: r for r in package["resources"]}
    assert package["profile"] in ("data-package", "tabular-data-package")
    parquet = [p for p in listed if p.endswith(".parquet")]
    assert parquet and set(parquet) <= set(resources)
    for rel in parquet:
        res = resources[rel]
        assert res["format"] == "parquet" and res["hash"] == f"sha256:{listed[rel]}" and res["bytes"] > 0
        spec = TABLES["clarification_items" if rel.startswith("results/clarification/") else rel.rsplit("/", 1)[1][:-8]]
        assert [f["name"] for f in res["schema"]["fields"]] == spec.column_names
        assert all(f["description"] for f in res["schema"]["fields"])
    fields = {f["name"]: f["type"] for f in resources["results/step_scores.parquet"]["schema"]["fields"]}
    assert fields["country"] == "string" and fields["score"] == "number" and fields["n_answered"] == "integer"
    assert resources["raw/evidence/2019/BG.csv"]["mediatype"] == "text/csv"
    assert len({r["name"] for r in package["resources"]}) == len(package["resources"])


def test_table_not_in_registry_is_listed_without_schema(tmp_path):
    pq.write_table(pa.table({"x": [1, 2]}), tmp_path / "unknown.parquet")
    pq.write_table(pa.table({"country": ["BG"]}), tmp_path / "findings.parquet")  # no niem metadata: named by file
    digests = archive.tree_digests(tmp_path)
    package = archive.datapackage(tmp_path, sorted(digests), digests, "2021")
    unknown, findings = sorted(package["resources"], key=lambda r: r["path"], reverse=True)
    assert unknown["path"] == "unknown.parquet" and "schema" not in unknown and "registry" in unknown["description"]
    assert [f["name"] for f in findings["schema"]["fields"]] == TABLES["findings"].column_names


def test_verify_passes_on_the_archive(project):
    proc = cli("verify", str(archive_path(project, LAST)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK" in proc.stdout


def test_verify_names_a_changed_member(project, tmp_path):
    target = f"niem-round-{LAST}/results/overall_scores.parquet"

    def flip(content):
        data = bytearray(content[target])
        data[len(data) // 2] ^= 0x01
        content[target] = bytes(data)
    proc = cli("verify", str(rewrite(archive_path(project, LAST), tmp_path / "tampered.tar.gz", flip)))
    assert proc.returncode == 1
    problems = [line for line in proc.stdout.splitlines() if line.startswith(("CHANGED", "MISSING", "EXTRA"))]
    assert problems == ["CHANGED  results/overall_scores.parquet"], proc.stdout
    assert "Traceback" not in proc.stderr


def test_verify_names_missing_and_extra_members(project, tmp_path):
    top = f"niem-round-{LAST}"
    src = archive_path(project, LAST)
    missing = rewrite(src, tmp_path / "missing.tar.gz", lambda c: c.pop(f"{top}/results/change.parquet"))
    extra = rewrite(src, tmp_path / "extra.tar.gz", lambda c: c.update({f"{top}/results/extra.txt": b"x"}))
    proc = cli("verify", str(missing))
    assert proc.returncode == 1 and "MISSING  results/change.parquet" in proc.stdout, proc.stdout
    proc = cli("verify", str(extra))
    assert proc.returncode == 1 and "EXTRA    results/extra.txt" in proc.stdout, proc.stdout
    assert "MISSING" not in proc.stdout and "CHANGED" not in proc.stdout


def test_verify_refuses_unusable_archives_with_a_message(project, tmp_path):
    not_tar = tmp_path / "notes.tar.gz"
    not_tar.write_text("not an archive")
    no_manifest = rewrite(archive_path(project, LAST), tmp_path / "nomanifest.tar.gz",
                          lambda c: c.pop(f"niem-round-{LAST}/MANIFEST.sha256"))
    plain_gzip = tmp_path / "plain.tar.gz"
    plain_gzip.write_bytes(gzip.compress(b"hello"))
    for path, message in ((not_tar, "not a readable tar.gz"), (plain_gzip, "not a readable tar.gz"),
                          (no_manifest, "no MANIFEST.sha256"), (tmp_path / "absent.tar.gz", "no such file")):
        proc = cli("verify", str(path))
        assert proc.returncode == 2 and message in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr


def test_archive_of_the_last_round_has_the_main_build_results(project):
    top = f"niem-round-{LAST}"
    listed = manifest(archive_path(project, LAST), top)
    main = {**archive.tree_digests(project, "results"), **archive.tree_digests(project, "reports")}
    archived = {p: d for p, d in listed.items() if p.startswith(("results/", "reports/"))}
    assert len(archived) > 30
    differing = sorted(p for p in main.keys() | archived.keys() if main.get(p) != archived.get(p))
    assert not differing, f"differ between the main build and the archive: {differing}"


def test_archive_of_an_earlier_round_holds_only_rounds_up_to_it(project):
    path = archive_path(project, EARLIER)
    top = f"niem-round-{EARLIER}"
    content = members(path)
    assert not any(n.startswith(f"{top}/raw/evidence/{LAST}/") for n in content)
    assert f"{top}/raw/evidence/{EARLIER}/BG.csv" in content
    assert f"{top}/results/clarification/{EARLIER}.csv" in content
    assert f"{top}/results/clarification/{LAST}.csv" not in content
    assert b"'2021'" not in content[f"{top}/config/config.yaml"] and b"'2019'" in content[f"{top}/config/config.yaml"]
    assert json.loads(content[f"{top}/provenance.json"])["rounds"] == [EARLIER]


def test_rebuild_matches_the_manifest_and_names_a_forged_file(project, tmp_path):
    """A tampered output with a manifest made to agree passes verify, but the rebuild names it, and
    only it: every other built file of the archive is rebuilt byte for byte (one rebuild proves both;
    each costs a whole build)."""
    top = f"niem-round-{EARLIER}"
    target = "results/overall_scores.parquet"

    def tamper(content):
        content[f"{top}/{target}"] += b"\0"
        lines = content[f"{top}/MANIFEST.sha256"].decode().splitlines()
        sha = hashlib.sha256(content[f"{top}/{target}"]).hexdigest()
        content[f"{top}/MANIFEST.sha256"] = "".join(
            (f"{sha}  {target}" if line.endswith(f"  {target}") else line) + "\n" for line in lines).encode()
    path = rewrite(archive_path(project, EARLIER), tmp_path / "forged.tar.gz", tamper)
    assert cli("verify", str(path)).returncode == 0
    proc = cli("rebuild", str(path), "--cores", "2")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "steps" in proc.stderr  # the rebuild ran Snakemake
    assert [line for line in proc.stdout.splitlines() if line.startswith("DIFFERS")] == [f"DIFFERS  {target}"]
    assert "rebuild FAILED: 1 differ, 0 not rebuilt, 0 new, of " in proc.stdout, proc.stdout


def test_building_the_archive_twice_is_byte_identical(project):
    path = archive_path(project, EARLIER)  # the smaller nested build
    first, first_members = hashlib.sha256(path.read_bytes()).hexdigest(), members(path)
    path.unlink()
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        snakemake(project, f"archive_{EARLIER}")
    again = members(path)  # name the members that differ (comparing the raw bytes would print megabytes)
    assert not sorted(n for n in first_members.keys() | again.keys() if first_members.get(n) != again.get(n))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == first


def test_source_date_epoch_sets_every_timestamp(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    epoch, origin = archive.source_date_epoch()
    assert (epoch, origin) == (1700000000, "SOURCE_DATE_EPOCH")
    src = tmp_path / "tool.sh"
    src.write_text("#!/bin/sh\n")
    src.chmod(0o775)
    members_ = [archive.Member("b/data.txt", data=b"b"), archive.Member("a/tool.sh", source=src, executable=True)]
    archive.write_tar_gz(tmp_path / "one.tar.gz", members_, epoch)
    archive.write_tar_gz(tmp_path / "two.tar.gz", list(reversed(members_)), epoch)
    assert (tmp_path / "one.tar.gz").read_bytes() == (tmp_path / "two.tar.gz").read_bytes()
    with tarfile.open(tmp_path / "one.tar.gz") as tar:
        assert [(m.name, m.mode, m.mtime) for m in tar] == [("a/tool.sh", 0o755, epoch), ("b/data.txt", 0o644, epoch)]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(archive.InputError, match="SOURCE_DATE_EPOCH"):
        archive.source_date_epoch()
