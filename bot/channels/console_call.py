"""A phone call in the terminal: `entraide call --phone …` holds the conversation a caller would.

For trials and training: the same core turns (`handlers.voice_flow`) as a real call, printed
instead of spoken. A line of words is what the caller says (heard with full confidence; start
it with "?" to pretend the recogniser was unsure), a line of digits is keys pressed, an empty
line is silence. The call ends when the bot hangs up.
"""

from __future__ import annotations

import sys
import uuid
from typing import TextIO

from bot.service import Service
from handlers.voice_inbound import handle_call_safely
from handlers.voice_types import CallEvent, VoiceTurn

UNSURE = 0.2  # the confidence of a line starting with "?"


class ConsoleCall:
    def __init__(self, service: Service, phone: str, out: TextIO = sys.stdout) -> None:
        self.service, self.phone, self.out = service, phone, out
        self.sid = "CA" + uuid.uuid4().hex

    def turn(self, event: CallEvent) -> VoiceTurn:
        return handle_call_safely(self.service.rt.db.call, self.service.ctx, event)

    def start(self) -> VoiceTurn:
        return self.turn(CallEvent(self.sid, self.phone, "start"))

    def answer(self, turn: VoiceTurn, line: str) -> VoiceTurn:
        """What the caller typed, as the webhook Twilio would post after `turn`."""
        text = line.strip()
        if turn.record:
            url = f"console:{text}" if text else ""
            event = CallEvent(
                self.sid, self.phone, "recorded", recording_url=url, recording_seconds=len(text)
            )
            return self.turn(event)
        confidence = 1.0
        if text.startswith("?"):
            text, confidence = text[1:].strip(), UNSURE
        digits = text if text.isdigit() else ""
        speech = "" if digits or turn.listen == "keys" else text
        event = CallEvent(
            self.sid,
            self.phone,
            "gather",
            n=turn.next_step,
            speech=speech,
            confidence=confidence if speech else None,
            digits=digits,
        )
        return self.turn(event)

    def show(self, turn: VoiceTurn) -> None:
        for sentence in turn.say:
            self.out.write(f"[bot] {sentence}\n")
        if turn.record:
            self.out.write("[bip] (leave your message on one line)\n")
        elif not turn.listen:
            self.out.write("[the bot hangs up]\n")
        self.out.flush()

    def run(self, lines: TextIO, interactive: bool) -> None:
        turn = self.start()
        self.show(turn)
        while turn.listen or turn.record:
            if interactive:
                self.out.write("keys> " if turn.listen == "keys" else "> ")
                self.out.flush()
            raw = lines.readline()
            if not raw:  # the caller hung up
                self.out.write("[the caller hangs up]\n")
                return
            turn = self.answer(turn, raw.rstrip("\r\n"))
            self.show(turn)
