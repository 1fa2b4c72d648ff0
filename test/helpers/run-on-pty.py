#!/usr/bin/env python3
"""Runs a program on a real pseudo-terminal and answers its prompts, like a person would.

usage: run-on-pty.py SCRIPT_JSON [--size ROWSxCOLS] [--max-bytes N] [--exit-timeout S] -- PROGRAM [ARGS...]
SCRIPT_JSON is a list of steps: {"expect": "<regex>", "send": "<text>"}; a step waits (up to its
"timeout", default 20 s) until the screen output since the previous step matches, then types (or,
with "signal": "SIGTERM" in place of "send", sends the program that signal; with "hangup": true,
closes the terminal, as closing its window does: the kernel sends the program SIGHUP, and its
reads and writes on the terminal fail from then on; nothing more is read of it). With "screen": true,
a step records what the terminal shows once the program has stopped writing, before it types: the
rows of its screen and where its cursor is, as a VT100 terminal draws the output (see Screen).
Prints one JSON object: {"exitCode", "signal", "transcript", "modes", "failedStep", "stepSeconds", "screens"}, where
stepSeconds[i] is the time from just before the program started until step i matched (the
benchmark uses it to time the first prompt without counting Python's own start-up).
The terminal is 40x120 unless --size says otherwise (0x0 is a pty whose size was never set, as
`script` makes without a terminal of its own). After the last step the program has --exit-timeout
seconds (default 60) to exit, and may write at most --max-bytes (default 64 MiB); past either it is
killed and "killed" says why, so a program that hangs or floods the terminal fails a test quickly.
Python's pty module is used because it needs no native build (node-pty does).
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\r")


class Screen:
    """The screen of a VT100-like terminal: what the prompts draw with (text, line breaks, autowrap at
    the last column, cursor moves up/down/to a column, erase line/screen); other codes are ignored."""

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.lines = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0
        self.wrap_next = False  # a character written in the last column: the next one starts a row

    def line_feed(self) -> None:
        if self.row == self.rows - 1:
            self.lines = self.lines[1:] + [[" "] * self.cols]
        else:
            self.row += 1

    def control(self, params: str, final: str) -> None:
        if params.startswith("?"):
            return
        numbers = [int(p) if p else 0 for p in params.split(";")] if params else []
        n = (numbers[0] if numbers else 0) or 1
        self.wrap_next = False
        if final == "A":
            self.row = max(0, self.row - n)
        elif final == "B":
            self.row = min(self.rows - 1, self.row + n)
        elif final == "C":
            self.col = min(self.cols - 1, self.col + n)
        elif final == "D":
            self.col = max(0, self.col - n)
        elif final == "G":
            self.col = min(self.cols - 1, n - 1)
        elif final == "E":
            self.row, self.col = min(self.rows - 1, self.row + n), 0
        elif final == "F":
            self.row, self.col = max(0, self.row - n), 0
        elif final == "K" or final == "J":
            mode = numbers[0] if numbers else 0
            line = self.lines[self.row]
            start, end = (self.col, self.cols) if mode == 0 else (0, self.col + 1) if mode == 1 else (0, self.cols)
            line[start:end] = [" "] * (end - start)
            if final == "J" and mode == 0:
                self.lines[self.row + 1 :] = [[" "] * self.cols for _ in self.lines[self.row + 1 :]]
            elif final == "J" and mode == 2:
                self.lines = [[" "] * self.cols for _ in self.lines]

    def feed(self, text: str) -> None:
        for m in re.finditer(r"\x1b\[([0-9;?]*)[ -/]*([@-~])|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b.|([^\x1b])", text, re.S):
            if m.group(2):
                self.control(m.group(1), m.group(2))
            ch = m.group(3)
            if ch is None:
                continue
            if ch == "\r":
                self.col, self.wrap_next = 0, False
            elif ch == "\n":
                self.line_feed()
                self.wrap_next = False
            elif ch == "\b":
                self.col, self.wrap_next = max(0, self.col - 1), False
            elif ord(ch) >= 32:
                if self.wrap_next:
                    self.col, self.wrap_next = 0, False
                    self.line_feed()
                self.lines[self.row][self.col] = ch
                if self.col == self.cols - 1:
                    self.wrap_next = True
                else:
                    self.col += 1

    def shown(self) -> dict:
        return {"rows": ["".join(line).rstrip() for line in self.lines], "cursor": [self.row, self.col]}


def main() -> None:
    sep = sys.argv.index("--")
    steps = json.loads(sys.argv[1])
    options = dict(zip(sys.argv[2:sep:2], sys.argv[3:sep:2]))
    rows, cols = (int(n) for n in options.get("--size", "40x120").split("x"))
    max_bytes = int(options.get("--max-bytes", 64 * 1024 * 1024))
    exit_timeout = float(options.get("--exit-timeout", 60))
    argv = sys.argv[sep + 1 :]
    started = time.monotonic()
    step_seconds = []
    screens = []
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    raw = b""
    seen = 0  # screen text consumed by earlier steps
    failed = None
    killed = None
    hung_up = False

    def pump(deadline: float) -> bool:
        nonlocal raw
        wait = max(0.0, deadline - time.time())
        ready, _, _ = select.select([fd], [], [], min(wait, 0.1))
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            raw += chunk
        return True

    for index, step in enumerate(steps):
        deadline = time.time() + step.get("timeout", 20)
        pattern = re.compile(step["expect"])
        matched = False
        while time.time() < deadline:
            text = ANSI.sub("", raw.decode("utf-8", "replace"))
            m = pattern.search(text, seen)
            if m:
                seen = m.end()
                matched = True
                step_seconds.append(time.monotonic() - started)
                break
            if not pump(deadline):
                break
        if not matched:
            failed = index
            break
        time.sleep(step.get("delay", 0.05))
        if step.get("screen"):
            settled = time.time() + 10
            while time.time() < settled and select.select([fd], [], [], 0.2)[0] and pump(settled):
                pass
            screen = Screen(rows or 24, cols or 80)
            screen.feed(raw.decode("utf-8", "replace"))
            screens.append(screen.shown())
        if step.get("hangup"):
            os.close(fd)
            hung_up = True
            break
        if "signal" in step:
            os.kill(pid, getattr(signal, step["signal"]))
        else:
            os.write(fd, step["send"].encode())

    deadline = time.time() + exit_timeout
    status = None
    while hung_up:
        done, waited = os.waitpid(pid, os.WNOHANG)
        if done:
            status = waited
            break
        if time.time() >= deadline:
            killed = f"still running {exit_timeout:g} s after the hang-up"
            break
        time.sleep(0.05)
    while not hung_up and pump(deadline):
        if len(raw) > max_bytes:
            killed = f"wrote more than {max_bytes} bytes"
            break
        if time.time() >= deadline:
            killed = f"still running {exit_timeout:g} s after the last step"
            break
    if failed is not None or killed is not None:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    if status is None:
        _, status = os.waitpid(pid, 0)
    exited = time.monotonic()
    print(json.dumps({
        "exitCode": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "transcript": ANSI.sub("", raw.decode("utf-8", "replace")),
        # Colour and style codes (SGR) the program wrote, which the transcript leaves out.
        "styleCodes": len(re.findall(rb"\x1b\[[0-9;]*m", raw)),
        # The terminal modes it set and reset, in order (e.g. "?2004h" bracketed paste on, "?25l"
        # cursor hidden), to check what it left the terminal in.
        "modes": [m.decode() for m in re.findall(rb"\x1b\[(\?[0-9;]+[hl])", raw)],
        "failedStep": failed,
        "killed": killed,
        "stepSeconds": step_seconds,
        "screens": screens,
        "exitSeconds": exited - started,
    }))


if __name__ == "__main__":
    main()
