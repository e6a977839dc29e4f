"""Messages of the domain analysis: why a function has no real value at a point (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "domain.undefined_here": ("Undefined here: {reason}", "此处无定义：{reason}"),
    "domain.at": ("{name} = {value}", "{name} = {value}"),
    "domain.typed_edge": (
        "{function} in the function as typed is at the edge of its domain where {where}: the function has no real values on one side, so there is no two-sided derivative",
        "所输入函数中的 {function} 在 {where} 处位于定义域的边界：一侧没有实数值，因此不存在双侧导数",
    ),
    "domain.at_step": ("{name} = {definition} = {value}", "{name} = {definition} = {value}"),
    "domain.positive": (
        "{function} needs a positive argument, but {where}",
        "{function} 的自变量必须为正，但 {where}",
    ),
    "domain.unit_closed": (
        "{function} needs an argument between -1 and 1, but {where}",
        "{function} 的自变量必须在 -1 与 1 之间，但 {where}",
    ),
    "domain.unit_open": (
        "{function} needs an argument strictly between -1 and 1, but {where}",
        "{function} 的自变量必须严格在 -1 与 1 之间，但 {where}",
    ),
    "domain.at_least_one": (
        "{function} needs an argument ≥ 1, but {where}",
        "{function} 的自变量必须 ≥ 1，但 {where}",
    ),
    "domain.outside_unit": (
        "{function} needs an argument with |u| ≥ 1, but {where}",
        "{function} 的自变量必须满足 |u| ≥ 1，但 {where}",
    ),
    "domain.trig_pole": ("{function} has a pole where {where}", "{function} 在 {where} 处有极点"),
    "domain.pole_at_zero": (
        "{function} has a pole at 0, and {where}",
        "{function} 在 0 处有极点，而 {where}",
    ),
    "domain.pole": ("division by zero: {where} (a pole)", "除以零：{where}（极点）"),
    "domain.root": (
        "a square root or fractional power needs a base ≥ 0, but {where}",
        "平方根或分数次幂的底数必须 ≥ 0，但 {where}",
    ),
    "domain.negative_root": (
        "a negative fractional power needs a base > 0 (u^(-1/2) is 1/√u), but {where}",
        "负分数次幂的底数必须 > 0（u^(-1/2) 即 1/√u），但 {where}",
    ),
    "domain.power_base": (
        "a power with a variable exponent needs a positive base, but {where}: the function is not real on any neighbourhood",
        "指数含变量的幂要求底数为正，但 {where}：函数在任何邻域内都不是实数",
    ),
    "domain.negative_base": (
        "a power {function}^x with a base ≤ 0 is not real for most x",
        "底数 ≤ 0 的幂 {function}^x 对大多数 x 不是实数",
    ),
    "domain.not_real": ("{step} is not a real number here", "{step} 在此处不是实数"),
    "domain.overflow": (
        "{step} is about 10^{size}, beyond floating point (at most about 1.8·10^308), so it cannot be checked numerically",
        "{step} 约为 10^{size}，超出浮点数范围（最大约 1.8·10^308），无法数值验证",
    ),
    "domain.step": ("{name} = {definition}", "{name} = {definition}"),
    "domain.vertical_tangent": (
        "the derivative is infinite here (a vertical tangent): d{step}/d{argument} = {local} is undefined at this point",
        "此处导数为无穷大（竖直切线）：d{step}/d{argument} = {local} 在该点无定义",
    ),
    "domain.derivative_not_finite": (
        "d{output}/d{variable} is not a finite number here",
        "d{output}/d{variable} 在此处不是有限数",
    ),
}
