"""Prometheus metrics of the sync server (`GET /metrics`, text format): requests by route and
status, push and pull latency, operations received by result, conflicts found, the log's head and
the active devices. Labels carry routes, statuses and results only: never a name, a device or free
text. With several worker processes (`serve --workers N`) the processes share their counts through
PROMETHEUS_MULTIPROC_DIR, which `serve` sets up."""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
ROUTES = frozenset({"/v1/health", "/v1/openapi.json", "/v1/enrol", "/v1/push", "/v1/pull", "/metrics"})

REQUESTS = Counter("vsm_requests_total", "HTTP requests by route and status", ["route", "status"])
PUSH_SECONDS = Histogram("vsm_push_seconds", "Time to answer a push", buckets=LATENCY_BUCKETS)
PUSH_LOCK_SECONDS = Histogram("vsm_push_lock_seconds",
                              "Time a push holds the serialising lock (numbering and inserting, to the commit)",
                              buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0))
PULL_SECONDS = Histogram("vsm_pull_seconds", "Time to answer a pull", buckets=LATENCY_BUCKETS)
OPERATIONS = Counter("vsm_operations_total", "Operations received in pushes, by result", ["result"])
CONFLICTS = Counter("vsm_conflicts_total",
                    "Concurrent changes found (each is kept open on its authors' devices until a person resolves it)")
HEAD = Gauge("vsm_log_head", "The server's last sequence number", multiprocess_mode="livemostrecent")
DEVICES = Gauge("vsm_devices_active", "Enrolled devices not revoked", multiprocess_mode="livemostrecent")
SETTLED = Counter("vsm_conflicts_settled_total",
                  "Conflicts named as settled by a resolving change (found minus settled: about how many are open)")


def observe_request(path: str, status: int, seconds: float) -> None:
    route = path if path in ROUTES else "other"
    REQUESTS.labels(route, str(status)).inc()
    if route == "/v1/push":
        PUSH_SECONDS.observe(seconds)
    elif route == "/v1/pull":
        PULL_SECONDS.observe(seconds)


def observe_push(ops: list[dict], results: list[dict]) -> None:
    counts: dict[str, int] = {}
    settled = 0
    for op, r in zip(ops, results):
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        if r["status"] in ("applied", "conflict", "superseded") and op.get("resolves"):
            settled += len(op["resolves"])
    for status, n in counts.items():  # once per status, not per operation (a first push has thousands)
        OPERATIONS.labels(status).inc(n)
    if counts.get("conflict"):
        CONFLICTS.inc(counts["conflict"])
    if settled:
        SETTLED.inc(settled)


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
