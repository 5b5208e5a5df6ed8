"""Peer for `npm run bench -- --peers`: chapter 7's best network in PyTorch, as a PyTorch user would write it.

[784, 256, 10], ReLU, He initialisation, dropout 0.2 on the hidden layer, softmax + cross-entropy, Adam with
learning rate 0.001, mini-batches of 64 over the first 50,000 training images, then a validation pass over
the last 10,000 (inside the timed epoch, as the library's fit does it). Prints one line per epoch with
"train S s" (the epoch's seconds) and the validation accuracy.

usage: /usr/bin/python3 scripts/peers/torch_best.py MNIST_DIR EPOCHS [float64|float32] [BLAS_THREADS]

PyTorch's fastest set-up on a 2-core machine is 1 intra-op thread with OpenBLAS on 1 or 2 threads (2 and 2
oversubscribe the cores); the bench sets OPENBLAS_NUM_THREADS to BLAS_THREADS and unsets OPENBLAS_CORETYPE
and OPENBLAS_L2_SIZE, which slow a current OpenBLAS and which no reader's machine sets.
"""
import sys
import time

import numpy as np
import torch


def load_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def main():
    mnist, epochs = sys.argv[1], int(sys.argv[2])
    dtype = getattr(torch, sys.argv[3]) if len(sys.argv) > 3 else torch.float64
    torch.set_num_threads(1)
    torch.manual_seed(1)
    images = load_idx(mnist + "/train-images-idx3-ubyte").reshape(-1, 784) / 255.0
    labels = load_idx(mnist + "/train-labels-idx1-ubyte").astype(np.int64)
    X, Y = torch.tensor(images[:50000], dtype=dtype), torch.tensor(labels[:50000])
    Xval, Yval = torch.tensor(images[50000:], dtype=dtype), torch.tensor(labels[50000:])
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256),
        torch.nn.ReLU(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(256, 10),
    ).to(dtype)
    for layer in (model[0], model[3]):
        torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        torch.nn.init.zeros_(layer.bias)
    loss_fn = torch.nn.CrossEntropyLoss()  # softmax + cross-entropy, averaged over the batch
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    n = X.shape[0]
    for epoch in range(epochs):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(n)
        for k in range(0, n, 64):
            rows = order[k : k + 64]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(X[rows]), Y[rows])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            scores = model(Xval)
            val_loss = float(loss_fn(scores, Yval))
            correct = int((scores.argmax(1) == Yval).sum())
        seconds = time.perf_counter() - start
        print(
            "Epoch %d: validation %d / 10000, loss %.4f  train %.3f s  (torch %s %s)"
            % (epoch, correct, val_loss, seconds, torch.__version__, str(dtype)),
            flush=True,
        )


if __name__ == "__main__":
    main()
