"""Nielsen's per-example backpropagation, written for this project from his equations (not from his code).

The recipe of his book's chapter 1-2: sigmoid neurons, quadratic cost C = (1/2m) sum ||a - y||^2, and
stochastic gradient descent that sums each example's gradient over a mini-batch and steps by eta/m. Examples
are columns, as in his book; each is pushed through the network on its own:

  forward   z^l = w^l a^(l-1) + b^l,   a^l = sigmoid(z^l)
  BP1       delta^L = (a^L - y) * sigmoid'(z^L)
  BP2       delta^l = ((w^(l+1))^T delta^(l+1)) * sigmoid'(z^l)
  BP3, BP4  dC/db^l = delta^l,   dC/dw^l = delta^l (a^(l-1))^T

test/nielsen-equivalence.test.ts checks the library's whole-batch matrix form against this, step for step.
"""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_slope(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def example_gradients(weights, biases, x, y):
    """dC/dw and dC/db of one example (x, y: columns), layer by layer, by BP1-BP4."""
    inputs = [x]  # a^0, a^1, ..., the input each layer receives and, last, the output
    sums = []  # z^1, ..., z^L
    for w, b in zip(weights, biases):
        sums.append(w @ inputs[-1] + b)
        inputs.append(sigmoid(sums[-1]))
    grad_w = [None] * len(weights)
    grad_b = [None] * len(weights)
    delta = (inputs[-1] - y) * sigmoid_slope(sums[-1])  # BP1
    for l in reversed(range(len(weights))):
        grad_b[l] = delta  # BP3
        grad_w[l] = delta @ inputs[l].T  # BP4
        if l > 0:
            delta = (weights[l].T @ delta) * sigmoid_slope(sums[l - 1])  # BP2
    return grad_w, grad_b


def sgd_step(weights, biases, batch, eta):
    """One mini-batch step: the examples' gradients summed in order, then w <- w - (eta/m) * sum."""
    sum_w = [np.zeros_like(w) for w in weights]
    sum_b = [np.zeros_like(b) for b in biases]
    for x, y in batch:
        grad_w, grad_b = example_gradients(weights, biases, x, y)
        for l in range(len(weights)):
            sum_w[l] += grad_w[l]
            sum_b[l] += grad_b[l]
    scale = eta / len(batch)
    return [w - scale * g for w, g in zip(weights, sum_w)], [b - scale * g for b, g in zip(biases, sum_b)]
