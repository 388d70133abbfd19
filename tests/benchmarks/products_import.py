"""Bulk import throughput: rows/s of ``commerce import-products``' code path on a large
generated CSV file, first into an empty catalog (every row created), then the same file
again (every row unchanged), then with every price changed (every row updated).

The file comes from the demo generator; the import runs against a scratch database
(see products_catalog) holding the demo category tree. Peak RSS is printed before and
after, to show that memory does not grow with the file.

Usage: python -m tests.benchmarks.products_import [--products 100000] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import resource
import tempfile
import time
from pathlib import Path

import asyncpg

from shared.database import create_engine, session_factory
from shared.settings import Settings
from subgraphs.products import importer
from subgraphs.products.demo import demo_products
from subgraphs.products.import_rows import ImportFormat
from tests.benchmarks.products_catalog import load_categories, scratch_database

HEADER = ("sku", "name", "description", "price", "status", "categories", "tags", "attributes")


def write_csv(path: Path, count: int, *, price_change: str = "0") -> None:
    """``count`` demo products as a CSV file, written row by row."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for item in demo_products(count):
            writer.writerow(
                (
                    item.sku,
                    item.name,
                    item.description,
                    item.price + int(price_change),
                    "active",
                    item.category_slug,
                    "|".join(item.tags),
                    json.dumps(item.attributes),
                )
            )


async def timed_import(settings: Settings, path: Path) -> importer.ImportReport:
    engine = create_engine(settings, "products")
    try:
        started = time.perf_counter()
        async with session_factory(engine)() as db:
            with path.open("rb") as file:
                report = await importer.import_file(db, file, ImportFormat.CSV, actor="benchmark")
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    print(
        f"  {report.rows} rows in {seconds:6.1f} s = {report.rows / seconds:7.0f} rows/s"
        f"  (created {report.created}, updated {report.updated},"
        f" unchanged {report.unchanged}, rejected {report.rejected});"
        f" peak RSS {peak_rss_mib():.0f} MiB"
    )
    return report


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(products: int, keep: bool) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path, changed = Path(directory) / "products.csv", Path(directory) / "changed.csv"
        write_csv(path, products)
        write_csv(changed, products, price_change="1")
        size = path.stat().st_size / 2**20
        print(f"{products} products, {size:.1f} MiB of CSV; peak RSS {peak_rss_mib():.0f} MiB")
        async with scratch_database(keep=keep) as scratch:
            connection = await asyncpg.connect(scratch.url)
            try:
                await load_categories(connection)
            finally:
                await connection.close()
            print("into an empty catalog:")
            await timed_import(scratch.settings, path)
            print("the same file again:")
            await timed_import(scratch.settings, path)
            print("every price changed:")
            await timed_import(scratch.settings, changed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    asyncio.run(main(args.products, args.keep))
