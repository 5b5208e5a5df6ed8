"""Executes a notebook with nbclient and saves it, also when a cell fails.

tslab answers a failing cell with an empty error message and writes the real one (the type error, the
stack trace) to the cell's stderr, so on failure this prints that cell's source and output: nbconvert
alone would show only "<Error>:".

usage: python3 execute_notebook.py SOURCE.ipynb OUTPUT.ipynb CELL_TIMEOUT_SECONDS
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def cell_output_text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])) or output.get("evalue", ""))
    return "".join(parts)


def main(source, target, cell_timeout):
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, timeout=int(cell_timeout), startup_timeout=120,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
    failed = None
    try:
        client.execute()
    except CellExecutionError:
        # nbclient stops at the failing cell: it is the last code cell that got an execution count.
        executed = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and c.get("execution_count") is not None]
        failed = executed[-1] if executed else next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
    finally:
        nbformat.write(notebook, target)
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
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
