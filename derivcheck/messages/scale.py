"""Messages of grading on a cluster (en, zh): ``derivcheck check --scheduler``."""

MESSAGES: dict[str, tuple[str, str]] = {
    "scale.needs_dask": (
        "--scheduler needs Dask's distributed scheduler: pip install 'derivcheck[dask]'.",
        "--scheduler 需要 Dask 的分布式调度器：pip install 'derivcheck[dask]'。",
    ),
    "scale.no_scheduler": (
        "cannot reach the Dask scheduler at {address}: {reason}",
        "无法连接 Dask 调度器 {address}：{reason}",
    ),
    "scale.scheduler_and_jobs": (
        "--scheduler and --jobs cannot be used together (the cluster's workers grade).",
        "--scheduler 与 --jobs 不能同时使用（由集群的工作进程批改）。",
    ),
}
