"""``derivcheck check``: grade a file of derivative answers."""

from __future__ import annotations

import argparse
import os
import sys

from derivcheck.cli import add_lang_argument
from derivcheck.errors import DerivcheckError

DESCRIPTION = """\
Grade a file of derivative answers: CSV, JSON, JSON Lines or YAML with the
columns id, function, answer and optionally var, at (the answer is then the
derivative's value there) and student. Each answer is correct, incorrect (with
the mistake named when it is a typical one), unparseable or error. Nothing the
students typed is ever run."""
EPILOG = """examples:
  derivcheck check answers.csv
  derivcheck check answers.csv --format json --out report.json
  derivcheck check 作业.csv --lang zh                 (GBK from Excel is detected)
  derivcheck check answers.csv --encoding big5 --format csv > report.csv
  derivcheck check big.csv --out report.json --jobs 4
  derivcheck check big.csv --out report.json --resume  (continue an interrupted run)
  derivcheck check big.csv --out report.json --scheduler tcp://10.0.0.5:8786  (Dask)

file format (CSV; JSON and YAML use the same keys):
  id,function,answer,at,student
  1,(2x+1)^3,6(2x+1)^2,,Alice
  2,(2x+1)^3,54,1,张三

mistakes named: missing-inner-derivative, sign-error, constant-factor, not-differentiated,
  power-not-reduced, product-rule, quotient-rule-sign

exit status: 0 when the file was graded (whatever the answers), 2 when the file
cannot be used (the message names the line and the reason).
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="answers: .csv, .tsv, .json, .jsonl, .yaml, or - for stdin"
    )
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        help="report format (default: from --out's extension; else a table on a terminal "
        "and JSON when piped)",
    )
    parser.add_argument("--out", metavar="REPORT", help="write the report to this file")
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes (default: 1 for small files, else one per core)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on a Dask distributed cluster (pip install 'derivcheck[dask]')",
    )
    add_lang_argument(parser, "language of messages")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run (needs --out; keeps the rows already graded)",
    )
    parser.add_argument(
        "--encoding",
        metavar="E",
        help="text encoding of FILE (default: detect UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time allowed for one answer (default: 2)",
    )


def run(args: argparse.Namespace) -> int:
    from derivcheck.cli import say
    from derivcheck.cli.output import check_output, make_folder, os_reason
    from derivcheck.grading.answers import DEFAULT_TIME_LIMIT, AnswerResult
    from derivcheck.grading.batch import (
        CSV_COLUMNS,
        BatchReport,
        Journal,
        Progress,
        csv_cells,
        format_for_path,
        require_answers,
        run_batch,
        summary_text,
    )
    from derivcheck.grading.files import load

    if args.jobs is not None and args.jobs < 1:
        raise DerivcheckError("cli.at_least_one", option="--jobs")
    if args.scheduler and args.jobs is not None:
        raise DerivcheckError("scale.scheduler_and_jobs")
    if args.resume and not args.out:
        raise DerivcheckError("cli.resume_needs_out")
    if args.out and os.path.isdir(args.out):
        raise DerivcheckError("cli.out_is_folder", path=args.out)
    if args.out:
        check_output(args.out, "--out")
    time_limit = DEFAULT_TIME_LIMIT if args.time_limit is None else args.time_limit
    if time_limit <= 0:
        raise DerivcheckError("cli.must_be_positive", option="--time-limit")
    if args.format:
        report_format = args.format
    elif args.out:
        report_format = format_for_path(args.out)
    else:  # people get a table; pipes and files get JSON
        report_format = "table" if sys.stdout.isatty() else "json"

    exercise_file = load(args.file, encoding=args.encoding)
    require_answers(exercise_file)
    rows = list(exercise_file.rows)

    journal = None
    done: dict[int, AnswerResult] = {}
    if args.out:
        try:
            make_folder(args.out)
            if args.resume:
                journal, done = Journal.resume(args.out, exercise_file.sha256, args.lang, len(rows))
            else:
                journal = Journal.start(args.out, exercise_file.sha256, args.lang, len(rows))
        except OSError as error:
            raise DerivcheckError(
                "cli.cannot_journal", path=args.out, reason=os_reason(error)
            ) from None

    terminal = sys.stderr.isatty()
    progress = (
        Progress(len(rows), len(done), lang=args.lang) if terminal and len(rows) >= 50 else None
    )
    stream_csv = report_format == "csv" and not args.out
    if stream_csv:  # CSV to stdout: each row as soon as it is graded
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)

    graded: list[AnswerResult] = []

    def on_result(result: AnswerResult) -> None:
        graded.append(result)
        if stream_csv:
            writer.writerow(csv_cells(result))
            sys.stdout.flush()
        if progress is not None:
            progress.advance()

    client = _dask_client(args.scheduler) if args.scheduler else None
    try:
        results = run_batch(
            rows,
            done,
            jobs=args.jobs if client is None else _cluster_cores(client),
            lang=args.lang,
            time_limit_seconds=time_limit,
            on_result=on_result,
            on_arrival=None if journal is None else journal.write_many,
            executor=None if client is None else client.get_executor(),
        )
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
            progress = None
        if journal is not None:
            journal.close()
            command = f"derivcheck check {args.file} --out {args.out} --resume"
            say("cli.interrupted_kept", args.lang, journal=journal.path, command=command)
        else:  # nothing already graded is lost: the partial report goes out
            if not stream_csv:
                so_far = sorted([*done.values(), *graded], key=lambda r: r.index or 0)
                partial = BatchReport.of_file(so_far, exercise_file, args.lang, interrupted=True)
                sys.stdout.write(partial.render(report_format))
            say("cli.interrupted_after", args.lang, done=len(graded), total=len(rows))
        return 130
    finally:
        if progress is not None:
            progress.close()
        if client is not None:
            client.close()

    report = BatchReport.of_file(results, exercise_file, args.lang)
    if args.out:
        try:
            report.write(args.out, report_format)
        except OSError as error:
            journal.close()
            raise DerivcheckError(
                "cli.report_not_written",
                path=args.out,
                reason=os_reason(error),
                journal=journal.path,
            ) from None
        journal.finish()
        if terminal:
            print(summary_text(report.summary, args.lang), file=sys.stderr)
    elif not stream_csv:
        sys.stdout.write(report.render(report_format))
    elif terminal:
        print(summary_text(report.summary, args.lang), file=sys.stderr)
    return 0


def _dask_client(address: str):  # -> dask.distributed.Client
    """A client of the Dask scheduler at ``address`` (Dask is imported only here)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise DerivcheckError("scale.needs_dask") from None
    try:
        return Client(address, timeout=30)
    except (OSError, TimeoutError, ValueError) as error:
        raise DerivcheckError(
            "scale.no_scheduler", address=address, reason=str(error) or type(error).__name__
        ) from None


def _cluster_cores(client) -> int:
    """The cluster's worker threads (at least 1): chunks in flight are three per core."""
    return max(1, sum(client.nthreads().values()))
