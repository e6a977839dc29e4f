"""Messages of the matrix-form backprop checker (en, zh): reading, shapes, verdicts,
diagnoses, reports and the matrix form of the chapter's network."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ reading
    "matrix.parse.equality": (
        "== and != are not part of the matrix language; a mask is written (Z > 0)",
        "矩阵语言里没有 == 和 !=；掩码写作 (Z > 0)",
    ),
    "matrix.parse.number": ("this is not a number", "这不是一个数"),
    "matrix.parse.expected": (
        "expected {what} here, found {found}",
        "这里应是 {what}，却是 {found}",
    ),
    "matrix.parse.too_many": (
        "a program may have at most {limit} statements",
        "一个程序最多只能有 {limit} 条语句",
    ),
    "matrix.parse.trailing": (
        "unexpected {found}: one statement per line (or separate them with ';')",
        "意外的 {found}：每行一条语句（或用 ';' 分隔）",
    ),
    "matrix.parse.statement": (
        "expected an assignment (Y = W @ X) or a declaration (X: D×N), found {found}",
        "这里应是赋值（Y = W @ X）或声明（X: D×N），却是 {found}",
    ),
    "matrix.parse.assignment_expected": (
        "expected '=' (an assignment) or ':' (a declaration), found {found}",
        "这里应是 '='（赋值）或 ':'（声明），却是 {found}",
    ),
    "matrix.parse.in_place": (
        "{name} {op}= … changes {name} in place, which is not read here: write {name}'s whole "
        "formula in one assignment ({name} = … {op} …), giving a partial value its own name",
        "{name} {op}= … 原地修改 {name}，这里不读这种写法：请用一个赋值写出 {name} 的完整公式"
        "（{name} = … {op} …），中间值另起名字",
    ),
    "matrix.parse.item_assignment": (
        "{name}[…] = … changes part of {name} in place, which is not read here; give the "
        "changed value its own name and write it as a formula: for relu, dZ1 = dH * (Z1 > 0) "
        "or np.where(Z1 > 0, dH, 0)",
        "{name}[…] = … 原地修改 {name} 的一部分，这里不读这种写法；请给修改后的值起自己的名字，"
        "并写成公式：对 relu 可写 dZ1 = dH * (Z1 > 0) 或 np.where(Z1 > 0, dH, 0)",
    ),
    "matrix.parse.reserved": (
        "'{name}' is a word of the language, not a name for a matrix",
        "'{name}' 是矩阵语言的保留字，不能用作矩阵名",
    ),
    "matrix.parse.flag": (
        "unexpected {found} after the shape; a declaration may end in: {flags}",
        "形状后面出现了意外的 {found}；声明末尾只能是：{flags}",
    ),
    "matrix.parse.shape": (
        "expected a shape such as D×N, (H, 1), H or scalar, found {found}",
        "这里应是形状，例如 D×N、(H, 1)、H 或 scalar，却是 {found}",
    ),
    "matrix.parse.rank": (
        "shapes have at most two dimensions (this one has {rank})",
        "形状最多有两个维度（这里有 {rank} 个）",
    ),
    "matrix.parse.size": (
        "a size is a positive whole number, not {found}",
        "维度大小必须是正整数，而不是 {found}",
    ),
    "matrix.parse.size_too_large": (
        "sizes are at most {limit}",
        "维度大小最多为 {limit}",
    ),
    "matrix.parse.size_unknown": (
        "{name} is not a dimension of any declared shape (dimensions: {known})",
        "{name} 不是任何已声明形状中的维度（已有维度：{known}）",
    ),
    "matrix.parse.else": ("'if' needs its 'else'", "'if' 需要对应的 'else'"),
    "matrix.parse.chained_comparison": (
        "one comparison at a time: (A > 0) * (A < 1)",
        "一次只能比较一次：(A > 0) * (A < 1)",
    ),
    "matrix.parse.exponent": (
        "an exponent is a number (A**2, A**0.5), not {found}",
        "指数必须是一个数（A**2、A**0.5），而不是 {found}",
    ),
    "matrix.parse.attribute": (
        "unknown attribute {name}: the language knows .T, .shape[k], .sum(), .mean(), .dot(), "
        ".transpose() and .astype()",
        "未知属性 {name}：矩阵语言只认识 .T、.shape[k]、.sum()、.mean()、.dot()、.transpose() 和 .astype()",
    ),
    "matrix.parse.shape_index": (
        "after .shape comes an axis in brackets: X.shape[1]",
        ".shape 后面是方括号里的轴号：X.shape[1]",
    ),
    "matrix.parse.unclosed": (
        "expected ')' here, found {found}",
        "这里应是 ')'，却是 {found}",
    ),
    "matrix.parse.unexpected_end": (
        "the formula ends too early: a name, a number or '(' should follow",
        "公式结束得太早：后面应是名称、数或 '('",
    ),
    "matrix.parse.operand": (
        "expected a name, a number or '(' here, found {found}",
        "这里应是名称、数或 '('，却是 {found}",
    ),
    "matrix.parse.numpy": (
        "np is NumPy: write np.sum(…), np.dot(…), np.exp(…), …",
        "np 指 NumPy：请写 np.sum(…)、np.dot(…)、np.exp(…) 等",
    ),
    "matrix.parse.numpy_function": (
        "the matrix language does not know this NumPy function ({found})",
        "矩阵语言不认识这个 NumPy 函数（{found}）",
    ),
    "matrix.parse.unknown_function": (
        "unknown function {name}: the language knows sum, mean, softmax, cross_entropy, max(0, ·), "
        "dot, where, sqrt and the catalogue's functions (relu, tanh, sigmoid, exp, log, …)",
        "未知函数 {name}：矩阵语言认识 sum、mean、softmax、cross_entropy、max(0, ·)、dot、where、sqrt "
        "以及函数目录里的函数（relu、tanh、sigmoid、exp、log 等）",
    ),
    "matrix.parse.positional_after_keyword": (
        "a positional argument cannot follow axis=… or keepdims=…",
        "位置参数不能写在 axis=… 或 keepdims=… 之后",
    ),
    "matrix.parse.keyword_value": (
        "{name} takes a whole number, True or False",
        "{name} 的值必须是整数、True 或 False",
    ),
    "matrix.parse.axis": (
        "the axis of {function} is a whole number: axis=0 or axis=1",
        "{function} 的轴必须是整数：axis=0 或 axis=1",
    ),
    "matrix.parse.arity": (
        "{function} takes {count} argument(s), not {given}",
        "{function} 需要 {count} 个参数，而不是 {given} 个",
    ),
    "matrix.parse.keyword": (
        "{function} has no argument {argument}",
        "{function} 没有参数 {argument}",
    ),
    "matrix.parse.maximum": (
        "{function}(·, ·) is read as relu: one of its arguments must be 0",
        "{function}(·, ·) 按 relu 理解：其中一个参数必须是 0",
    ),
    "matrix.parse.declared_twice": ("{name} is declared twice", "{name} 被声明了两次"),
    "matrix.parse.no_assignments": (
        "the program has no assignments: write the forward pass, the loss and the backward pass",
        "程序里没有赋值：请写出前向传播、损失和反向传播",
    ),
    "matrix.parse.assigned_twice": (
        "{name} is assigned twice; give each value its own name",
        "{name} 被赋值了两次；请给每个值起自己的名字",
    ),
    "matrix.parse.input_assigned": (
        "{name} is used as an input above and cannot be assigned here",
        "{name} 在前面已作为输入使用，这里不能再给它赋值",
    ),
    "matrix.parse.no_forward": (
        "a gradient before any forward pass: the program starts with the forward pass",
        "在前向传播之前出现了梯度：程序应从前向传播开始",
    ),
    "matrix.parse.no_backward": (
        "no backward formulas: after the loss, assign gradients named d<name> (dW1 = …), "
        "dL_d<name> or dL/d<name>",
        "没有反向传播公式：在损失之后，给梯度赋值，名字写作 d<名称>（dW1 = …）、dL_d<名称> 或 dL/d<名称>",
    ),
    "matrix.parse.used_before": (
        "{name} is used before it is assigned",
        "{name} 在赋值之前就被使用了",
    ),
    "matrix.parse.undeclared": (
        "{name} has no shape: declare it (for example {name}: D×N) or assign it first",
        "{name} 没有形状：请声明它（例如 {name}: D×N），或先给它赋值",
    ),
    "matrix.error.dims_unknown": (
        "dims names {name}, which is not a dimension of the program (dimensions: {known})",
        "dims 中的 {name} 不是程序里的维度（已有维度：{known}）",
    ),
    "matrix.error.dims_size": (
        "the size of {name} must be a whole number from 1 to {limit}, not {value}",
        "{name} 的大小必须是 1 到 {limit} 之间的整数，而不是 {value}",
    ),
    "matrix.error.too_large": (
        "{name} would have {entries} entries at these sizes; at most {limit} are checked",
        "按这些维度大小，{name} 会有 {entries} 个元素；最多只能检查 {limit} 个",
    ),
    "matrix.error.not_finite": (
        "the forward pass is not finite at random inputs ({name} = {value}); "
        "declare an input positive (X: D×N positive) if it must be",
        "在随机输入下前向传播不是有限值（{name} = {value}）；若某个输入必须为正，请声明为 positive（X: D×N positive）",
    ),
    "matrix.error.forward_shape": (
        "the forward pass does not fit together: {reason}",
        "前向传播的形状不相容：{reason}",
    ),
    "matrix.error.declared_shape": (
        "{name} is {shape}, not {declared} as declared",
        "{name} 的形状是 {shape}，而不是声明的 {declared}",
    ),
    "matrix.error.loss_shape": (
        "the loss {name} must be one number, but it is {shape}",
        "损失 {name} 必须是一个数，但它的形状是 {shape}",
    ),
    "matrix.error.seed": (
        "the seed must be a whole number from 0 to 2**32 - 1, not {value}",
        "种子必须是 0 到 2**32 - 1 之间的整数，而不是 {value}",
    ),
    "matrix.what.check": ("checking the backward pass", "检查反向传播"),
    # ------------------------------------------------------------------ shapes
    "matrix.word.scalar": ("scalar", "标量"),
    "matrix.shape.broadcast": (
        "({left}) {symbol} ({right}) does not broadcast: {why}{vector}",
        "({left}) {symbol} ({right}) 无法广播：{why}{vector}",
    ),
    "matrix.shape.names_differ": (
        "{a} and {b} are different dimensions (NumPy would accept it only at sizes where "
        "{a} = {b} or one of them is 1)",
        "{a} 和 {b} 是不同的维度（只有在 {a} = {b} 或其中之一为 1 时 NumPy 才会接受）",
    ),
    "matrix.shape.sizes_differ": ("dimensions {a} and {b} differ", "维度 {a} 和 {b} 不同"),
    "matrix.shape.vector_is_row": (
        "; NumPy lines a vector up with the last axis",
        "；NumPy 把向量与最后一个轴对齐",
    ),
    "matrix.shape.matmul_inner": (
        "({left})·({right}): the inner dimensions {a} and {b} differ",
        "({left})·({right})：内维度 {a} 和 {b} 不同",
    ),
    "matrix.shape.matmul_scalar": (
        "({left})·({right}): the matrix product @ needs matrices or vectors, not a scalar",
        "({left})·({right})：矩阵乘法 @ 需要矩阵或向量，不能是标量",
    ),
    "matrix.shape.no_axis": (
        "{what}: a {shape} value has no axis {axis}",
        "{what}：形状为 {shape} 的值没有第 {axis} 轴",
    ),
    "matrix.shape.softmax_axis": (
        "{what}: softmax of a {shape} matrix needs its axis (axis=0: each column)",
        "{what}：对 {shape} 矩阵做 softmax 需要指定轴（axis=0：每一列）",
    ),
    "matrix.shape.xent": (
        "{what}: P and T must have the same shape, not {left} and {right}",
        "{what}：P 和 T 的形状必须相同，而不是 {left} 和 {right}",
    ),
    "matrix.shape.gradient": (
        "{name} is {shape}, but {of} is {expected}: a gradient has the shape of what it is "
        "the gradient of",
        "{name} 的形状是 {shape}，而 {of} 的形状是 {expected}：梯度的形状应与对应的量相同",
    ),
    "matrix.shape.in": ("{what}: {reason}", "{what}：{reason}"),
    "matrix.shape.broken_helper": (
        "uses {name}, whose formula does not fit together",
        "用到了 {name}，而它的公式形状不相容",
    ),
    # ------------------------------------------------------------------ verdicts of lines
    "matrix.line.ok": ("right: ∂{loss}/∂{of}", "正确：∂{loss}/∂{of}"),
    "matrix.line.helper": ("a helper (not a gradient)", "辅助量（不是梯度）"),
    "matrix.line.wrong": (
        "wrong: ∂{loss}/∂{of}{index} is {expected:.6g}, the formula gives {value:.6g}",
        "错误：∂{loss}/∂{of}{index} 应为 {expected:.6g}，公式给出 {value:.6g}",
    ),
    "matrix.line.wrong_not_finite": (
        "wrong: ∂{loss}/∂{of}{index} is {expected:.6g}, the formula gives {value}",
        "错误：∂{loss}/∂{of}{index} 应为 {expected:.6g}，公式给出 {value}",
    ),
    "matrix.line.unchecked": (
        "not checked: derivcheck's own gradient of {of} did not pass its finite-difference check",
        "未检查：derivcheck 自己算出的 {of} 的梯度没有通过有限差分验证",
    ),
    "matrix.line.with_diagnosis": ("{verdict}; {diagnosis}", "{verdict}；{diagnosis}"),
    "matrix.line.fix": ("{text}: {fix}", "{text}：{fix}"),
    "matrix.line.fix_in": ("{text}: in {line}, {fix}", "{text}：在 {line} 这一行，{fix}"),
    # ------------------------------------------------------------------ diagnoses
    "matrix.diagnosis.missing-transpose": ("a transpose is missing", "缺少一个转置"),
    "matrix.diagnosis.extra-transpose": ("one transpose too many", "多了一个转置"),
    "matrix.diagnosis.wrong-product-order": (
        "the factors of the matrix product are in the wrong order",
        "矩阵乘法的因子顺序错了",
    ),
    "matrix.diagnosis.elementwise-instead-of-matmul": (
        "an elementwise product (*) where the matrix product (@) is needed",
        "这里需要矩阵乘法（@），却用了逐元素乘法（*）",
    ),
    "matrix.diagnosis.matmul-instead-of-elementwise": (
        "a matrix product (@) where the elementwise product (*) is needed",
        "这里需要逐元素乘法（*），却用了矩阵乘法（@）",
    ),
    "matrix.diagnosis.missing-mean": (
        "{factor} times too large: the 1/{factor} of the mean is missing",
        "大了 {factor} 倍：缺少均值的 1/{factor}",
    ),
    "matrix.diagnosis.extra-mean": (
        "{factor} times too small: divided by {factor} once too often",
        "小了 {factor} 倍：多除了一次 {factor}",
    ),
    "matrix.diagnosis.missing-relu-mask": (
        "the relu mask ({mask}) is missing",
        "缺少 relu 的掩码（{mask}）",
    ),
    "matrix.diagnosis.wrong-relu-mask": (
        "the mask is not relu′ of this layer, which is ({mask})",
        "掩码不是这一层的 relu′，这一层的 relu′ 是（{mask}）",
    ),
    "matrix.diagnosis.wrong-sum-axis": ("summed over the wrong axis", "求和的轴错了"),
    "matrix.diagnosis.missing-keepdims": (
        "keepdims=True is missing: the sum drops an axis the gradient needs",
        "缺少 keepdims=True：求和去掉了梯度需要的轴",
    ),
    "matrix.diagnosis.extra-keepdims": (
        "keepdims=True keeps an axis the gradient does not have",
        "keepdims=True 保留了梯度没有的轴",
    ),
    "matrix.diagnosis.factor-of-2": (
        "off by a factor of 2 ({how})",
        "差了 2 倍（{how}）",
    ),
    "matrix.diagnosis.factor_large": ("2 times too large", "大了 2 倍"),
    "matrix.diagnosis.factor_half": ("half of it", "只有一半"),
    "matrix.diagnosis.sign-error": ("the sign is wrong", "符号错了"),
    "matrix.diagnosis.constant-factor": (
        "off by a constant factor: {words}",
        "差了一个常数因子：{words}",
    ),
    "matrix.diagnosis.wrong-activation-derivative": (
        "the derivative of {activation} is wrong ({activation}′({pre}) = {derivative})",
        "{activation} 的导数错了（{activation}′({pre}) = {derivative}）",
    ),
    "matrix.diagnosis.missing-activation-derivative": (
        "the factor {activation}′({pre}) = {derivative} is missing",
        "缺少因子 {activation}′({pre}) = {derivative}",
    ),
    "matrix.diagnosis.and": ("{first}, and {second}", "{first}，并且{second}"),
    "matrix.diagnosis.zero": ("the formula is zero everywhere", "公式处处为零"),
    # ------------------------------------------------------------------ the report
    "matrix.report.title": ("Backward pass checked", "反向传播检查"),
    "matrix.report.all_right": (
        "all {count} gradient formulas are right",
        "全部 {count} 个梯度公式都正确",
    ),
    "matrix.report.all_right_one": ("the gradient formula is right", "这个梯度公式正确"),
    "matrix.report.wrong_one": ("the gradient formula {first} is wrong", "梯度公式 {first} 错误"),
    "matrix.report.wrong": (
        "{bad} of {count} gradient formulas are wrong; the first is {first}",
        "{count} 个梯度公式中有 {bad} 个错误；第一个是 {first}",
    ),
    "matrix.report.problems": (
        "the check could not be completed",
        "检查没能完成",
    ),
    "matrix.report.convention": (
        "d<name> is ∂{loss}/∂<name>; each formula is checked with the true values of the "
        "gradients before it, so one mistake is reported once",
        "d<名称> 表示 ∂{loss}/∂<名称>；每个公式都用它之前各梯度的真实值来检查，所以一个错误只报告一次",
    ),
    "matrix.report.shapes": (
        "shapes checked in dimension names, then values at {sizes}",
        "先用维度名检查形状，再在 {sizes}下检查数值",
    ),
    "matrix.report.size_set": ("{sizes} ({draws} random draws)", "{sizes}（{draws} 次随机抽样）"),
    "matrix.report.and": ("{first} and {second}", "{first}和 {second}"),
    "matrix.report.scalars": ("scalars", "标量"),
    "matrix.report.values": (
        "values in float64 against derivcheck's own reverse accumulation, cross-checked by "
        "finite differences (gradcheck)",
        "数值用 float64 与 derivcheck 自己的反向累积结果比较，并用有限差分（gradcheck）交叉验证",
    ),
    "matrix.report.kinks": (
        "relu inputs kept away from the kink: the closest was {distance:.2g} from it (inputs "
        "are redrawn when closer than {margin:.0e})",
        "relu 的输入避开了折点：离折点最近的为 {distance:.2g}（距离小于 {margin:.0e} 时重新抽样）",
    ),
    "matrix.report.one_hot": (
        "{name} is drawn one-hot along axis {axis} (each sample one class), as the targets of "
        "a softmax classifier are",
        "{name} 按第 {axis} 轴抽成 one-hot（每个样本一个类别），与 softmax 分类器的目标一样",
    ),
    "matrix.report.positive": (
        "{name} is drawn positive (from 0.5 to 2)",
        "{name} 取正值（0.5 到 2 之间）",
    ),
    "matrix.report.not_checked": (
        "{name} is not checked: there is no {base} in the forward pass{hint}",
        "{name} 没有被检查：前向传播里没有 {base}{hint}",
    ),
    "matrix.report.did_you_mean": (" (did you mean d{name}?)", "（是不是想写 d{name}？）"),
    "matrix.report.cancel": (
        "the final parameter gradients {names} are right all the same: the mistakes cancel",
        "不过最终的参数梯度 {names} 仍然正确：错误相互抵消了",
    ),
    "matrix.report.crosscheck": (
        "derivcheck's gradient of {name} disagrees with finite differences: {summary}",
        "derivcheck 算出的 {name} 的梯度与有限差分不一致：{summary}",
    ),
    "matrix.col.gradient": ("gradient", "梯度"),
    "matrix.col.formula": ("formula", "公式"),
    "matrix.col.shape": ("shape", "形状"),
    "matrix.col.verdict": ("verdict", "结论"),
    "matrix.legend": ("✓ right, ✗ wrong", "✓ 正确，✗ 错误"),
    # ------------------------------------------------------------------ the command line
    "matrix.cli.dims": (
        "expected sizes such as D=1,H=3,N=50, not {text}",
        "这里应是维度大小，例如 D=1,H=3,N=50，而不是 {text}",
    ),
    "matrix.cli.cannot_read": ("cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
    "matrix.cli.too_large": (
        "{path} is too large for a program (at most {limit} bytes)",
        "{path} 太大，不像一个程序（最多 {limit} 字节）",
    ),
    # ------------------------------------------------------------------ the chapter's network
    "matrix.program.title": (
        "The chapter's two-layer network in matrix form ({units}, {activation}), one column "
        "per sample.",
        "本章的两层网络的矩阵形式（{units}，{activation}），每个样本一列。",
    ),
    "matrix.program.units_one": ("1 hidden neuron", "1 个隐藏神经元"),
    "matrix.program.units": ("{count} hidden neurons", "{count} 个隐藏神经元"),
    "matrix.program.convention": (
        "d<name> is ∂L/∂<name>. Check it with `derivcheck backprop FILE`",
        "d<名称> 表示 ∂L/∂<名称>。检查方法：`derivcheck backprop FILE`",
    ),
    "matrix.program.forward": ("forward pass", "前向传播"),
    "matrix.program.backward": ("backward pass", "反向传播"),
}
