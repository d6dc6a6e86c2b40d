"""A large residence for load benchmarks: N tenants with phones and Telegram ids, written
through the same domain operation as the CSV import, plus the sender files the shared load
generator reads (`--senders`).

    python bench/residence.py --tenants 3000 --out bench/out
(uses ENTRAIDE_DATABASE_URL and ENTRAIDE_CONFIG like every entraide command)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.runtime import open_runtime
from models.base import Role
from models.people import PersonData, upsert

FIRST_PHONE = 33_610_000_000
FIRST_TG = 100_000_000


def fill(n: int, out: Path | None, settings: object = None) -> tuple[Path, Path] | None:
    rt = open_runtime(settings)  # type: ignore[arg-type]
    try:
        site_id = rt.site_id()
        with rt.db.transaction() as session:
            for i in range(n):
                upsert(
                    session,
                    PersonData(
                        name=f"Locataire {i}",
                        phone=f"+{FIRST_PHONE + i}",
                        site_id=site_id,
                        telegram_id=FIRST_TG + i,
                        roles={Role.TENANT},
                        tenant={
                            "building": "ABCDEFGH"[i % 8],
                            "floor": i % 10,
                            "apartment": str(i),
                        },
                    ),
                    rt.clock,
                )
    finally:
        rt.close()
    if out is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    sms, tg = out / "senders_sms.txt", out / "senders_telegram.txt"
    sms.write_text("".join(f"+{FIRST_PHONE + i}\n" for i in range(n)))
    tg.write_text("".join(f"{FIRST_TG + i}\n" for i in range(n)))
    return sms, tg


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tenants", type=int, default=3000)
    p.add_argument("--out", default="bench/out")
    args = p.parse_args()
    files = fill(args.tenants, Path(args.out))
    assert files is not None
    sms, tg = files
    print(f"{args.tenants} tenants; senders in {sms} and {tg}")


if __name__ == "__main__":
    main()
