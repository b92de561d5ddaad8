"""Combining reports of one adapter produced in parts (--jobs) or on several
machines (--shard + --merge) into one report, as if from a single run."""

from .errors import InputError

STATUSES = ("PASS", "FAIL", "TIMEOUT", "CRASH", "ERROR", "SKIP", "FLAKY")


def summarize(results: list) -> dict:
    by_status = {status: 0 for status in STATUSES}
    for result in results:
        by_status[result["status"]] = by_status.get(result["status"], 0) + 1
    unexpected = [r["case_id"] for r in results if r["unexpected"]]
    return {"total": len(results), "by_status": by_status, "unexpected": len(unexpected), "unexpected_cases": unexpected}


def merge_reports(reports: list, sources: list, wall_ms: float = None) -> dict:
    if not reports:
        raise InputError("nothing to merge")
    names = {r.get("adapter", {}).get("name") for r in reports}
    if len(names) != 1:
        raise InputError(f"cannot merge reports of different adapters: {', '.join(sorted(map(str, names)))}")
    seen = {}
    results = []
    for report, source in zip(reports, sources):
        for result in report["results"]:
            if result["case_id"] in seen:
                raise InputError(f"{source}: /results: case {result['case_id']} is also in {seen[result['case_id']]}")
            seen[result["case_id"]] = source
            results.append(result)
    results.sort(key=lambda r: r["case_id"])
    first = reports[0]
    merged = dict(first)
    merged["run"] = dict(first["run"])
    merged["run"]["started_at"] = min(r["run"]["started_at"] for r in reports)
    merged["run"]["finished_at"] = max(r["run"]["finished_at"] for r in reports)
    merged["run"]["duration_ms"] = wall_ms if wall_ms is not None else sum(r["run"]["duration_ms"] for r in reports)
    merged["run"]["options"] = dict(first["run"]["options"])
    merged["run"]["options"]["parts"] = [r["run"]["options"].get("part") or r["run"]["options"].get("shard") for r in reports]
    merged["results"] = results
    merged["summary"] = summarize(results)
    return merged
