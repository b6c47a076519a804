# Round archives (issue 6): `snakemake --cores 4 archive_{round}` pins the state of the project as
# of that round in {archive_dir}/niem-round-{round}.tar.gz: the inputs of rounds <= round, the
# workflow code, and the results/ and reports/ of a clean nested build of exactly those inputs
# (in {archive_dir}/.staging-{round}/, removed afterwards). Contents, verify and rebuild:
# docs/archive.md; logic in niem/archive/round_archive.py.
from niem.archive.round_archive import archive_name, code_files, data_files

ARCHIVE_DIR = config["archive_dir"]
ARCHIVE_CODE = [source_file(rel) for rel in code_files(workflow.basedir)]


try:  # paths that cannot be archived (absolute, outside the project) stop the run here
    data_files(config, ROUNDS[-1], ".", _config_file)
except InputError as exc:
    raise SystemExit(f"{exc}\nNothing was run.")


def archive_data(wildcards):
    return data_files(config, wildcards.round, ".", _config_file)


rule archive_round:
    input:
        code=ARCHIVE_CODE,
        data=archive_data,
        config=_config_file,
    output:
        f"{ARCHIVE_DIR}/{archive_name('{round}')}.tar.gz",
    params:
        config=config,
        basedir=workflow.basedir,
        staging=lambda w: f"{ARCHIVE_DIR}/.staging-{w.round}",
    threads: 4
    log:
        "logs/archive/{round}.log",
    script:
        "../../scripts/archive_round.py"


# One named target per configured round: `snakemake --cores 4 archive_2021`.
for _round in ROUNDS:

    rule:
        name:
            f"archive_{_round}"
        input:
            f"{ARCHIVE_DIR}/{archive_name(_round)}.tar.gz",
        localrule: True
