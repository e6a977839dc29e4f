"""derivcheck's vocabulary: headings and phrases of the explanations (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error.column": (" (column {column})", "（第 {column} 列）"),
    "error.line_column": (" (line {line}, column {column})", "（第 {line} 行，第 {column} 列）"),
    "lang.unknown": (
        "unknown language {lang}: choose one of {known}",
        "未知语言 {lang}：请选择 {known}",
    ),
    "derivative_of": (
        "Derivative of {expr} at {point}",
        "{expr} 在 {point} 处的导数",
    ),
    "gradient_of": (
        "Gradient of {output} at {point}",
        "{output} 在 {point} 处的梯度",
    ),
    "intermediate_variables": (
        "Intermediate variables (forward pass)",
        "中间变量（前向传播）",
    ),
    "local_derivatives": (
        "Local derivatives",
        "局部导数",
    ),
    "chain_rule": (
        "Chain rule",
        "链式法则",
    ),
    "forward_accumulation": (
        "Chain rule, forward accumulation",
        "链式法则（前向累积）",
    ),
    "forward_pass": (
        "Forward pass",
        "前向传播",
    ),
    "backward_pass": (
        "Backward pass",
        "反向传播",
    ),
    "exact_derivative": (
        "Exact derivative (SymPy)",
        "精确导数（SymPy）",
    ),
    "numeric_check": (
        "Numeric check",
        "数值验证",
    ),
    "gradient": (
        "Gradient",
        "梯度",
    ),
    "rule": (
        "rule",
        "法则",
    ),
    "agrees": (
        "agrees",
        "一致",
    ),
    "disagrees": (
        "DISAGREES",
        "不一致",
    ),
    "not_differentiable": (
        "Not differentiable here",
        "此处不可导",
    ),
    "jump_sentence": (
        "{function} jumps where {where}, and the point sits on the jump: the function is not continuous there, so there is no derivative here.",
        "{function} 在 {where} 处跳跃，而该点正好落在跳跃点上：函数在此不连续，所以这里没有导数。",
    ),
    "kink_sentence": (
        "{function} has a kink where {where}, and the point sits on it: the left and right derivatives differ, so there is no derivative here.",
        "{function} 在 {where} 处有折点，而该点正好落在折点上：左右导数不相等，所以这里没有导数。",
    ),
    "convention_pytorch": (
        "The value shown uses {convention}, as PyTorch does.",
        "所示数值按 PyTorch 的约定取 {convention}。",
    ),
    "convention_half": (
        "The value shown takes the step function as 1/2 at the tie, the mean of both sides.",
        "所示数值在相等处取阶跃函数为 1/2，即两侧的平均。",
    ),
    "left_derivative": (
        "left derivative",
        "左导数",
    ),
    "right_derivative": (
        "right derivative",
        "右导数",
    ),
    "domain_sentence": (
        "Undefined here: {reason}",
        "此处无定义：{reason}",
    ),
    "domain_log": (
        "ln needs a positive argument, but {where}",
        "ln 的自变量必须为正，但 {where}",
    ),
    "domain_unit": (
        "{function} needs an argument between -1 and 1, but {where}",
        "{function} 的自变量必须在 -1 与 1 之间，但 {where}",
    ),
    "domain_unit_open": (
        "{function} needs an argument strictly between -1 and 1, but {where}",
        "{function} 的自变量必须严格在 -1 与 1 之间，但 {where}",
    ),
    "domain_acosh": (
        "{function} needs an argument ≥ 1, but {where}",
        "{function} 的自变量必须 ≥ 1，但 {where}",
    ),
    "domain_pole": (
        "division by zero: {where} (a pole)",
        "除以零：{where}（极点）",
    ),
    "domain_root": (
        "a square root or fractional power needs a base ≥ 0, but {where}",
        "平方根或分数次幂的底数必须 ≥ 0，但 {where}",
    ),
    "domain_trig_pole": (
        "{function} has a pole where {where}",
        "{function} 在 {where} 处有极点",
    ),
    "parameter_update": (
        "Parameter update (lr = {lr})",
        "参数更新（lr = {lr}）",
    ),
    "loss_change": (
        "{output}: {change} ({trend})",
        "{output}：{change}（{trend}）",
    ),
    "decreased": (
        "decreased",
        "减小了",
    ),
    "increased": (
        "increased",
        "增大了",
    ),
    "unchanged": (
        "unchanged",
        "不变",
    ),
    "near_kink": (
        "the point is {distance} from a kink of {function}; the numeric steps stay on one side",
        "该点距 {function} 的折点仅 {distance}，数值差分的步长只取一侧",
    ),
    "method_complex": (
        "complex step",
        "复步长法",
    ),
    "method_extended": (
        "central differences at extended precision",
        "扩展精度中心差分",
    ),
    "method_richardson": (
        "Richardson extrapolation",
        "Richardson 外推",
    ),
    "method_central": (
        "central difference",
        "中心差分",
    ),
    "method_forward": (
        "forward difference",
        "前向差分",
    ),
    "method_backward": (
        "backward difference",
        "后向差分",
    ),
    "no_numeric": (
        "no numeric check: {reason}",
        "无法数值验证：{reason}",
    ),
}
