"""Messages of the chapter's network (en, zh): training, the gradient table, plots, errors."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ training
    "network.epoch": ("Epoch {epoch}: loss = {loss:.4f}", "第 {epoch} 轮：损失 = {loss:.4f}"),
    "network.final_loss": (
        "final loss = {loss:.4f} after {epochs} epochs",
        "训练 {epochs} 轮后，最终损失 = {loss:.4f}",
    ),
    "network.diverged": (
        "training diverged at epoch {epoch} (loss {start:.4g} → {end:g}); "
        "try a smaller learning rate",
        "训练在第 {epoch} 轮发散（损失 {start:.4g} → {end:g}）；请减小学习率",
    ),
    "network.diverged_parameters": (
        "training diverged at epoch {epoch} (loss {start:.4g}; {names} became inf or nan); "
        "try a smaller learning rate",
        "训练在第 {epoch} 轮发散（损失 {start:.4g}；{names} 变成了 inf 或 nan）；请减小学习率",
    ),
    # ------------------------------------------------------------------ the gradient table
    "network.col.hand_written": ("hand-written", "手写反向传播"),
    "network.col.exact": ("exact (SymPy)", "精确（SymPy）"),
    "network.col.torch": ("PyTorch", "PyTorch"),
    "network.col.error": ("error", "误差"),
    "network.status_note": ("{status} ({note})", "{status}（{note}）"),
    "network.agree": ("all {count} gradient entries agree", "全部 {count} 个梯度分量一致"),
    "network.disagree": (
        "{bad} of {count} gradient entries disagree",
        "{count} 个梯度分量中有 {bad} 个不一致",
    ),
    "network.verdict": (
        "{verdict} (loss = mean over {samples} sample(s))",
        "{verdict}（损失 = {samples} 个样本的平均）",
    ),
    # ------------------------------------------------------------------ plots
    "network.plot.epoch": ("Epoch", "轮次"),
    "network.plot.loss": ("Loss (mean squared error)", "损失（均方误差）"),
    "network.plot.loss_title": ("Training loss", "训练损失"),
    "network.plot.data": ("data", "数据"),
    "network.plot.true_function": ("true function", "真实函数"),
    "network.plot.network": ("network", "网络"),
    "network.plot.fit_title_one": (
        "Fit (two-layer network, 1 hidden neuron)",
        "拟合（两层网络，1 个隐藏神经元）",
    ),
    "network.plot.fit_title": (
        "Fit (two-layer network, {units} hidden neurons)",
        "拟合（两层网络，{units} 个隐藏神经元）",
    ),
    # ------------------------------------------------------------------ errors
    "network.error.positive_integer": (
        "{label} must be a positive integer, not {value}",
        "{label} 必须是正整数，而不是 {value}",
    ),
    "network.error.non_negative_integer": (
        "{label} must be a non-negative integer, not {value}",
        "{label} 必须是非负整数，而不是 {value}",
    ),
    "network.error.learning_rate": (
        "the learning rate must be a positive number, not {value}",
        "学习率必须是正数，而不是 {value}",
    ),
    "network.error.activation": (
        "unknown activation {name}; choose one of {choices}",
        "未知的激活函数 {name}；请选择 {choices}",
    ),
    "network.error.parameter_names": (
        "parameters are w1, b1, w2, b2{missing}{unknown}",
        "参数是 w1、b1、w2、b2{missing}{unknown}",
    ),
    "network.error.missing_names": ("; missing {names}", "；缺少 {names}"),
    "network.error.unknown_names": ("; unknown {names}", "；未知 {names}"),
    "network.error.parameter_missing": ("parameter {name} is missing", "缺少参数 {name}"),
    "network.error.parameter_shape": (
        "parameter {name} has shape {shape}, expected {expected}",
        "参数 {name} 的形状是 {shape}，应为 {expected}",
    ),
    "network.error.unknown_parameter": ("unknown parameter {name}", "未知参数 {name}"),
    "network.error.x_shape": (
        "x has shape {shape}; expected (N, {inputs}){alternative}",
        "x 的形状是 {shape}；应为 (N, {inputs}){alternative}",
    ),
    "network.error.or_vector": (" or (N,)", " 或 (N,)"),
    "network.error.targets": (
        "{inputs} inputs but {targets} targets",
        "有 {inputs} 个输入，却有 {targets} 个目标值",
    ),
    "network.error.symbolic_size": (
        "the symbolic network is built for hidden·inputs <= {limit}; this one has "
        "{hidden}·{inputs}",
        "符号网络只为 hidden·inputs <= {limit} 构建；这个网络是 {hidden}·{inputs}",
    ),
    "network.error.one_sample": (
        "program_values takes one sample",
        "program_values 只接受一个样本",
    ),
    "network.error.no_torch": (
        "PyTorch is not installed; install the extra: `pip install 'derivcheck[torch]'`",
        "没有安装 PyTorch；请安装可选依赖：`pip install 'derivcheck[torch]'`",
    ),
    "network.error.plot_write": (
        "cannot write the plot to {path}: {reason}",
        "无法把图写入 {path}：{reason}",
    ),
    "network.error.fit_inputs": (
        "the fit plot needs a network with one input",
        "拟合图需要只有一个输入的网络",
    ),
}
