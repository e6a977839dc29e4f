"""Forward passes and hand-written backward passes shared by the matrix tests.

Each backward pass here was derived by hand (the derivations are in the comments); the
tests plant one mistake at a time by replacing one line, and say from the mathematics which
line is then the first wrong one and what the mistake is.
"""

from __future__ import annotations

# The chapter's network, section 2, in its own scalar form and its own names (section 2.3
# and section 4 of the chapter): L = (y - target)², so dL/dy = 2(y - target), and
# relu'(z1) = 1 for z1 > 0, else 0.
CHAPTER_SCALAR = """
z1 = w1 * x + b1
h = max(0, z1)
y = w2 * h + b2
loss = (y - target) ** 2

dL_dy = 2 * (y - target)
dL_dw2 = dL_dy * h
dL_db2 = dL_dy * 1
dL_dh = dL_dy * w2
relu_grad = 1.0 if z1 > 0 else 0.0
dL_dz1 = dL_dh * relu_grad
dL_dw1 = dL_dz1 * x
dL_db1 = dL_dz1 * 1
"""

# Exercise 2 in scalar form: three hidden neurons, each z1_j = w1_j·x + b1_j, h_j = relu(z1_j),
# y = Σ w2_j h_j + b2. Each unit's gradients follow the chapter's one-unit derivation.
EXERCISE2_SCALAR = """
z1_1 = w1_1 * x + b1_1
z1_2 = w1_2 * x + b1_2
z1_3 = w1_3 * x + b1_3
h_1 = relu(z1_1)
h_2 = relu(z1_2)
h_3 = relu(z1_3)
y = w2_1 * h_1 + w2_2 * h_2 + w2_3 * h_3 + b2
L = (y - target)**2

dy = 2 * (y - target)
db2 = dy
dw2_1 = dy * h_1
dw2_2 = dy * h_2
dw2_3 = dy * h_3
dh_1 = dy * w2_1
dh_2 = dy * w2_2
dh_3 = dy * w2_3
dz1_1 = dh_1 * (z1_1 > 0)
dz1_2 = dh_2 * (z1_2 > 0)
dz1_3 = dh_3 * (z1_3 > 0)
dw1_1 = dz1_1 * x
dw1_2 = dz1_2 * x
dw1_3 = dz1_3 * x
db1_1 = dz1_1
db1_2 = dz1_2
db1_3 = dz1_3
"""

# The network in matrix form, one column per sample, a batch of N with the mean loss.
# L = (1/N) Σ_n (Y_n - T_n)², so dY = 2(Y - T)/N; Y = W2 H + b2 gives dW2 = dY Hᵀ,
# db2 = Σ_n dY (kept 1×1), dH = W2ᵀ dY; H = relu(Z1) gives dZ1 = dH ⊙ [Z1 > 0];
# Z1 = W1 X + b1 gives dW1 = dZ1 Xᵀ and db1 = Σ_n dZ1 (kept H×1).
FORWARD = """
X: D×N, W1: H×D, b1: H×1, W2: 1×H, b2: 1×1, T: 1×N
Z1 = W1 @ X + b1
H = {activation}(Z1)
Y = W2 @ H + b2
L = mean((Y - T)**2)
"""
BACKWARD = """
dY = 2 * (Y - T) / N
dW2 = dY @ H.T
db2 = sum(dY, axis=1, keepdims=True)
dH = W2.T @ dY
dZ1 = dH * {derivative}
dW1 = dZ1 @ X.T
db1 = sum(dZ1, axis=1, keepdims=True)
"""
# relu'(z) = [z > 0]; tanh'(z) = 1 - tanh(z)² = 1 - H²; σ'(z) = σ(z)(1 - σ(z)) = H(1 - H).
DERIVATIVES = {"relu": "(Z1 > 0)", "tanh": "(1 - H**2)", "sigmoid": "H * (1 - H)"}


def network(activation: str = "relu") -> str:
    """The two-layer network in matrix form with its correct backward pass."""
    return FORWARD.format(activation=activation) + BACKWARD.format(
        derivative=DERIVATIVES[activation]
    )


MATRIX = network("relu")

# Exercise 2 (H = 3 hidden neurons, one input, section 4's 50 samples), in matrix form.
EXERCISE2 = "dims: D = 1, H = 3, N = 50\n" + MATRIX

# The next chapter's classifier: C classes, P = softmax(Z2) column by column, the mean
# cross-entropy L = -(1/N) Σ_n Σ_c T_cn log P_cn with one-hot T. With Σ_c T_cn = 1,
# dZ2 = (P - T)/N; the rest is the relu network's backward pass.
SOFTMAX = """
X: D×N, W1: H×D, b1: H×1, W2: C×H, b2: C×1, T: C×N
Z1 = W1 @ X + b1
H = relu(Z1)
Z2 = W2 @ H + b2
P = softmax(Z2, axis=0)
L = -sum(T * log(P)) / N

dZ2 = (P - T) / N
dW2 = dZ2 @ H.T
db2 = sum(dZ2, axis=1, keepdims=True)
dH = W2.T @ dZ2
dZ1 = dH * (Z1 > 0)
dW1 = dZ1 @ X.T
db1 = sum(dZ1, axis=1, keepdims=True)
"""

# Two hidden layers (H1 and H2 units), the mean squared error.
TWO_LAYERS = """
X: D×N, W1: H1×D, b1: H1×1, W2: H2×H1, b2: H2×1, W3: 1×H2, b3: 1×1, T: 1×N
Z1 = W1 @ X + b1
H1 = relu(Z1)
Z2 = W2 @ H1 + b2
H2 = relu(Z2)
Y = W3 @ H2 + b3
L = mean((Y - T)**2)

dY = 2 * (Y - T) / N
dW3 = dY @ H2.T
db3 = sum(dY, axis=1, keepdims=True)
dH2 = W3.T @ dY
dZ2 = dH2 * (Z2 > 0)
dW2 = dZ2 @ H1.T
db2 = sum(dZ2, axis=1, keepdims=True)
dH1 = W2.T @ dZ2
dZ1 = dH1 * (Z1 > 0)
dW1 = dZ1 @ X.T
db1 = sum(dZ1, axis=1, keepdims=True)
"""

# One row per sample (cs231n's convention), biases as vectors: Z1 = X W1 + b1 (b1 a row),
# so dW1 = Xᵀ dZ1 and db1 = Σ_n dZ1 (a vector of length H: axis 0, no keepdims).
ROW_MAJOR = """
X: N×D, W1: D×H, b1: H, W2: H×1, b2: 1, T: N×1
Z1 = X @ W1 + b1
H = np.maximum(0, Z1)
Y = H @ W2 + b2
L = np.mean((Y - T) ** 2)

dY = 2 * (Y - T) / N
dW2 = H.T @ dY
db2 = np.sum(dY, axis=0)
dH = dY @ W2.T
dZ1 = dH * (Z1 > 0)
dW1 = X.T @ dZ1
db1 = np.sum(dZ1, axis=0)
"""

# cs231n's two-layer net (assignment 1), one row per sample, the softmax written out and
# the targets one-hot along the classes (axis 1, the softmax's axis). Per sample n,
# L_n = -Σ_c Y_nc log P_nc with Σ_c Y_nc = 1 gives ∂L/∂scores = (P - Y)/N; the rest as
# ROW_MAJOR, the relu's mask taken from its output (hidden > 0 exactly where its input is).
CS231N = """
X: N×D, W1: D×H, b1: 1×H, W2: H×C, b2: 1×C, Y: N×C one-hot
hidden = np.maximum(0, X.dot(W1) + b1)
scores = hidden.dot(W2) + b2
exp_scores = np.exp(scores)
probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
loss = -np.sum(Y * np.log(probs)) / N
dscores = (probs - Y) / N
dW2 = hidden.T.dot(dscores)
db2 = np.sum(dscores, axis=0, keepdims=True)
dhidden = dscores.dot(W2.T)
dpre = dhidden * (hidden > 0)
dW1 = X.T.dot(dpre)
db1 = np.sum(dpre, axis=0, keepdims=True)
"""


def planted(program: str, line: str, mistake: str) -> str:
    """``program`` with the line ``line`` replaced by ``mistake`` (it must be there once)."""
    lines = program.split("\n")
    assert lines.count(line) == 1, line
    return "\n".join(mistake if item == line else item for item in lines)
