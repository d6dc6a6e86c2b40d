"""The console channel: `entraide chat --phone …` talks to the core as that person.

For trials and for training volunteers: the same handlers, the same texts as SMS (choices are
numbered), and messages the service sends to that person outside a reply (an approval, a round,
an alert) appear in the terminal as they would arrive on a phone.
"""

from __future__ import annotations

import sys
import threading
import uuid
from typing import TextIO

from bot.channels.render import plain
from bot.service import Service
from handlers.types import Inbound, Reply
from models.base import Channel
from scheduler.outbox_rows import take_pending

CHANNEL = Channel.CONSOLE.value


class ConsoleChat:
    def __init__(self, service: Service, phone: str, out: TextIO = sys.stdout) -> None:
        self.service, self.phone, self.out = service, phone, out
        self._lock = threading.Lock()

    def send(self, text: str) -> list[str]:
        """One line typed by the person; the lines the bot answers."""
        msg = Inbound(
            channel=CHANNEL,
            external_id=uuid.uuid4().hex,
            address=self.phone,
            phone=self.phone,
            text=text,
            received_at=self.service.ctx.now(),
        )
        outcome = self.service.handle_now(msg)
        return [plain(r) for r in outcome.replies]

    def inbox(self) -> list[str]:
        """Messages waiting for this person on the console channel, marked delivered."""
        with self._lock:
            payloads = self.service.rt.db.call(
                take_pending, CHANNEL, self.phone, self.service.ctx.now()
            )
        return [plain(Reply.from_json(p)) for p in payloads]

    def print_inbox(self) -> None:
        for text in self.inbox():
            self.out.write(f"[message] {text}\n")
        self.out.flush()

    def run(self, lines: TextIO, interactive: bool) -> None:
        stop = threading.Event()
        if interactive:
            threading.Thread(target=self._poll, args=(stop,), daemon=True).start()
        self.print_inbox()
        try:
            while True:
                if interactive:
                    self.out.write("> ")
                    self.out.flush()
                raw = lines.readline()
                if not raw:
                    break
                text = raw.rstrip("\r\n")
                if interactive and text.strip() in ("/quit", "/exit"):
                    break
                for reply in self.send(text):
                    self.out.write(reply + "\n")
                self.print_inbox()
                self.out.flush()
        finally:
            stop.set()

    def _poll(self, stop: threading.Event) -> None:
        while not stop.wait(2.0):
            texts = self.inbox()
            if texts:
                self.out.write("\n" + "".join(f"[message] {t}\n" for t in texts) + "> ")
                self.out.flush()
