r"""Matrix-form backprop: check a hand-derived backward pass, line by line, shapes first.

You write the forward pass and your backward formulas the way you would write NumPy;
derivcheck says which formula is wrong, where, and what the mistake is.

>>> from derivcheck import check_backprop
>>> report = check_backprop('''
... X: D×N, W1: H×D, b1: H×1, W2: 1×H, b2: 1×1, T: 1×N
... Z1 = W1 @ X + b1
... H = relu(Z1)
... Y = W2 @ H + b2
... L = mean((Y - T)**2)
... dY = 2 * (Y - T) / N
... dW2 = dY @ H.T
... db2 = sum(dY, axis=1, keepdims=True)
... dH = W2.T @ dY
... dZ1 = dH * (Z1 > 0)
... dW1 = dZ1 @ X
... db1 = sum(dZ1, axis=1, keepdims=True)
... ''')
>>> report.ok, report.first_error, report.line("dW1").diagnosis
(False, 'dW1', 'missing-transpose')
>>> print(report.line("dW1").message)
(H×N)·(D×N): the inner dimensions N and D differ; a transpose is missing: dW1 = dZ1 @ X.T

The convention
--------------
``d<name>`` is ∂L/∂<name>, the gradient of the loss with respect to ``<name>``, with the
shape of ``<name>``. ``dL_d<name>`` and ``dL/d<name>`` (the chapter's ``dL_dw1``) mean the
same. The loss is the assignment named ``L`` (or ``loss``, ``J``, ``cost``), else the last
assignment before the first gradient; it must be one number. Everything from the first
gradient on is the backward part: gradients, and helpers (any other name, such as
``mask = Z1 > 0`` or ``m = X.shape[1]``) that gradients may use. A gradient may be of an
input (``dW1``) or of an intermediate (``dZ1``): ∂L/∂Z1 treats Z1 as a variable of its own.

The language
------------
One statement per line (or separated by ``;``); ``#`` starts a comment.

* **Declarations** give inputs their shapes, in dimension names or numbers:
  ``X: D×N, W1: H×D, b1: H×1`` (also ``D x N``, ``(D, N)``, ``H`` for a vector of length H,
  ``scalar``). ``T: C×N one-hot`` draws T with one 1 per sample (as a classifier's
  targets; found by itself when T meets ``log(softmax(…))`` or ``cross_entropy``);
  ``S: D×N positive`` draws positive numbers (found by itself for inputs of ``log``,
  ``sqrt`` and denominators). Without any declaration, every input is a scalar (the
  chapter's network as it is written in section 2).
* **Sizes**: ``dims: D = 1, H = 3, N = 50`` (or ``check_backprop(..., dims={"H": 3})``) sets
  the sizes of the first check; dimension names need no sizes otherwise.
* **Assignments**: ``name = formula``. In a formula a name is an input, an earlier
  assignment or a dimension (``/ N`` divides by the size N); a matrix may share its name
  with a dimension (``H = relu(Z1)`` with ``W1: H×D``): after it is assigned, the name is
  the matrix.
* **Operations**, with NumPy's meaning and broadcasting: ``+ - * /``; ``@`` or ``·`` (also
  ``np.dot(A, B)``, ``A.dot(B)``) the matrix product; ``*``, ``⊙`` or ``×`` elementwise;
  ``A.T``, ``Aᵀ``, ``A^T``, ``np.transpose(A)`` the transpose; ``A**2``, ``A²``, ``A^2`` powers
  with constant exponents; ``sum(A)``, ``sum(A, axis=0)``, ``sum(A, axis=1, keepdims=True)``
  (also ``np.sum`` and ``A.sum(...)``), ``mean`` the same; ``(Z > 0)`` a mask of 0 and 1
  (``>=``, ``<``, ``<=`` too; ``.astype(float)`` allowed); ``np.where(C, A, B)`` and
  ``A if C else B``; ``max(0, Z)`` / ``np.maximum(Z, 0)`` as relu; ``A.shape[k]`` a size;
  the catalogue's elementwise functions ``relu``, ``tanh``, ``sigmoid``, ``exp``, ``log``,
  ``abs``, ``softplus``, ``sin``, … and ``sqrt``; ``softmax(Z, axis=0)`` (each column, for
  ``Z: C×N``); ``cross_entropy(P, T, axis=0)`` = −Σ T·log P over the axis, averaged over the
  samples. The ``np.`` prefix is optional. Unicode and full-width characters are read as
  their ASCII meaning (``W₁`` is ``W1``, ``δ`` is ``delta``).

How it checks
-------------
See :mod:`derivcheck.matrix.checker`: shapes symbolically first (a shape error is reported
without computing anything), then values at random inputs at two sets of sizes against
derivcheck's own reverse accumulation (:mod:`derivcheck.matrix.graph`, cross-checked by
finite differences with :func:`derivcheck.gradcheck`), each formula with the true values of
the gradients before it; then a diagnosis (:mod:`derivcheck.matrix.diagnosis`).
"""

from derivcheck.matrix.checker import (
    BackpropLine,
    BackpropReport,
    Worst,
    check_backprop,
    check_shapes,
)
from derivcheck.matrix.diagnosis import CODES
from derivcheck.matrix.reader import MatrixProgram, read_matrix_program

__all__ = [
    "check_backprop",
    "check_shapes",
    "BackpropReport",
    "BackpropLine",
    "Worst",
    "MatrixProgram",
    "read_matrix_program",
    "CODES",
]
