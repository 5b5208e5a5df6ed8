"""Interrupts a long `fit` through Jupyter's kernel client, as a reader pressing Kernel ▸ Interrupt would.

Starts this project's tslab kernel in notebooks/, defines a network, starts a long training run in a
plain cell, sends an interrupt after a few seconds, and measures the time from the interrupt to the
kernel's idle status. Then checks in the next cells what the run kept (net.history, finite weights) and
does the same for a cell that awaits before training (tslab races such a cell against the interrupt and
would otherwise let the training run on in the background). Prints one JSON object with what it saw.

usage: /usr/bin/python3 scripts/interrupt_check.py [SECONDS_BEFORE_INTERRUPT]
"""
import json
import os
import queue
import sys
import time

from jupyter_client.manager import KernelManager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAIT = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
# After a failing cell tslab aborts every request it receives in the next 200 ms.
TSLAB_ERROR_PAUSE = 0.5

SETUP = """
import { fit, Network, oneHot, SGD, spirals } from "gates-to-digits";
const data = spirals(2000, 3, 0.2);
const Y = oneHot(data.labels, 3);
const net = new Network({ sizes: [2, 64, 64, 3], hidden: "relu", output: "softmax",
                          loss: "categoricalCrossEntropy", init: "he" });
const long = { epochs: 100000, batchSize: 10, optimizer: new SGD({ learningRate: 0.05 }) };
"""
TRAIN = "const history = fit(net, data.X, Y, long);"
# The same with products large enough to be split between two threads (backends/pool.ts), then a check that
# the pool still gives one thread's bits after the interrupt.
SETUP_POOL = """
import { gemm, Matrix, setThreads, withThreads } from "gates-to-digits";
setThreads(2);
const wide = new Network({ sizes: [2, 1024, 1024, 3], hidden: "relu", output: "softmax",
                           loss: "categoricalCrossEntropy", init: "he" });
const wideLong = { epochs: 100000, batchSize: 64, optimizer: new SGD({ learningRate: 0.01 }) };
"""
TRAIN_POOL = "fit(wide, data.X, Y, wideLong);"
REPORT_POOL = """
const pa = Matrix.fromFunction(64, 1024, (i, j) => Math.sin(i + 3 * j));
const pb = Matrix.fromFunction(1024, 1024, (i, j) => Math.cos(2 * i - j));
const [p1, p2] = [1, 2].map((n) => withThreads(n, () => gemm(pa, pb)));
console.log(JSON.stringify({
  epochs: wide.history.epochs.length,
  losses: wide.history.loss.length,
  finite: wide.layers.every((l) => l.weights.isFinite() && l.bias.isFinite()),
  samePool: p1.data.every((v, i) => Object.is(v, p2.data[i])),
}));
"""
TRAIN_ASYNC = "await Promise.resolve();\nfit(net, data.X, Y, long);"
REPORT = """
console.log(JSON.stringify({
  epochs: net.history.epochs.length,
  losses: net.history.loss.length,
  finite: net.layers.every((l) => l.weights.isFinite() && l.bias.isFinite()),
}));
"""


def run(client, code, timeout=120.0):
    """Executes `code`; returns (status, stdout, stderr, seconds) once the kernel is idle again."""
    msg_id = client.execute(code)
    return collect(client, msg_id, timeout)


def collect(client, msg_id, timeout, started=None):
    stdout, stderr, errors = [], [], []
    started = started if started is not None else time.monotonic()
    deadline = time.monotonic() + timeout
    while True:
        try:
            msg = client.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"no idle status within {timeout} s")
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            (stdout if content["name"] == "stdout" else stderr).append(content["text"])
        elif kind == "error":
            errors.append(f'{content.get("ename", "")}: {content.get("evalue", "")}')
        elif kind == "status" and content["execution_state"] == "idle":
            seconds = time.monotonic() - started
            reply = client.get_shell_msg(timeout=timeout)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = client.get_shell_msg(timeout=timeout)
            return reply["content"]["status"], "".join(stdout), "".join(stderr), seconds, errors


def interrupted_run(km, client, code):
    """Starts `code`, interrupts it after WAIT seconds, and returns what the cell showed and the time to idle."""
    msg_id = client.execute(code)
    time.sleep(WAIT)
    sent = time.monotonic()
    km.interrupt_kernel()
    status, out, err, seconds, errors = collect(client, msg_id, 60.0, started=sent)
    time.sleep(TSLAB_ERROR_PAUSE)
    return {"status": status, "stdout": out, "stderr": err, "errors": errors, "secondsToIdle": seconds}


def main():
    # The project's own kernelspec (written by `npm install`), found through JUPYTER_PATH.
    ours = os.path.join(ROOT, "build", "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [ours, os.environ.get("JUPYTER_PATH")]))
    km = KernelManager(kernel_name="tslab")
    km.start_kernel(cwd=os.path.join(ROOT, "notebooks"))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        result = {}
        status, out, err, _, errors = run(client, SETUP)
        if status != "ok":
            raise RuntimeError(f"setup failed: {err}{errors}")

        result["sync"] = interrupted_run(km, client, TRAIN)
        status, out, err, _, _ = run(client, REPORT)
        result["sync"]["after"] = json.loads(out) if status == "ok" else {"error": err}

        result["async"] = interrupted_run(km, client, TRAIN_ASYNC)
        status, out, err, _, _ = run(client, REPORT)
        first = json.loads(out) if status == "ok" else {"error": err}
        time.sleep(1.0)  # if training ran on in the background, the history would grow meanwhile
        status, out, err, _, _ = run(client, REPORT)
        later = json.loads(out) if status == "ok" else {"error": err}
        result["async"]["after"] = first
        result["async"]["oneSecondLater"] = later

        status, out, err, _, errors = run(client, SETUP_POOL)
        if status != "ok":
            raise RuntimeError(f"pool setup failed: {err}{errors}")
        result["pool"] = interrupted_run(km, client, TRAIN_POOL)
        status, out, err, _, _ = run(client, REPORT_POOL)
        result["pool"]["after"] = json.loads(out) if status == "ok" else {"error": err}

        status, out, err, _, _ = run(client, 'console.log("the next cell runs")')
        result["nextCell"] = {"status": status, "stdout": out}
        print(json.dumps(result))
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
