#!/usr/bin/env python3
"""Benchmark Corymbus side by side with Odoo's own CRM, in one command.

    python3 bench/run.py                       # 10,000 and 100,000 opportunities
    python3 bench/run.py --sizes 1000,10000    # quicker
    python3 bench/run.py --write-results       # also rewrite bench/RESULTS.md

Finds Odoo 19 and PostgreSQL as tools/corymbus does (ODOO_PATH or an importable
odoo; PGHOST/PGPORT/PGUSER/PGPASSWORD, an Odoo config file, or a private
cluster), or as --db-host/--db-port/--db-user/--db-password say. Creates a
throwaway database with corymbus_crm and Odoo's crm, seeds it with SQL, prints
one table, and drops the database (unless --keep-db). Only the standard
library is used here; the measuring runs under the Python that runs Odoo.
"""

import argparse
import importlib.machinery
import importlib.util
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODULES = "corymbus_crm,crm"

PIPELINE_TARGET = 0.5
DASHBOARD_TARGET = 2.0


def load_tooling():
    """tools/corymbus as a module: the same Odoo and PostgreSQL discovery."""
    path = ROOT / "tools" / "corymbus"
    if not path.is_file():
        sys.exit("bench: tools/corymbus is missing; it finds Odoo and PostgreSQL.")
    loader = importlib.machinery.SourceFileLoader("corymbus_tooling", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module
    loader.exec_module(module)
    return module


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Time Corymbus against Odoo's CRM on the same seeded data.",
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="numbers of opportunities, increasing (10000,100000)",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per measure, median (5)"
    )
    parser.add_argument(
        "--import-runs", type=int, default=1, help="timed runs of the import (1)"
    )
    parser.add_argument(
        "--skip-import",
        action="store_true",
        help="leave out the contact import row (it takes minutes)",
    )
    parser.add_argument("--db-name", help="database name (a new throwaway one)")
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    parser.add_argument("--db-host", help="PostgreSQL host (else as tools/corymbus)")
    parser.add_argument("--db-port", help="PostgreSQL port")
    parser.add_argument("--db-user", help="PostgreSQL role")
    parser.add_argument("--db-password", help="PostgreSQL password")
    parser.add_argument(
        "--write-results",
        action="store_true",
        help="write the table and the machine to bench/RESULTS.md",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if sizes != sorted(set(sizes)) or sizes[0] < 20:
        parser.error("--sizes must increase, from 20 opportunities up")
    return args


def say(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine():
    """A description of the machine the numbers come from, without paths."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kilobytes = int(handle.readline().split()[1])
            memory = f", {kilobytes / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    return (
        f"{cpu}, {cores or os.cpu_count()} cores usable{memory}; "
        f"{platform.system()} {platform.release()}"
    )


def shown_command(argv):
    """The command as typed, the password hidden."""
    shown, hide = [], False
    for arg in argv:
        if hide:
            shown.append("***")
        elif arg.startswith("--db-password="):
            shown.append("--db-password=***")
        else:
            shown.append(shlex.quote(arg))
        hide = arg == "--db-password"
    return " ".join(["python3", "bench/run.py", *shown])


def run_odoo(command, env, what):
    say(what)
    done = subprocess.run(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        sys.exit(f"bench: {what} failed (exit status {done.returncode})")
    return done


def figures(measure):
    return f"{measure['ms']:.1f} ms", str(measure["queries"])


def shape(measure):
    """The columns and cards a pipeline opening read, in words."""
    found = measure["shape"]
    return (
        f"{found['columns']} columns ({found['unfolded']} unfolded) "
        f"and reads {found['cards']} cards"
    )


def render(result, sizes):
    """The Markdown table of the run, and the verdicts on the targets."""
    lines = [
        "| Measure | N | Corymbus | Queries | Reference | Queries | Ratio | Target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    verdicts = []
    rows = result["rows"]
    labels = {
        "pipeline": (
            "Pipeline kanban open (grouped read, first cards, progress bar)",
            "Odoo crm",
        ),
        "dashboard": ("Dashboard, one refresh", "hand-written SQL"),
        "documents": (
            "A company's documents: count and first page, 1,000 opportunities",
            "100 opportunities",
        ),
        "import": ("Import 10,000 vCard contacts", "bare batch create"),
    }
    for row in rows:
        if "status" in row:
            label = {
                "documents": "A company's documents (1,000 opportunities)",
                "import": "Import 10,000 vCard contacts",
            }[row["key"]]
            lines.append(f"| {label} | | {row['status']} | | | | | |")
            continue
        label, reference = labels[row["key"]]
        ratio = row["subject"]["ms"] / row["reference"]["ms"]
        target = {
            "pipeline": f"≤ {PIPELINE_TARGET} × crm; same queries at every N",
            "dashboard": f"≤ {DASHBOARD_TARGET} × SQL",
            "documents": "same queries as with 100",
            "import": "none set",
        }[row["key"]]
        subject_ms, subject_queries = figures(row["subject"])
        reference_ms, reference_queries = figures(row["reference"])
        lines.append(
            f"| {label} | {row['size']:,} | {subject_ms} | {subject_queries} | "
            f"{reference_ms} ({reference}) | {reference_queries} | {ratio:.2f} | "
            f"{target} |"
        )
        if row["key"] == "pipeline":
            verdicts.append(
                (
                    f"pipeline at {row['size']:,}: ratio {ratio:.2f}",
                    ratio <= PIPELINE_TARGET,
                )
            )
        if row["key"] == "documents":
            verdicts.append(
                (
                    f"documents: {subject_queries} queries with 1,000 opportunities, "
                    f"{reference_queries} with 100",
                    subject_queries == reference_queries,
                )
            )
        if row["key"] == "dashboard":
            verdicts.append(
                (
                    f"dashboard at {row['size']:,}: ratio {ratio:.2f}",
                    ratio <= DASHBOARD_TARGET,
                )
            )

    for key in ("pipeline", "dashboard"):
        counts = {
            row["size"]: row["subject"]["queries"]
            for row in rows
            if row["key"] == key and "subject" in row
        }
        if len(counts) > 1:
            same = len(set(counts.values())) == 1
            shown = ", ".join(f"{count} at {size:,}" for size, count in counts.items())
            verdicts.append((f"{key} query count {shown}", same))

    shapes = [
        f"at {row['size']:,}, Corymbus opens {shape(row['subject'])}, "
        f"crm {shape(row['reference'])}"
        for row in rows
        if row["key"] == "pipeline" and "shape" in row.get("subject", {})
    ]
    seeding = ", ".join(
        f"{int(size):,} in {seconds} s" for size, seconds in result["seeding"].items()
    )
    durations = ", ".join(
        f"{key} {seconds // 60} min {seconds % 60:02d} s"
        for key, seconds in result["durations"].items()
    )
    notes = [
        *(["Pipeline: " + "; ".join(shapes) + "."] if shapes else []),
        f"Medians of {result['runs']} runs after two warm-up calls (the import: "
        f"{result['import_runs']} run, rolled back); queries per call.",
        f"Seeding by SQL: {seeding}.",
        f"Time spent per part (seeding and measuring): {durations}.",
        "Load average over one minute, before and after the run: "
        f"{result['load'][0]:.1f} and {result['load'][1]:.1f} on "
        f"{os.cpu_count()} cores (other work shares the machine: timings are noisy, "
        "query counts are not).",
    ]
    return lines, verdicts, notes


def write_results(lines, verdicts, notes, result, started):
    text = [
        "# Benchmark results",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M %Z', started)} with:",
        "",
        f"    {result['command']}",
        "",
        f"Machine: {result['machine']}; PostgreSQL {result['postgres']}; "
        f"Python {result['python']}; Odoo {result['odoo']}.",
        "",
        *lines,
        "",
        *(f"- {'met' if ok else 'NOT met'}: {text}" for text, ok in verdicts),
        *(f"- {note}" for note in notes),
        "",
        "What each row measures is described in `bench/README.md`.",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(text), encoding="utf-8")
    say("wrote bench/RESULTS.md")


def main(argv):
    args = parse_args(argv)
    started = time.localtime()
    load_before = os.getloadavg()[0]
    for option, variable in (
        ("db_host", "PGHOST"),
        ("db_port", "PGPORT"),
        ("db_user", "PGUSER"),
        ("db_password", "PGPASSWORD"),
    ):
        if getattr(args, option):
            os.environ[variable] = getattr(args, option)

    tooling = load_tooling()
    try:
        odoo = tooling.find_odoo()
        server = tooling.choose_db_server()
    except tooling.ToolError as exc:
        sys.exit(f"bench: {exc}")
    try:
        base = tooling.odoo_base_command(odoo, server, tooling.discover_addons())
        env = tooling.odoo_env(server)
        databases = tooling.Databases(odoo, server)
        name = args.db_name or f"corymbus_bench_{os.getpid()}"
        if databases.exists(name):
            sys.exit(f"bench: database {name} exists; the bench wants a new one.")
        say(f"Odoo {odoo.version}; {server.label}; database {name}")
        try:
            install = [
                *base,
                "-d",
                name,
                "-i",
                MODULES,
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ]
            run_odoo(install, env, f"installing {MODULES} (a few minutes)")
            measure = [
                odoo.python,
                str(HERE / "measure.py"),
                "--db",
                name,
                "--sizes",
                args.sizes,
                "--runs",
                str(args.runs),
                "--import-runs",
                str(0 if args.skip_import else args.import_runs),
            ]
            if (odoo.location / "odoo-bin").is_file():
                measure += ["--odoo-root", str(odoo.location)]
            measure += ["--", *base[len(odoo.command) :]]
            say("seeding and measuring")
            done = subprocess.run(
                measure,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                text=True,
                check=False,
            )
            if done.returncode:
                sys.exit(f"bench: measuring failed (exit status {done.returncode})")
            result = json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            if args.keep_db:
                say(f"kept database {name}")
            else:
                databases.drop(name)
    finally:
        if server.cluster:
            server.cluster.release()

    result.update(
        command=shown_command(argv),
        sizes=args.sizes,
        runs=args.runs,
        import_runs=args.import_runs,
        machine=machine(),
        load=(load_before, os.getloadavg()[0]),
    )
    lines, verdicts, notes = render(result, args.sizes)
    print(
        f"Machine: {result['machine']}; PostgreSQL {result['postgres']}; "
        f"Python {result['python']}; Odoo {result['odoo']}"
    )
    print("\n".join(lines))
    for text, ok in verdicts:
        print(f"{'met' if ok else 'NOT met'}: {text}")
    for note in notes:
        print(note)
    if args.write_results:
        write_results(lines, verdicts, notes, result, started)
    return 0 if all(ok for _text, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
