"""Writing the synthetic archive: HTML pages in folders of 1,000, the same pages as WARC files.

Deterministic: article ``i`` depends only on the seed and ``i``, so the first 1,000 articles
of a 10,000-article archive are the 1,000-article archive. Layout under the root::

    pages/000/<outlet>/<n>.html   1,000 pages per shard
    warc/000.warc.gz              the same 1,000 pages as WARC response records
    manifest.jsonl                per article: shard, path, URL, embedded post keys
    posts.jsonl                   the post pool: key, platform, text, language

``manifest.jsonl`` and ``posts.jsonl`` sit beside the archive folders, never inside them.
"""

from __future__ import annotations

import io
import json
import math
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import pages, posts

SHARD = 1000
POOL_SIZE = 3000
EMBED_SHARE = 0.3
MIN_BYTES, MAX_BYTES = 30_000, 200_000
_EMBED_COUNTS = (1, 2, 3, 4, 5)
_EMBED_COUNT_WEIGHTS = (40, 25, 15, 12, 8)
_CRAWLED = datetime(2024, 12, 2, 3, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Archive:
    root: Path
    articles: int

    @property
    def shards(self) -> list[str]:
        return [f"{n:03d}" for n in range(math.ceil(self.articles / SHARD))]

    @property
    def page_folders(self) -> list[Path]:
        return [self.root / "pages" / shard for shard in self.shards]

    @property
    def warc_files(self) -> list[Path]:
        return [self.root / "warc" / f"{shard}.warc.gz" for shard in self.shards]

    def manifest(self) -> Iterator[dict[str, object]]:
        with (self.root / "manifest.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                entry = json.loads(line)
                if entry["index"] < self.articles:
                    yield entry

    def pool(self) -> dict[str, dict[str, object]]:
        with (self.root / "posts.jsonl").open(encoding="utf-8") as lines:
            return {entry["key"]: entry for entry in map(json.loads, lines)}

    def size_bytes(self) -> int:
        return sum(
            path.stat().st_size for folder in self.page_folders for path in folder.rglob("*.html")
        )


def generate(root: Path, articles: int, seed: int = 1, jobs: int = 2) -> Archive:
    """Write (or complete) the archive of ``articles`` articles under ``root``.

    Shards already written with the same seed are kept, so a bigger archive reuses a
    smaller one's files.
    """
    if articles % SHARD and articles > SHARD:
        raise ValueError(f"more than {SHARD} articles must be a multiple of {SHARD}")
    root.mkdir(parents=True, exist_ok=True)
    stamp = root / "seed.txt"
    if stamp.exists() and stamp.read_text() != str(seed):
        raise ValueError(f"{root} holds an archive made with another seed")
    stamp.write_text(str(seed))
    archive = Archive(root, articles)
    shard_size = min(articles, SHARD)
    todo = [
        shard
        for shard in range(len(archive.shards))
        if not (root / "pages" / f"{shard:03d}.done").exists()
        or (root / "pages" / f"{shard:03d}.done").read_text() != str(shard_size)
    ]
    work = [(root, seed, shard, shard_size) for shard in todo]
    if len(work) > 1 and jobs > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
            list(pool.map(_write_shard, work))
    else:
        for job in work:
            _write_shard(job)
    with (root / "posts.jsonl").open("w", encoding="utf-8") as out:
        for post in _pool(seed):
            entry = {"key": post.key, "platform": post.platform, "text": post.text}
            out.write(json.dumps({**entry, "lang": post.lang}) + "\n")
    with (root / "manifest.jsonl").open("w", encoding="utf-8") as out:
        for shard in range(len(archive.shards)):
            part = root / "pages" / f"{shard:03d}.manifest.jsonl"
            out.write(part.read_text(encoding="utf-8"))
    return archive


def _pool(seed: int) -> list[posts.PoolPost]:
    return posts.make_pool(POOL_SIZE, random.Random(f"pool:{seed}"))


def _write_shard(job: tuple[Path, int, int, int]) -> None:
    root, seed, shard, size = job
    setup = random.Random(f"setup:{seed}")
    outlets = pages.make_outlets(setup)
    bank = pages.feed_items(setup)
    pool = _pool(seed)
    # Popular posts are embedded again and again (Zipf-like), the long tail once or never.
    cumulative = []
    total = 0.0
    for rank in range(len(pool)):
        total += 1 / (rank + 1) ** 0.9
        cumulative.append(total)
    folder = root / "pages" / f"{shard:03d}"
    (root / "warc").mkdir(parents=True, exist_ok=True)
    entries = []
    with open(root / "warc" / f"{shard:03d}.warc.gz", "wb") as warc_file:
        writer = WARCWriter(warc_file, gzip=True)
        for index in range(shard * SHARD, shard * SHARD + size):
            rng = random.Random(f"article:{seed}:{index}")
            outlet = rng.choice(outlets)
            chosen: list[posts.PoolPost] = []
            if rng.random() < EMBED_SHARE:
                count = rng.choices(_EMBED_COUNTS, _EMBED_COUNT_WEIGHTS)[0]
                for post in rng.choices(pool, cum_weights=cumulative, k=count):
                    if post not in chosen:
                        chosen.append(post)
            published = datetime(2024, 11, 1, tzinfo=UTC) + timedelta(
                seconds=rng.randrange(30 * 86400)
            )
            target = int(math.exp(rng.uniform(math.log(MIN_BYTES), math.log(MAX_BYTES))))
            embeds = [posts.embed(post, rng) for post in chosen]
            text, url = pages.page(outlet, rng, published, embeds, target, bank)
            body = text.encode("utf-8")
            path = folder / outlet.domain.split(".")[0] / f"{index:06d}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            write_record(writer, url, body, _CRAWLED + timedelta(seconds=index))
            entries.append(
                {
                    "index": index,
                    "shard": shard,
                    "path": str(path.relative_to(root)),
                    "url": url,
                    "bytes": len(body),
                    "posts": [post.key for post in chosen],
                }
            )
    (root / "pages" / f"{shard:03d}.manifest.jsonl").write_text(
        "".join(json.dumps(entry) + "\n" for entry in entries), encoding="utf-8"
    )
    (root / "pages" / f"{shard:03d}.done").write_text(str(size))


def write_record(writer: WARCWriter, url: str, body: bytes, crawled: datetime) -> None:
    date = crawled.strftime("%Y-%m-%dT%H:%M:%SZ")
    request = writer.create_warc_record(
        url,
        "request",
        payload=io.BytesIO(
            f"GET /{url.split('/', 3)[3]} HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n"
            "User-Agent: Mozilla/5.0 (compatible; archiver)\r\n\r\n".encode()
        ),
        warc_headers_dict={"WARC-Date": date},
    )
    headers = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Server", "nginx"),
            ("Cache-Control", "max-age=60"),
        ],
        protocol="HTTP/1.1",
    )
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(response)
    writer.write_record(request)
