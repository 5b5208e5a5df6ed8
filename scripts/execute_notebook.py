"""Executes a notebook with nbclient and saves it, also when a cell fails; optionally runs extra cells after it.

tslab answers a failing cell with an empty error message and writes the real one (the type error, the
stack trace) to the cell's stderr, so on failure this prints that cell's source and output: nbconvert
alone would show only "<Error>:".

With --extra CELLS.json --extra-out RESULTS.json, once every cell of the notebook has run, the code cells in
CELLS.json (a JSON list of {"source": "..."} objects; other keys are copied to the result) run one after the
other in the SAME kernel, as if a reader had pasted them at the end of the executed notebook: the worked
solutions of a chapter's exercises. They are not part of the saved notebook (it is written before they run,
and they run against a scratch copy of it). RESULTS.json gets, for each extra cell in order, whether it ran
without error and what it printed (see extra_result). An extra cell that fails, times out or kills the kernel
is recorded and does not stop the next one (after a dead kernel the rest are recorded as not run); only the
notebook's own cells make this script fail. If a notebook cell fails, the extra cells do not run and
RESULTS.json is not written.

usage: python3 execute_notebook.py SOURCE.ipynb OUTPUT.ipynb CELL_TIMEOUT_SECONDS [--extra CELLS.json --extra-out RESULTS.json]
"""
import argparse
import copy
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync

# After a failing cell tslab cancels every execute request it receives in the next 200 ms (status "abort",
# nothing run; it ignores stop_on_error): wait longer than that before the next extra cell, and resend one
# that was aborted anyway.
TSLAB_ERROR_PAUSE = 0.5
ABORT_RETRIES = 3
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
INTERNAL_FRAME = re.compile(r"^\s+at .*(\(node:|node_modules/tslab/|\bnode:internal)")


def cell_output_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])) or output.get("evalue", ""))
    return "".join(parts)


def stream_text(cell, name):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == name)


def error_text(ename, evalue, traceback, stderr):
    """What went wrong, readably: tslab's error message is empty and its stderr holds the real error."""
    parts = []
    trace = ANSI.sub("", "\n".join(traceback or [])).strip()
    message = f"{ename or 'Error'}: {evalue}" if evalue else ""
    if trace and (not message or message in trace or len(trace) > len(message)):
        parts.append(trace)
    elif message:
        parts.append(message)
    if stderr.strip():
        # The stack frames below the cell's own are tslab's and Node's machinery: leave them out.
        lines = [line for line in stderr.strip().splitlines() if not INTERNAL_FRAME.search(line)]
        parts.append("\n".join(lines))
    return "\n".join(parts) or f"{ename or 'Error'} (the kernel gave no message and wrote nothing to stderr)"


def extra_result(spec, cell, reply, status, seconds, failure=None):
    """The record of one extra cell: ok, status (ok | error | timeout | dead-kernel | not-run), streams, error, displays."""
    outputs = cell.get("outputs", [])
    stderr = stream_text(cell, "stderr")
    error = None
    if status == "error":
        content = (reply or {}).get("content", {})
        err_out = next((o for o in outputs if o.get("output_type") == "error"), {})
        ename = content.get("ename") or err_out.get("ename") or ""
        evalue = content.get("evalue") or err_out.get("evalue") or ""
        traceback = content.get("traceback") or err_out.get("traceback") or []
        error = {"ename": ename, "evalue": evalue, "traceback": [ANSI.sub("", line) for line in traceback],
                 "text": error_text(ename, evalue, traceback, stderr)}
    elif status != "ok":
        error = {"ename": status, "evalue": failure or status, "traceback": [],
                 "text": "\n".join(p for p in [failure or status, stderr.strip()] if p)}
    record = {key: value for key, value in spec.items() if key != "source"}
    record.update({
        "source": spec["source"],
        "ok": status == "ok",
        "status": status,
        "stdout": stream_text(cell, "stdout"),
        "stderr": stderr,
        "error": error,
        # One entry per display_data / execute_result output: its mime types (e.g. ["text/html", "text/plain"]).
        "displays": [sorted(o.get("data", {}).keys()) for o in outputs if o.get("output_type") in ("display_data", "execute_result")],
        "seconds": round(seconds, 3),
    })
    return record


def interrupt(client):
    """Interrupts the kernel (SIGINT stops tslab's running cell) so that the next extra cell finds it idle."""
    async def send():
        await ensure_async(client.km.interrupt_kernel())
    try:
        run_sync(send)()
    except Exception as error:  # noqa: BLE001 - best effort: a kernel that cannot be interrupted times out again
        print(f"could not interrupt the kernel: {error}", file=sys.stderr)
    time.sleep(TSLAB_ERROR_PAUSE)


def run_extra_cells(client, notebook, specs):
    """Runs `specs` in client's (still running) kernel, after the notebook; returns one record per spec."""
    # Scratch copy: nbclient stores each executed cell into client.nb and updates earlier cells' outputs in
    # place when a display is updated, so the extra cells must never touch the notebook that was saved.
    scratch = copy.deepcopy(notebook)
    first = len(scratch.cells)
    cells = [nbformat.v4.new_code_cell(source=spec["source"]) for spec in specs]
    scratch.cells.extend(cells)
    client.nb = scratch
    client.allow_errors = True  # record the error instead of raising; also sends stop_on_error=False
    replies = {}
    client.on_cell_executed = lambda cell, cell_index, execute_reply: replies.__setitem__(cell_index, execute_reply)
    results = []
    dead = None
    for offset, (spec, cell) in enumerate(zip(specs, cells)):
        index = first + offset
        if dead:
            results.append(extra_result(spec, cell, None, "not-run", 0.0, f"not run: {dead}"))
            continue
        start = time.monotonic()
        try:
            for attempt in range(ABORT_RETRIES + 1):
                replies.pop(index, None)
                cell.outputs = []
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                reply = replies.get(index)
                reply_status = (reply or {}).get("content", {}).get("status")
                if reply_status != "abort":
                    break
                time.sleep(TSLAB_ERROR_PAUSE)  # sent while tslab was still discarding after an error: send again
            if reply_status == "ok":
                results.append(extra_result(spec, cell, reply, "ok", time.monotonic() - start))
            elif reply_status == "error":
                results.append(extra_result(spec, cell, reply, "error", time.monotonic() - start))
                time.sleep(TSLAB_ERROR_PAUSE)
            else:
                why = "aborted by the kernel" if reply_status == "abort" else f"execute reply {reply_status!r}"
                results.append(extra_result(spec, cell, reply, "not-run", time.monotonic() - start, why))
        except CellTimeoutError as error:
            results.append(extra_result(spec, cell, None, "timeout", time.monotonic() - start,
                                        f"timed out after {client.timeout} s (then the kernel was interrupted)"))
            interrupt(client)
        except DeadKernelError as error:
            dead = f"the kernel died during extra cell {offset + 1}"
            results.append(extra_result(spec, cell, None, "dead-kernel", time.monotonic() - start, f"kernel died: {error}"))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("cell_timeout", type=int)
    parser.add_argument("--extra", help="JSON list of extra code cells, run after the notebook in the same kernel")
    parser.add_argument("--extra-out", help="where to write the extra cells' results (JSON)")
    args = parser.parse_args()
    if bool(args.extra) != bool(args.extra_out):
        parser.error("--extra and --extra-out go together")
    specs = None
    if args.extra:
        with open(args.extra, encoding="utf-8") as f:
            specs = json.load(f)
        if not isinstance(specs, list) or not all(isinstance(s, dict) and isinstance(s.get("source"), str) for s in specs):
            parser.error(f"{args.extra}: expected a JSON list of objects with a string \"source\"")

    notebook = nbformat.read(args.source, as_version=4)
    client = NotebookClient(notebook, timeout=args.cell_timeout, startup_timeout=120,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.source))}})
    failed = None
    results = None
    # setup_kernel keeps one kernel for the notebook and the extra cells; cleanup_kc=False stops execute()
    # from shutting it down when the notebook is done (setup_kernel shuts it down on leaving the block).
    with client.setup_kernel():
        try:
            client.execute(cleanup_kc=False)
        except CellExecutionError:
            # nbclient stops at the failing cell: it is the last code cell that got an execution count.
            executed = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and c.get("execution_count") is not None]
            failed = executed[-1] if executed else next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
        finally:
            nbformat.write(notebook, args.target)
        if failed is None and specs is not None:
            results = run_extra_cells(client, notebook, specs)
    if results is not None:
        with open(args.extra_out, "w", encoding="utf-8") as f:
            json.dump({"notebook": os.path.abspath(args.source), "cells": results}, f, indent=1, ensure_ascii=False)
            f.write("\n")
    if failed is not None:
        cell = notebook.cells[failed]
        code_cells = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
        print(f"Cell {code_cells.index(failed) + 1} (code cell; cell {failed + 1} of the notebook) failed:", file=sys.stderr)
        print("------------------ source", file=sys.stderr)
        print(cell.source, file=sys.stderr)
        print("------------------ output", file=sys.stderr)
        print(cell_output_text(cell) or "(no output)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
