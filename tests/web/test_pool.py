"""The worker pool: hard limits per request, workers replaced, bounded queues.

The jobs of tests/web/jobs_for_tests.py misbehave on purpose (spin forever, block the timer
signals, eat memory, crash); the pool must answer each with the right error, replace the
worker where it has to, and keep answering the others meanwhile.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time

import pytest

from derivcheck.web.pool import Busy, JobFailed, PoolSettings, WorkerPool

JOBS = "tests.web.jobs_for_tests"
#: Small limits so that the tests are quick: 0.2 s of CPU in the quick lane, 0.4 s in all.
QUICK = PoolSettings(workers=2, long_workers=1, budget=0.2, seconds=0.4, queue=4, long_queue=2,
                     memory=2 * 1024**3)  # fmt: skip


def run(settings: PoolSettings, scenario) -> object:
    async def main():
        async with WorkerPool(settings, JOBS) as pool:
            return await scenario(pool)

    return asyncio.run(main())


def pids(pool: WorkerPool, lane: str) -> set[int]:
    return {w.process.pid for w in pool.lanes[lane].workers if w.process is not None}


async def replaced(pool: WorkerPool, lane: str, before: set[int]) -> set[int]:
    """The lane's processes once a new one has taken the place of one of ``before``."""
    for _ in range(300):
        now = pids(pool, lane)
        ready = not any(w.busy for w in pool.lanes[lane].workers)
        if len(now) == len(before) and now != before and ready:
            return now
        await asyncio.sleep(0.05)
    raise AssertionError(f"no worker of the {lane} lane was replaced")


def test_a_job_runs_in_a_worker_process_and_errors_come_back_as_json():
    async def scenario(pool):
        answer = await pool.call("echo", {"value": "hi"})
        assert answer["echo"] == "hi"
        assert answer["pid"] in pids(pool, "quick")
        with pytest.raises(JobFailed) as refused:
            await pool.call("refuse", {"lang": "zh"})
        assert refused.value.status == 400
        assert refused.value.body["key"] == "web.no_point"
        assert "没有给出求导点" in refused.value.body["message"]
        with pytest.raises(JobFailed) as bug:
            await pool.call("bug", {})
        assert bug.value.status == 500 and "ZeroDivisionError" in bug.value.body["message"]
        # the worker that hit the bug lives on
        assert (await pool.call("echo", {}))["pid"] in pids(pool, "quick")
        quick = pool.stats()["quick"]  # how long the requests waited, ran, computed
        assert set(quick["waited_ms"]) == set(quick["ran_ms"]) == set(quick["cpu_ms"])
        assert 0 <= quick["waited_ms"]["p50"] <= quick["waited_ms"]["p99"]
        assert 0 < quick["ran_ms"]["p50"] <= quick["ran_ms"]["p99"] < 60_000
        assert pool.stats()["long"]["ran_ms"] == {"p50": None, "p99": None}

    run(QUICK, scenario)


def test_a_request_over_its_cpu_time_moves_to_the_long_lane_then_stops_and_its_worker_is_replaced():
    async def scenario(pool):
        before = pids(pool, "long")
        started = time.monotonic()
        with pytest.raises(JobFailed) as stopped:
            await pool.call("spin", {"lang": "en"})
        assert stopped.value.status == 400
        assert stopped.value.body["key"] == "limits.took_too_long"
        assert stopped.value.body["message"] == (
            "the computation took longer than 0.4 s and was stopped"
        )
        assert time.monotonic() - started < QUICK.deadline(0.2) + QUICK.deadline(0.4)
        counts = pool.stats()
        assert counts["quick"]["moved_on"] == 1 and counts["quick"]["killed"] == 0
        assert counts["long"]["limit"] == 1 and counts["long"]["killed"] == 1
        assert (await replaced(pool, "long", before)).isdisjoint(before)  # killed, replaced
        assert (await pool.call("long_echo", {}))["pid"] in pids(pool, "long")

    run(QUICK, scenario)


def test_a_worker_no_signal_reaches_is_killed_at_the_deadline_with_the_same_error():
    async def scenario(pool):
        quick, long = pids(pool, "quick"), pids(pool, "long")
        with pytest.raises(JobFailed) as stopped:
            await pool.call("stuck", {"lang": "zh"})
        assert stopped.value.body["key"] == "limits.took_too_long"
        assert stopped.value.body["message"] == "计算超过 0.4 秒，已停止"
        counts = pool.stats()
        assert counts["quick"]["killed"] == 1 and counts["long"]["killed"] == 1
        assert len(await replaced(pool, "quick", quick) - quick) == 1
        assert (await replaced(pool, "long", long)).isdisjoint(long)

    run(QUICK, scenario)


def test_a_worker_blocked_without_computing_is_killed_by_the_wall_clock_backstop():
    settings = PoolSettings(**{**vars(QUICK), "budget": 0.05, "seconds": 0.05})

    async def scenario(pool):
        started = time.monotonic()
        with pytest.raises(JobFailed) as stopped:
            await pool.call("blocked", {"lang": "en"})
        elapsed = time.monotonic() - started
        assert stopped.value.body["key"] == "limits.took_too_long"
        counts = pool.stats()
        assert counts["quick"]["killed"] == 1 and counts["long"]["killed"] == 1
        return elapsed

    # one look in each lane, after WALL_FACTOR x 0.05 + 1 s + GRACE
    assert 2 * settings.deadline(0.05) <= run(settings, scenario) < 2 * settings.deadline(0.05) + 3


def test_a_hostile_request_never_stalls_the_others():
    async def scenario(pool):
        hostile = asyncio.create_task(pool.call("spin", {}))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        answers = await asyncio.gather(*(pool.call("echo", {"value": k}) for k in range(20)))
        quick_time = time.monotonic() - started
        assert [a["echo"] for a in answers] == list(range(20))
        assert not hostile.done() or isinstance(hostile.exception(), JobFailed)
        with pytest.raises(JobFailed):
            await hostile
        return quick_time

    roomy = PoolSettings(**{**vars(QUICK), "queue": 32})
    assert run(roomy, scenario) < 3.0  # twenty quick answers while one request spins


def _spin() -> None:  # pragma: no cover - runs in a process of its own until killed
    while True:
        pass


def test_a_worker_starved_of_cpu_by_a_busy_machine_gives_the_same_answer_as_on_a_quiet_one():
    """Four processes spin at normal priority while the long lane's worker (nice 19) does
    25 ms of arithmetic under a 0.1 s limit: it gets well under 1% of a core, so the answer
    takes seconds of wall time, past every wall-clock deadline (a pool that killed at 4 × 0.1
    + 2 s, a backstop that wanted 2% of a core, both gave the limit's error here). Counted in
    CPU time, and with the time it waited for a CPU as computing, it is the same answer."""
    settings = PoolSettings(**{**vars(QUICK), "budget": 0.1, "seconds": 0.1, "nice": 19})

    async def scenario(pool):
        quiet = await pool.call("long_work", {"n": 250_000})
        spinners = [multiprocessing.get_context("fork").Process(target=_spin, daemon=True)
                    for _ in range(max(4, 2 * len(os.sched_getaffinity(0))))]  # fmt: skip
        for spinner in spinners:
            spinner.start()
        try:
            started = time.monotonic()
            busy = await asyncio.wait_for(pool.call("long_work", {"n": 250_000}), 60)
            elapsed = time.monotonic() - started
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.join()
        assert busy["sum"] == quiet["sum"] == sum(k * k for k in range(250_000))
        assert busy["pid"] == quiet["pid"]  # the worker was not killed meanwhile
        assert pool.stats()["long"]["killed"] == pool.stats()["long"]["limit"] == 0
        return elapsed

    elapsed = run(settings, scenario)
    print(f"starved: {elapsed:.1f} s of wall time for 25 ms of CPU time")
    assert elapsed > 1.0, f"the worker was not starved ({elapsed:.1f} s): the test tests nothing"


def test_a_full_queue_is_refused_with_a_time_to_come_back():
    settings = PoolSettings(workers=1, long_workers=1, budget=2, seconds=2, queue=1, long_queue=1)

    async def scenario(pool):
        first = asyncio.create_task(pool.call("nap", {"seconds": 1}))
        await asyncio.sleep(0.2)  # the worker has it
        second = asyncio.create_task(pool.call("nap", {"seconds": 0.1}))  # waits in the queue
        await asyncio.sleep(0.05)
        with pytest.raises(Busy) as busy:
            await pool.call("echo", {})
        assert busy.value.retry_after == 2 and busy.value.lane == "quick"
        assert (await first)["slept"] == 1 and (await second)["slept"] == 0.1
        assert pool.stats()["quick"]["refused"] == 1

    run(settings, scenario)


def test_a_stream_yields_its_items_in_order_and_an_error_where_it_happens():
    async def scenario(pool):
        items = [item async for item in pool.stream("count", {"n": 4})]
        assert items == [{"k": k} for k in range(4)]
        seen = []
        with pytest.raises(JobFailed) as failed:
            async for item in pool.stream("count", {"n": 2, "fail": True}):
                seen.append(item)
        assert seen == [{"k": 0}, {"k": 1}] and failed.value.body["key"] == "web.no_file"

    run(QUICK, scenario)


def test_a_worker_out_of_memory_answers_and_is_replaced():
    async def scenario(pool):
        before = pids(pool, "quick")
        with pytest.raises(JobFailed) as failed:
            await pool.call("hog", {})
        assert failed.value.body["key"] == "web.out_of_memory"
        assert pool.stats()["quick"]["killed"] == 1
        assert len(await replaced(pool, "quick", before) - before) == 1
        assert (await pool.call("echo", {"value": 1}))["echo"] == 1

    run(QUICK, scenario)


def test_closing_the_pool_ends_its_processes():
    async def main():
        pool = WorkerPool(QUICK, JOBS)
        await pool.start()
        processes = [w.process for lane in pool.lanes.values() for w in lane.workers]
        await pool.close()
        return processes

    assert not any(p.is_alive() for p in asyncio.run(main()))
