#!/usr/bin/env bash
# OPT-IN, needs root, changes the machine: never run by CI or the tests.
#
# Installs a single-node SLURM cluster from Debian 12 packages (slurmctld, slurmd, slurm-client,
# munge) on this machine, runs the whole workflow through it with the profile
# workflow/profiles/slurm on a copy of the project, runs the same copy locally (--cores 2), and
# compares the two runs' results/*.parquet and reports (cluster/compare_results.py). Exits non-zero
# if anything differs. Details and every setting: docs/cluster.md.
#
#   cluster/slurm_single_node.sh [WORKDIR]     set up (or reuse) the cluster, run, compare
#   cluster/slurm_single_node.sh stop          stop the daemons this script started (by pid file)
#
# Environment: PYTHON (default: python on PATH; needs the project's packages and
# snakemake-executor-plugin-slurm, see requirements-cluster.txt), CORES (local run, default 2).
#
# Single-node specifics: no accounting database, so job states come from squeue
# (--slurm-status-command squeue, MinJobAge=600 keeps finished jobs visible) and jobs carry no
# account (--slurm-no-account); no cgroups here, so ProctrackType=proctrack/linuxproc and
# TaskPlugin=task/none; NodeName = SlurmctldHost = `hostname -s`, CPUs and RealMemory as `slurmd -C`
# detects them; the daemons run as root, started directly (no systemd).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python}
CORES=${CORES:-2}
CONF=/etc/slurm/slurm.conf
MARK="# written by niem-eval cluster/slurm_single_node.sh"
PIDS=(/run/slurmctld.pid /run/slurmd.pid /run/munge/munged.pid)

say() { printf '\n==> %s\n' "$*"; }
run() { printf '+ %s\n' "$*"; "$@"; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if [ "${1:-}" = stop ]; then
  for f in "${PIDS[@]}"; do
    if alive "$f"; then run kill "$(cat "$f")"; fi
  done
  exit 0
fi
WORK=${1:-/tmp/niem-slurm}
[ "$(id -u)" = 0 ] || { echo "run as root (it installs packages and starts daemons)" >&2; exit 2; }
"$PYTHON" -c "import snakemake, snakemake_executor_plugin_slurm" 2>/dev/null || {
  echo "$PYTHON lacks snakemake or the SLURM plugin: pip install -r requirements.txt -r requirements-cluster.txt" >&2; exit 2; }

say "1. packages"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y slurmctld slurmd slurm-client munge
else
  echo "slurmctld, slurmd, slurm-client and munge are installed"
fi

say "2. munge (authentication)"
if [ ! -s /etc/munge/munge.key ]; then
  run mungekey --create --keyfile=/etc/munge/munge.key
  run chown munge:munge /etc/munge/munge.key
  run chmod 400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  run install -d -o munge -g munge -m 0755 /run/munge
  run runuser -u munge -- /usr/sbin/munged
  sleep 1
fi
munge -n | unmunge | grep -q 'STATUS: *Success' && echo "munge works"

say "3. $CONF"
NODE=$(hostname -s)
NODELINE=$(slurmd -C | head -n1)   # NodeName=... CPUs=... RealMemory=... as detected
NEW=$(cat <<EOF
$MARK: single node on loopback, no accounting, no cgroups.
ClusterName=niem
SlurmctldHost=$NODE
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=600
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
$NODELINE State=UNKNOWN
PartitionName=main Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
)
if [ -f "$CONF" ] && ! grep -q "^$MARK" "$CONF"; then
  echo "$CONF exists and was not written by this script; not touching it (move it away to continue)" >&2
  exit 2
fi
CHANGED=0
if [ "$(cat "$CONF" 2>/dev/null)" != "$NEW" ]; then
  printf '%s\n' "$NEW" > "$CONF"
  CHANGED=1
  echo "wrote $CONF:"
else
  echo "$CONF is up to date:"
fi
sed 's/^/    /' "$CONF"
run install -d /var/spool/slurmctld /var/spool/slurmd /var/log/slurm

say "4. daemons"
if alive /run/slurmctld.pid; then
  [ "$CHANGED" = 1 ] && run scontrol reconfigure
  echo "slurmctld running (pid $(cat /run/slurmctld.pid))"
else
  run /usr/sbin/slurmctld
fi
if alive /run/slurmd.pid; then
  echo "slurmd running (pid $(cat /run/slurmd.pid))"
else
  run /usr/sbin/slurmd
fi
state=""
for _ in $(seq 1 30); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
  case "$state" in
    idle*|mixed*|allocated*) break ;;
    down*|drain*|fail*) run scontrol update nodename="$NODE" state=resume || true ;;
  esac
  sleep 1
done
run sinfo
case "$state" in idle*|mixed*|allocated*) ;; *) echo "node $NODE is '$state', not idle; see /var/log/slurm/" >&2; exit 1 ;; esac
run srun -N1 -n1 --time=1 hostname

say "5. two copies of the project in $WORK"
rm -rf "$WORK"
mkdir -p "$WORK"
run "$PYTHON" "$ROOT/cluster/compare_results.py" prepare "$WORK/local"
run "$PYTHON" "$ROOT/cluster/compare_results.py" prepare "$WORK/slurm"
mapfile -t CFG < <("$PYTHON" "$ROOT/cluster/compare_results.py" args "$WORK/local")

say "6. local run (--cores $CORES)"
start=$(date +%s)
(cd "$WORK/local" && run "$PYTHON" -m snakemake --cores "$CORES" "${CFG[@]}" > "$WORK/local.log" 2>&1) \
  || { tail -n 40 "$WORK/local.log"; exit 1; }
echo "local run: $(( $(date +%s) - start )) s, $(grep -Eo '[0-9]+ of [0-9]+ steps' "$WORK/local.log" | tail -n1)"

say "7. SLURM run (--profile workflow/profiles/slurm)"
start=$(date +%s)
(cd "$WORK/slurm" && run "$PYTHON" -m snakemake --profile workflow/profiles/slurm "${CFG[@]}" \
   --slurm-no-account --slurm-status-command squeue --slurm-init-seconds-before-status-checks 5 \
   > "$WORK/slurm.log" 2>&1) || { tail -n 60 "$WORK/slurm.log"; exit 1; }
SUBMITTED=$(grep -Eo 'submitted with SLURM jobid [0-9]+' "$WORK/slurm.log" | awk '{print $NF}' | sort -un)
echo "SLURM run: $(( $(date +%s) - start )) s, $(grep -Eo '[0-9]+ of [0-9]+ steps' "$WORK/slurm.log" | tail -n1)," \
     "$(printf '%s\n' "$SUBMITTED" | grep -c . || true) SLURM jobs: $(echo $SUBMITTED)"
[ -n "$SUBMITTED" ] && run squeue --states=all --jobs "$(echo $SUBMITTED | tr ' ' ,)" -o '%.8i %.40j %.10T %.10M %R' || true

say "8. compare results"
if "$PYTHON" "$ROOT/cluster/compare_results.py" compare "$WORK/local" "$WORK/slurm"; then
  echo "MATCH: the SLURM run's results equal the local run's"
else
  echo "DIFFERENT: see above; logs in $WORK/local.log and $WORK/slurm.log" >&2
  exit 1
fi
