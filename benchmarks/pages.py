"""Every main page's median time as a multiple of a bare Django view, with query count and HTML size, at 1× and N×.

    nice -n 19 .venv/bin/python benchmarks/pages.py [--scale 1 10 100] [--runs 15] [--warmups 3] [--keep DIR]

N× means N times the Nordre Land plan's rows in the one programme the pages show (see benchmarks/pagebench.py:
`demo.datagen.generate(N)`, then the generated programmes merged into the seed). Runs on a throw-away SQLite
database in a temporary folder (never var/portefolje.sqlite3), or, with DATABASE_URL=postgres://…/, in a
throw-away PostgreSQL database next to it. Each page is requested through Django's test Client in this process,
logged in as the project leader, with DEBUG off; after --warmups requests of each, the page and the bare view
(`/bench/bare/`, benchmarks/urls.py: same URL resolver and middleware, no app work) are requested alternately
--runs times, so that noise from other processes falls on both. Prints per page: median ms, the ratio
median(page) / median(bare view), queries of one request, HTML size in KB; and the targets of issue #19 (every
main page ≤ 30× the bare view at 1×, the dashboard ≤ 20×; at 100×, ≤ 100 ms and ≤ 300 KB). A benchmark, not a test:
it never fails on a target, it marks the misses with «!».
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import pagebench  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    pagebench.common_arguments(parser, [1, 10])
    parser.add_argument("--runs", type=int, default=15, help="alternated measured requests per page (default 15)")
    parser.add_argument("--warmups", type=int, default=3, help="unmeasured requests per page first (default 3)")
    parser.add_argument("--only", nargs="*", help="only the pages whose label contains one of these words")
    args = parser.parse_args()
    scales = sorted(set(args.scale))

    pagebench.setup_django(args.keep)

    print(f"Database: {pagebench.database_label()}", flush=True)
    pagebench.prepare_seed(args.seed)
    results = {}
    for scale in scales:
        pagebench.reach_scale(scale, args.seed, max(scales))
        counts = pagebench.row_counts()
        print(f"\n{scale}×: " + ", ".join(f"{v} {k}" for k, v in counts.items()), flush=True)
        results[scale] = measure_all(args)
        print_table(scale, results[scale], args)
        sys.stdout.flush()
    print_targets(results)
    print("\n" + pagebench.noise_note())


def timed_get(client, url: str) -> tuple[float, object]:
    import time

    started = time.perf_counter()
    response = client.get(url)
    return time.perf_counter() - started, response


class QueryCounter:
    """An execute wrapper that counts the queries of a request (with DEBUG off, Django keeps no query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure_all(args) -> list[dict]:
    import statistics

    from django.db import connection

    client = pagebench.logged_in_client()
    pages = pagebench.page_urls()
    if args.only:
        pages = [(label, url) for label, url in pages if any(w.lower() in label.lower() for w in args.only)]
    rows = []
    with pagebench.measuring():
        for label, url in pages:
            for _ in range(args.warmups):
                client.get(url)
                client.get(pagebench.BARE_URL)
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response = client.get(url)
            if response.status_code != 200:
                print(f"  {label}: HTTP {response.status_code} ({url})", flush=True)
                continue
            page_times, bare_times = [], []
            for i in range(args.runs):
                # Alternate the order too, so neither always follows the other.
                order = [(url, page_times), (pagebench.BARE_URL, bare_times)]
                for target, times in order if i % 2 == 0 else reversed(order):
                    seconds, answer = timed_get(client, target)
                    assert answer.status_code == 200, (target, answer.status_code)
                    times.append(seconds)
            row = {
                "label": label,
                "url": url,
                "ms": statistics.median(page_times) * 1000,
                "bare_ms": statistics.median(bare_times) * 1000,
                "queries": counter.count,
                "kb": len(response.content) / 1024,
            }
            row["ratio"] = row["ms"] / row["bare_ms"]
            rows.append(row)
            print(f"  {label:<22} {row['ms']:8.1f} ms {row['ratio']:6.0f}×", flush=True)
    return rows


def print_table(scale: int, rows: list[dict], args) -> None:
    bare = sorted(r["bare_ms"] for r in rows)
    print(
        f"\n{scale}× — median av {args.runs} vekselvise visninger etter {args.warmups} oppvarminger, som prosjektleder"
    )
    print(f"bar visning (median over sidene): {bare[len(bare) // 2]:.2f} ms")
    print(f"{'side':<22} {'median':>9} {'× bar':>7} {'spørringer':>10} {'HTML':>9}")
    for r in rows:
        print(f"{r['label']:<22} {r['ms']:6.1f} ms {r['ratio']:6.0f}× {r['queries']:>10} {r['kb']:6.0f} KB")


def print_targets(results: dict[int, list[dict]]) -> None:
    """The targets of issue #19, one line per miss, marked «!»."""
    print("\nMål (issue #19): 1×: hver side ≤ 30× bar visning, oversikten ≤ 20×; 100×: ≤ 100 ms og ≤ 300 KB")
    for scale, rows in results.items():
        if scale not in (1, 100):
            continue
        misses = []
        for r in rows:
            if scale == 1:
                limit = 20 if r["label"].startswith("Oversikt") else 30
                if r["ratio"] > limit:
                    misses.append(f"{r['label']}: {r['ratio']:.1f}× (mål ≤ {limit}×)")
            else:
                over = [f"{r['ms']:.0f} ms" if r["ms"] > 100 else "", f"{r['kb']:.0f} KB" if r["kb"] > 300 else ""]
                if any(over):
                    misses.append(f"{r['label']}: {', '.join(o for o in over if o)}")
        print(f"  {scale}×: {len(rows) - len(misses)} av {len(rows)} sider innenfor")
        for miss in misses:
            print(f"    ! {miss}")


if __name__ == "__main__":
    main()
