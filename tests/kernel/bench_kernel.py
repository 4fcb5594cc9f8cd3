"""Kernel speed with jupyter_client: time from launch to the first kernel_info reply, and the execute round trip of a
trivial cell (request sent -> execute_reply and idle status received), median of N runs after warm-up.

  JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 bench_kernel.py [--runs 50] [kernel=code ...]
default: pcaplab='var x = 6*7;' and python3='x = 6*7' (ipykernel).
"""
import statistics
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager

TIMEOUT = 60


def first_reply_seconds(km):
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    deadline = t0 + TIMEOUT
    while time.perf_counter() < deadline:
        msg_id = kc.kernel_info()
        try:
            while True:
                reply = kc.get_shell_msg(timeout=0.05)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return time.perf_counter() - t0, kc
        except Empty:
            continue
    raise TimeoutError("no kernel_info reply")


def wait_for_iopub(kc):
    """Until IOPub delivers a status for our own request: PUB/SUB drops messages sent before the subscription joins."""
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        msg_id = kc.kernel_info()
        kc.get_shell_msg(timeout=TIMEOUT)
        try:
            while True:
                m = kc.get_iopub_msg(timeout=0.2)
                if m["parent_header"].get("msg_id") == msg_id:
                    return
        except Empty:
            continue
    raise TimeoutError("IOPub never connected")


def round_trip(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    got_reply = got_idle = False
    while not (got_reply and got_idle):
        if not got_reply:
            try:
                r = kc.get_shell_msg(timeout=0.001)
                got_reply = r["parent_header"].get("msg_id") == msg_id
                if got_reply and r["content"]["status"] != "ok":
                    raise RuntimeError(r["content"])
            except Empty:
                pass
        try:
            m = kc.get_iopub_msg(timeout=0.001)
            if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                    and m["content"]["execution_state"] == "idle"):
                got_idle = True
        except Empty:
            pass
        if time.perf_counter() - t0 > TIMEOUT:
            raise TimeoutError(code)
    return time.perf_counter() - t0


def bench(kernel, code, runs):
    km = KernelManager(kernel_name=kernel)
    start, kc = first_reply_seconds(km)
    wait_for_iopub(kc)
    first = round_trip(kc, code)
    for _ in range(5):
        round_trip(kc, code)
    times = [round_trip(kc, code) for _ in range(runs)]
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return start, first, statistics.median(times), min(times)


def main():
    args = sys.argv[1:]
    runs = 50
    if args[:1] == ["--runs"]:
        runs, args = int(args[1]), args[2:]
    pairs = [a.split("=", 1) for a in args] or [["pcaplab", "var x = 6*7;"], ["python3", "x = 6*7"]]
    print(f"{'kernel':<12} {'code':<16} {'first reply':>12} {'first cell':>11} {'median rt':>10} {'min rt':>8}")
    for kernel, code in pairs:
        start, first, med, best = bench(kernel, code, runs)
        print(f"{kernel:<12} {code:<16} {start * 1000:>10.0f}ms {first * 1000:>9.0f}ms {med * 1000:>8.1f}ms {best * 1000:>6.1f}ms")


if __name__ == "__main__":
    main()
