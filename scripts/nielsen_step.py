"""Takes Nielsen's SGD steps from weights and data the caller wrote, with the project's reference of his
algorithm (scripts/nielsen_reference.py) and, given --peer PEERS_DIR, also with his own update_mini_batch
(network.py, as PEERS_DIR/nielsen_network.py; nothing of his is copied here).

test/nielsen-equivalence.test.ts uses it to check that the library's network takes exactly his steps.
Consecutive mini-batches are taken in order (no shuffle).

DIR holds, as little-endian float64 bytes in row-major order:
  meta.json                 {"sizes": [784, 30, 10], "examples": N}
  W1.bin, b1.bin, ...       layer l's weights (units x inputs) and biases (units values)
  X.bin, Y.bin              N inputs (N x sizes[0]) and N targets (N x sizes[-1])
and gets, after the steps, W1.<who>.bin, b1.<who>.bin, ... in the same layouts, <who> being `reference`
and, with --peer, `network_py`. It prints a JSON line saying which ran.

usage: OPENBLAS_NUM_THREADS=1 python3 nielsen_step.py DIR BATCHES BATCH_SIZE ETA [--peer PEERS_DIR]
"""
import json
import os
import sys


def main(folder, batches, batch_size, eta, peers_dir):
    try:
        import numpy as np
    except ImportError:
        sys.exit(f"numpy is missing for {sys.executable}: install it (Debian: sudo apt-get install -y python3-numpy)")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import nielsen_reference

    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    sizes, n = meta["sizes"], meta["examples"]
    if batches * batch_size > n:
        sys.exit(f"{batches} batches of {batch_size} need {batches * batch_size} examples, DIR has {n}")

    def read(name, shape):
        return np.fromfile(os.path.join(folder, name), dtype="<f8").reshape(shape)

    def write(who, weights, biases):
        for l, (w, b) in enumerate(zip(weights, biases)):
            np.ascontiguousarray(w, dtype="<f8").tofile(os.path.join(folder, f"W{l + 1}.{who}.bin"))
            np.ascontiguousarray(b, dtype="<f8").tofile(os.path.join(folder, f"b{l + 1}.{who}.bin"))

    layers = range(len(sizes) - 1)
    start_w = [read(f"W{l + 1}.bin", (sizes[l + 1], sizes[l])) for l in layers]
    start_b = [read(f"b{l + 1}.bin", (sizes[l + 1], 1)) for l in layers]  # biases as columns, as his
    X = read("X.bin", (n, sizes[0]))
    Y = read("Y.bin", (n, sizes[-1]))
    examples = [(X[i].reshape(-1, 1).copy(), Y[i].reshape(-1, 1).copy()) for i in range(n)]  # columns
    batch_list = [examples[k * batch_size:(k + 1) * batch_size] for k in range(batches)]

    weights, biases = start_w, start_b
    for batch in batch_list:
        weights, biases = nielsen_reference.sgd_step(weights, biases, batch, eta)
    write("reference", weights, biases)
    ran = ["reference"]

    if peers_dir is not None:
        if not os.path.isfile(os.path.join(peers_dir, "nielsen_network.py")):
            sys.exit(f"--peer: no nielsen_network.py in {peers_dir}")
        sys.path.insert(0, os.path.abspath(peers_dir))
        import nielsen_network

        net = nielsen_network.Network(sizes)
        net.weights = [w.copy() for w in start_w]
        net.biases = [b.copy() for b in start_b]
        for batch in batch_list:
            net.update_mini_batch(batch, eta)
        write("network_py", net.weights, net.biases)
        ran.append("network_py")
    print(json.dumps({"ran": ran, "numpy": np.__version__, "python": sys.executable}))


if __name__ == "__main__":
    args = sys.argv[1:]
    peer = None
    if "--peer" in args:
        i = args.index("--peer")
        if i + 1 >= len(args):
            sys.exit("--peer needs a folder")
        peer = args[i + 1]
        del args[i:i + 2]
    if len(args) != 4:
        sys.exit(__doc__)
    main(args[0], int(args[1]), int(args[2]), float(args[3]), peer)
