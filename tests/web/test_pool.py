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

from derivcheck.limits import process_usage
from derivcheck.web.pool import Busy, JobFailed, PoolSettings, WorkerPool

JOBS = "tests.web.jobs_for_tests"
#: Small limits so that the tests are quick: 0.1 s of CPU in the quick lane, 0.2 s in all.
QUICK = PoolSettings(workers=2, long_workers=1, budget=0.1, seconds=0.2, queue=4, long_queue=2,
                     memory=2 * 1024**3)  # fmt: skip


def run(settings: PoolSettings, scenario) -> object:
    async def main():
        async with WorkerPool(settings, JOBS) as pool:
            return await scenario(pool)

    return asyncio.run(main())


def pids(pool: WorkerPool, lane: str) -> set[int]:
    return {w.process.pid for w in pool.lanes[lane].workers if w.process is not None}


async def until(condition, what: str, seconds: float = 15.0) -> None:
    """Once ``condition()`` is true (looked at every 10 ms, for ``seconds`` at most)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}")
        await asyncio.sleep(0.01)


async def replaced(pool: WorkerPool, lane: str, before: set[int]) -> set[int]:
    """The lane's processes once a new one has taken the place of one of ``before``."""

    def done() -> bool:
        now = pids(pool, lane)
        ready = not any(w.busy for w in pool.lanes[lane].workers)
        return len(now) == len(before) and now != before and ready

    await until(done, f"a worker of the {lane} lane replaced")
    return pids(pool, lane)


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
            "the computation took longer than 0.2 s and was stopped"
        )
        assert time.monotonic() - started < QUICK.deadline(0.1) + QUICK.deadline(0.2)
        counts = pool.stats()
        assert counts["quick"]["moved_on"] == 1 and counts["quick"]["killed"] == 0
        assert counts["long"]["limit"] == 1 and counts["long"]["killed"] == 1
        assert (await replaced(pool, "long", before)).isdisjoint(before)  # killed, replaced
        assert (await pool.call("long_echo", {}))["pid"] in pids(pool, "long")

    run(QUICK, scenario)


def test_a_worker_no_signal_reaches_is_killed_at_the_deadline_with_the_same_error():
    """Killed 0.05 s of CPU time past the limit here, instead of CPU_GRACE's 0.25 s (the time
    a worker's own timer has to stop it, which this one blocks): the same kill, sooner."""
    settings = PoolSettings(**{**vars(QUICK), "cpu_grace": 0.05})

    async def scenario(pool):
        quick, long = pids(pool, "quick"), pids(pool, "long")
        with pytest.raises(JobFailed) as stopped:
            await pool.call("stuck", {"lang": "zh"})
        assert stopped.value.body["key"] == "limits.took_too_long"
        assert stopped.value.body["message"] == "计算超过 0.2 秒，已停止"
        counts = pool.stats()
        assert counts["quick"]["killed"] == 1 and counts["long"]["killed"] == 1
        assert len(await replaced(pool, "quick", quick) - quick) == 1
        assert (await replaced(pool, "long", long)).isdisjoint(long)

    run(settings, scenario)


def test_a_worker_blocked_without_computing_is_killed_by_the_wall_clock_backstop():
    """The pool looks every 0.25 s here instead of its default WALL_FACTOR x limit + 1 s +
    GRACE (2.2 s; see PoolSettings.deadline): the same look, sooner. (The pool closes once
    both killed workers are replaced: closed while one was being replaced, it failed, two
    threads stopping that worker at once: an AttributeError in _Worker.stop.)"""
    settings = PoolSettings(**{**vars(QUICK), "budget": 0.05, "seconds": 0.05, "backstop": 0.25})

    async def scenario(pool):
        quick, long = pids(pool, "quick"), pids(pool, "long")
        started = time.monotonic()
        with pytest.raises(JobFailed) as stopped:
            await pool.call("blocked", {"lang": "en"})
        elapsed = time.monotonic() - started
        assert stopped.value.body["key"] == "limits.took_too_long"
        counts = pool.stats()
        assert counts["quick"]["killed"] == 1 and counts["long"]["killed"] == 1
        assert len(await replaced(pool, "quick", quick) - quick) == 1
        assert (await replaced(pool, "long", long)).isdisjoint(long)
        return elapsed

    # one look in each lane, after the backstop's 0.25 s
    assert settings.deadline(0.05) == 0.25
    assert 2 * settings.deadline(0.05) <= run(settings, scenario) < 2 * settings.deadline(0.05) + 3


def test_a_hostile_request_never_stalls_the_others():
    async def scenario(pool):
        long = pids(pool, "long")
        hostile = asyncio.create_task(pool.call("spin", {}))
        quick = pool.lanes["quick"]
        await until(lambda: any(w.busy for w in quick.workers), "a worker spinning")
        started = time.monotonic()
        answers = await asyncio.gather(*(pool.call("echo", {"value": k}) for k in range(20)))
        quick_time = time.monotonic() - started
        assert [a["echo"] for a in answers] == list(range(20))
        assert not hostile.done() or isinstance(hostile.exception(), JobFailed)
        with pytest.raises(JobFailed):
            await hostile
        await replaced(pool, "long", long)  # the pool closes after (see the test above)
        return quick_time

    roomy = PoolSettings(**{**vars(QUICK), "queue": 32})
    assert run(roomy, scenario) < 3.0  # twenty quick answers while one request spins


def _spin(cpu: int) -> None:  # pragma: no cover - runs in a process of its own until killed
    os.sched_setaffinity(0, {cpu})
    while True:
        pass


def _cpu(pid: int) -> float:
    """CPU seconds process ``pid`` has used (0 where that cannot be read)."""
    usage = process_usage(pid)
    return 0.0 if usage is None else usage.cpu


#: Arithmetic for the starved worker: about 20 ms of CPU time on a quiet machine.
WORK = 200_000


def test_a_worker_starved_of_cpu_by_a_busy_machine_gives_the_same_answer_as_on_a_quiet_one():
    """Three processes spin at normal priority on the one CPU the long lane's worker (nice
    19) is then confined to, while it does 20 ms of arithmetic under a 0.1 s limit: it gets
    1–2% of that CPU, so the answer takes one to a few seconds of wall time, through the
    pool's wall-clock looks (every 0.5 s here; more than two of them) and often the worker's
    own (after 4 × 0.1 + 1 s): a pool that killed at 4 × 0.1 + 2 s, a backstop that wanted
    2% of a core, both gave the limit's error here. Counted in CPU time, and with the time
    it waited for a CPU as computing, it is the same answer. (With spinners on every CPU
    instead, the worker was not starved in a third of the runs of this test: it had its
    share wherever the kernel had put fewer spinners, or before they had got going.)"""
    settings = PoolSettings(**{**vars(QUICK), "budget": 0.1, "seconds": 0.1, "nice": 19,
                               "backstop": 0.5})  # fmt: skip
    starved = 2 * settings.deadline(0.1)  # 1 s

    async def scenario(pool):
        quiet = await pool.call("long_work", {"n": WORK})
        cpu = max(os.sched_getaffinity(0))
        (worker,) = pids(pool, "long")
        os.sched_setaffinity(worker, {cpu})
        fork = multiprocessing.get_context("fork")
        spinners = [fork.Process(target=_spin, args=(cpu,), daemon=True) for _ in range(3)]
        for spinner in spinners:
            spinner.start()
        try:
            # a fork of this big process takes a while to get going: the worker is to meet
            # the spinners spinning
            await until(lambda: all(_cpu(s.pid) >= 0.03 for s in spinners), "the spinners spin")
            for _ in range(3):  # where the kernel gave the worker more all the same: again
                started = time.monotonic()
                busy = await asyncio.wait_for(pool.call("long_work", {"n": WORK}), 60)
                elapsed = time.monotonic() - started
                assert busy["sum"] == quiet["sum"] == sum(k * k for k in range(WORK))
                assert busy["pid"] == quiet["pid"] == worker  # the worker was not killed
                if elapsed > starved:
                    break
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.join()
        assert pool.stats()["long"]["killed"] == pool.stats()["long"]["limit"] == 0
        return elapsed

    elapsed = run(settings, scenario)
    print(f"starved: {elapsed:.1f} s of wall time for 20 ms of CPU time")
    assert elapsed > starved, (
        f"the worker was not starved ({elapsed:.1f} s): the test tests nothing"
    )


def test_a_full_queue_is_refused_with_a_time_to_come_back():
    settings = PoolSettings(workers=1, long_workers=1, budget=2, seconds=2, queue=1, long_queue=1)

    async def scenario(pool):
        quick = pool.lanes["quick"]
        first = asyncio.create_task(pool.call("nap", {"seconds": 0.5}))
        await until(lambda: quick.workers[0].busy and quick.queue.empty(), "the worker has it")
        second = asyncio.create_task(pool.call("nap", {"seconds": 0.1}))
        await until(lambda: quick.queue.full(), "the second waits in the queue")
        assert not first.done()
        with pytest.raises(Busy) as busy:
            await pool.call("echo", {})
        assert busy.value.retry_after == 2 and busy.value.lane == "quick"
        assert (await first)["slept"] == 0.5 and (await second)["slept"] == 0.1
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
