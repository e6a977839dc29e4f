"""Messages of the web page and its API (en, zh): every word ``derivcheck serve`` shows.

The page has no words of its own: it asks ``GET /api/words`` for these (the keys under
``web.``) and fills its labels, buttons and hints with them, in the language chosen. The
results themselves (explanations, verdicts, errors) come in the request's language from
their own areas.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the page around the panels
    "web.title": ("derivcheck: explain and check derivatives", "derivcheck：讲解并验证导数"),
    "web.tagline": (
        "Type a function as you would on paper: see it read back, the chain of intermediate variables, the local derivatives and the computational graph, and check your own answer.",
        "像在纸上一样输入函数：立即看到系统如何识别它，看到中间变量的链条、局部导数和计算图，并检查你自己的答案。",
    ),
    "web.noscript": (
        "This page needs JavaScript. The same results come from the API: see /api/openapi.json.",
        "本页需要 JavaScript。也可以通过接口得到同样的结果：见 /api/openapi.json。",
    ),
    "web.language": ("Language", "语言"),
    "web.lang.en": ("English", "English"),
    "web.lang.zh": ("中文", "中文"),
    "web.skip": ("Skip to the panel", "跳到内容"),
    "web.panels": ("Panels", "功能"),
    "web.tab.explain": ("Explain", "讲解"),
    "web.tab.check": ("Check my answer", "检查我的答案"),
    "web.tab.network": ("The chapter's network", "本章的神经网络"),
    "web.tab.teacher": ("Teacher", "教师批改"),
    "web.working": ("Working…", "计算中……"),
    "web.error": ("Error", "错误"),
    "web.copy": ("Copy", "复制"),
    "web.copied": ("Copied", "已复制"),
    "web.api": ("API", "接口"),
    "web.footer": (
        "Nothing you type is run as code: derivcheck reads it with its own parser. Every result is checked twice, exactly (SymPy) and numerically.",
        "你输入的内容不会被当作代码运行：derivcheck 用自己的解析器读取它。每个结果都经过两次验证：精确计算（SymPy）和数值计算。",
    ),
    # -- Explain
    "web.explain.expr": ("Function or program", "函数或程序"),
    "web.explain.expr_hint": (
        "e.g. sin(exp(x^2)), (3x+2)^2, √(1+x²), \\frac{{1}}{{1+e^{{-x}}}}, or a program: z1 = w1*x + b1; h = relu(z1)",
        "例如 sin(exp(x^2))、(3x+2)^2、√(1+x²)、\\frac{{1}}{{1+e^{{-x}}}}，或一个程序：z1 = w1*x + b1; h = relu(z1)",
    ),
    "web.explain.at": ("Point", "求导点"),
    "web.explain.at_hint": (
        "a number (0.5, 1/3, π/4), or name=value pairs for several variables (x=2, w=0.5); "
        "empty: the symbolic derivation",
        "一个数（0.5、1/3、π/4）；有多个变量时写成 名称=数值（x=2, w=0.5）；留空：符号推导",
    ),
    "web.explain.wrt": ("With respect to (optional)", "对哪些变量求导（可选）"),
    "web.explain.wrt_hint": (
        "names separated by commas; by default every variable of the point",
        "用逗号分隔的名称；默认是求导点中的每个变量",
    ),
    "web.explain.order": ("Order", "阶数"),
    "web.explain.order_hint": (
        "1 for f′, 2 for f″, …; with several variables 2 gives the Hessian",
        "1 为一阶导数 f′，2 为二阶导数 f″，……；多个变量时 2 给出黑塞矩阵",
    ),
    "web.explain.lr": ("Learning rate (optional)", "学习率（可选）"),
    "web.explain.lr_hint": (
        "adds one step of gradient descent (section 2.4)",
        "加上一步梯度下降（第 2.4 节）",
    ),
    "web.explain.go": ("Explain", "讲解"),
    "web.explain.preview": ("derivcheck reads", "derivcheck 识别为"),
    "web.explain.preview_empty": (
        "Type a function: it is typeset here as derivcheck reads it.",
        "请输入函数：这里会按 derivcheck 的理解排版显示。",
    ),
    "web.explain.result": ("Derivative", "导数"),
    "web.explain.gradient": ("Gradient", "梯度"),
    "web.explain.agrees": (
        "exact and numeric agree within the error budget",
        "精确值与数值结果在误差预算内一致",
    ),
    "web.explain.disagrees": (
        "exact and numeric do not agree",
        "精确值与数值结果不一致",
    ),
    "web.explain.not_differentiable": ("not differentiable here", "此处不可导"),
    "web.explain.unchecked": (
        "no numeric check here: floating point cannot resolve this derivative",
        "此处无法数值验证：浮点数无法分辨这个导数",
    ),
    "web.explain.steps": ("Intermediate variables", "中间变量"),
    "web.explain.derivation": ("Step by step", "逐步推导"),
    "web.explain.rules": ("Rule by rule", "逐条法则"),
    "web.explain.show_rules": ("Show the rule-by-rule derivation", "显示逐条法则的推导"),
    "web.explain.graph": ("Computational graph", "计算图"),
    "web.explain.graph_caption": (
        "Nodes show the forward values; edges show the local derivatives.",
        "节点上是前向传播的值，边上是局部导数。",
    ),
    "web.explain.plot": ("The function and its tangent", "函数及其切线"),
    "web.explain.plot_alt": (
        "Plot of the function with its tangent at the point, and its derivative, exact against numeric",
        "函数及其在该点的切线的图像，以及导数的精确值与数值结果的对比",
    ),
    "web.explain.share": ("Link to this explanation", "本讲解的链接"),
    "web.explain.sources": ("LaTeX, Mermaid and JSON", "LaTeX、Mermaid 与 JSON"),
    "web.col.variable": ("variable", "变量"),
    "web.col.definition": ("definition", "定义"),
    "web.col.value": ("value", "值"),
    "web.col.local": ("local derivatives", "局部导数"),
    "web.col.rule": ("rule", "法则"),
    # -- Check my answer
    "web.check.function": ("Function", "函数"),
    "web.check.answer": ("My derivative", "我求出的导数"),
    "web.check.answer_hint": (
        "any notation: 6(2x+1)^2, y' = 6(2x+1)², or worked steps a = b = c (the last part is graded)",
        "任何写法均可：6(2x+1)^2、y' = 6(2x+1)²，或推导过程 a = b = c（评判最后一部分）",
    ),
    "web.check.var": ("Variable (optional)", "自变量（可选）"),
    "web.check.at": ("At (optional)", "求值点（可选）"),
    "web.check.order": ("Order", "阶数"),
    "web.check.at_hint": (
        "with a point, the answer is the derivative's value there (54, 3/2, √2/2)",
        "给出求值点时，答案应是导数在该点的值（54、3/2、√2/2）",
    ),
    "web.check.go": ("Check", "检查"),
    "web.check.verdict": ("Verdict", "结论"),
    "web.check.mistake": ("Mistake", "错误类型"),
    "web.check.hint": ("Hint", "提示"),
    "web.check.expected": ("The derivative", "正确的导数"),
    "web.check.reveal": ("Show the correct derivation", "显示正确的推导"),
    "web.check.hide": ("Hide the derivation", "隐藏推导"),
    "web.verdict.correct": ("correct", "正确"),
    "web.verdict.incorrect": ("incorrect", "错误"),
    "web.verdict.unparseable": ("unreadable", "无法识别"),
    "web.verdict.error": ("not graded", "无法评分"),
    # -- The chapter's network
    "web.network.intro": (
        "Section 2 of the chapter: z1 = w1·x + b1, h = relu(z1), y = w2·h + b2, L = (y − target)². Move a slider: the forward pass, every line of the backward pass and the update are computed again, exactly.",
        "本章第 2 节的网络：z1 = w1·x + b1，h = relu(z1)，y = w2·h + b2，L = (y − target)²。拖动滑块：前向传播、反向传播的每一行和参数更新都会重新精确计算。",
    ),
    "web.network.values": ("Input, target and parameters", "输入、目标值与参数"),
    "web.network.reset": ("Back to section 2's values", "恢复第 2 节的数值"),
    "web.network.graph": ("The graph, coloured by the adjoints", "按伴随值着色的计算图"),
    "web.network.legend": (
        "Each node shows its value and its adjoint ∂L/∂node: red where it is positive, blue where it is negative, white at 0.",
        "每个节点显示它的值和伴随值 ∂L/∂节点：正值为红色，负值为蓝色，0 为白色。",
    ),
    "web.network.passes": ("Forward pass, backward pass, update", "前向传播、反向传播与参数更新"),
    # -- Teacher
    "web.teacher.intro": (
        "Grade a class: upload a file of answers (CSV, JSON, JSON Lines or YAML, with the columns of derivcheck check: id, function, answer, and optionally var, at, student).",
        "批改全班的作业：上传答案文件（CSV、JSON、JSON Lines 或 YAML，列与 derivcheck check 相同：id、function、answer，可选 var、at、student）。",
    ),
    "web.teacher.file": ("Answers file", "答案文件"),
    "web.teacher.go": ("Grade", "批改"),
    "web.teacher.progress": ("{done} of {total} answers graded", "已批改 {done}/{total} 份答案"),
    "web.teacher.summary": (
        "{answers} answers: {correct} correct, {incorrect} incorrect, {unparseable} unreadable, {error} not graded",
        "共 {answers} 份答案：{correct} 份正确，{incorrect} 份错误，{unparseable} 份无法识别，{error} 份无法评分",
    ),
    "web.teacher.filters": ("Filters", "筛选"),
    "web.teacher.filter_verdict": ("Verdict", "结论"),
    "web.teacher.filter_mistake": ("Mistake", "错误类型"),
    "web.teacher.filter_text": ("Student or id contains", "学生或题号包含"),
    "web.teacher.all": ("all", "全部"),
    "web.teacher.shown": ("{shown} of {total} rows shown", "显示 {shown}/{total} 行"),
    "web.teacher.download_csv": ("Download CSV", "下载 CSV"),
    "web.teacher.download_json": ("Download JSON", "下载 JSON"),
    "web.col.id": ("id", "题号"),
    "web.col.student": ("student", "学生"),
    "web.col.line": ("line", "行"),
    "web.col.function": ("function", "函数"),
    "web.col.answer": ("answer", "答案"),
    "web.col.verdict": ("verdict", "结论"),
    "web.col.diagnosis": ("mistake", "错误类型"),
    "web.col.message": ("message", "说明"),
    # -- derivcheck serve
    "web.serving": (
        "derivcheck serve: {url} ({workers} workers; Ctrl+C stops it)",
        "derivcheck serve：{url}（{workers} 个工作进程；按 Ctrl+C 停止）",
    ),
    "web.needs_extra": (
        'derivcheck serve needs the web extra: pip install "derivcheck[web]" (or pip install ".[web]" in a checkout)',
        'derivcheck serve 需要 web 附加组件：pip install "derivcheck[web]"（在源码目录中用 pip install ".[web]"）',
    ),
    "web.cannot_listen": (
        "cannot listen on {host} port {port}: {reason}",
        "无法在 {host} 的端口 {port} 上监听：{reason}",
    ),
    # -- errors of the API (the analysis' own errors come from their areas)
    "web.not_json": ("the request is not JSON: {reason}", "请求内容不是 JSON：{reason}"),
    "web.not_object": ("the request must be a JSON object", "请求内容必须是 JSON 对象"),
    "web.missing_field": ("missing field '{field}'", "缺少字段 '{field}'"),
    "web.unknown_field": (
        "unknown field '{field}' (the fields are: {known})",
        "未知字段 '{field}'（可用的字段：{known}）",
    ),
    "web.field_type": ("field '{field}' must be {expected}", "字段 '{field}' 必须是{expected}"),
    "web.type.string": ("text", "文本"),
    "web.type.number": ("a number", "数"),
    "web.type.integer": ("an integer", "整数"),
    "web.type.point": (
        "a number, text, or an object of name: value",
        "数、文本或“名称：数值”形式的对象",
    ),
    "web.type.names": ("text or a list of names", "文本或名称列表"),
    "web.type.choice": ("one of {choices}", "以下之一：{choices}"),
    "web.too_long": (
        "field '{field}' is longer than {limit} characters",
        "字段 '{field}' 超过 {limit} 个字符",
    ),
    "web.lr_needs_point": (
        "a learning rate needs a point and the first derivative (order 1)",
        "学习率需要求导点和一阶导数（order 为 1）",
    ),
    "web.too_large": ("the request is larger than {limit} bytes", "请求超过 {limit} 字节"),
    "web.busy": (
        "the server is busy: try again in {seconds} s",
        "服务器繁忙：请在 {seconds} 秒后重试",
    ),
    "web.not_found": ("nothing here: {path}", "这里没有内容：{path}"),
    "web.method": (
        "{method} is not allowed here (use {allowed})",
        "此处不允许 {method}（请用 {allowed}）",
    ),
    "web.crashed": (
        "the worker computing this stopped unexpectedly (it has been replaced)",
        "负责计算的进程意外退出（已换上新的进程）",
    ),
    "web.out_of_memory": (
        "the computation needed more memory than a request may use and was stopped",
        "计算所需内存超过单个请求的上限，已停止",
    ),
    "web.internal": (
        "internal error: {detail} (this is a bug in derivcheck)",
        "内部错误：{detail}（这是 derivcheck 的缺陷）",
    ),
    "web.stopping": ("the server is shutting down", "服务器正在关闭"),
    "web.no_point": (
        "no point given: type a number (0.5) or name=value pairs (x=2, w=0.5)",
        "没有给出求导点：请输入一个数（0.5）或 名称=数值（x=2, w=0.5）",
    ),
    "web.several_variables": (
        "the expression has several variables ({names}): give the point as {example}",
        "表达式有多个变量（{names}）：请按 {example} 的形式给出求导点",
    ),
    "web.no_value": (
        "no value given for {names}: give the point as {example}",
        "没有给出 {names} 的值：请按 {example} 的形式给出求导点",
    ),
    "web.no_file": (
        "no answers file: send it as the request body, or as the form field 'file'",
        "没有答案文件：请把文件作为请求内容发送，或放在表单字段 'file' 中",
    ),
    "web.too_many_rows": (
        "the file has {rows} answers; the server grades at most {limit} at once (derivcheck check grades any number)",
        "文件中有 {rows} 份答案，服务器一次最多批改 {limit} 份（derivcheck check 没有这个限制）",
    ),
}
