"""Every state a power cut can leave, rebuilt from a workload's file operations.

In the spirit of ALICE (Pillai et al., OSDI 2014) and CrashMonkey (OSDI
2018): `strace -f -y -xx` records what a workload does to the files under a
folder; `Trace` replays it on a model of the file system that keeps, for
each file, what was fsynced, and for each folder, the entries it had when it
was last fsynced. A power cut keeps only that: a file's data as of its last
fsync, a name in a folder (create, rename, mkdir, unlink) as of the folder's
last fsync. `states()` yields that state before every fsync, and a variant
with the last write before it torn in half.

The workload tells what it acknowledged by writing a JSON line to standard
output (a pipe): each state comes with the acknowledgements made before it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

TRACED = ("open,openat,creat,write,pwrite64,writev,fsync,fdatasync,rename,renameat,"
          "renameat2,mkdir,mkdirat,unlink,unlinkat,rmdir,ftruncate,lseek,close")
_CALL = re.compile(r"^(?:\d+\s+)?(\w+)\((.*)\)\s+=\s+(-?\d+)(?:<([^>]*)>)?")


class Node:
    """A file (data) or a folder (entries); a name in the model points at one."""

    def __init__(self, folder: bool, data: bytes = b"") -> None:
        self.folder = folder
        self.data = bytearray(data)
        self.durable = bytes(data)
        self.entries: dict[str, Node] = {}
        self.durable_entries: dict[str, Node] = {}


@dataclass
class Event:
    """One operation of the trace that matters to the model."""

    kind: str
    args: list[str]
    result: int
    path: str | None = None
    """The path of the returned file descriptor, from strace -y."""


@dataclass
class State:
    """What a power cut at one point leaves: files by relative path."""

    files: dict[str, bytes]
    folders: set[str]
    acknowledged: list[dict[str, object]]
    where: str
    in_flight: list[dict[str, object]] = field(default_factory=list)
    """What the operation under way will acknowledge: it may have happened
    in part, or not at all."""
    """Which point of the trace, for a failure's message."""

    def key(self) -> str:
        """The same for two states a check can't tell apart."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(self.files[name]).digest())
        digest.update(json.dumps([sorted(self.folders), self.acknowledged, self.in_flight],
                                 sort_keys=True).encode())
        return digest.hexdigest()

    def write_to(self, root: Path) -> None:
        for folder in sorted(self.folders):
            (root / folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        for name, data in self.files.items():
            (root / name).write_bytes(data)
            os.chmod(root / name, 0o600)


def _unescape(token: str) -> bytes:
    """A string argument as strace -xx prints it: "\\x41\\x42"."""
    body = token.strip()
    if body.endswith("..."):
        body = body[:-3]
    body = body.strip('"')
    return bytes.fromhex(body.replace("\\x", ""))


def _split_args(text: str) -> list[str]:
    parts, depth, quoted, current = [], 0, False, []
    index = 0
    while index < len(text):
        char = text[index]
        if quoted:
            current.append(char)
            if char == "\\":
                current.append(text[index + 1])
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
            current.append(char)
        elif char in "[{<(":
            depth += 1
            current.append(char)
        elif char in "]}>)":
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    if current:
        parts.append("".join(current).strip())
    return parts


def _fd_path(token: str) -> str | None:
    """The path strace -y gives a descriptor: `3</tmp/x>` → /tmp/x."""
    named = re.match(r"-?\d+<(.*)>$", token)
    return _unescape(named[1]).decode("utf-8", "replace") if named else None


def parse(trace: str) -> list[Event]:
    events = []
    for line in trace.splitlines():
        if "<unfinished" in line or "resumed>" in line:
            raise AssertionError(f"the workload must run on one thread: {line[:120]}")
        matched = _CALL.match(line)
        if matched is None:
            continue
        kind, args, result, path = matched.groups()
        if path is not None:
            path = _unescape(path).decode("utf-8", "replace")
        events.append(Event(kind, _split_args(args), int(result), path))
    return events


@dataclass
class Trace:
    """A workload's file operations under `root`, replayed on the model."""

    root: Path
    events: list[Event]
    initial: dict[str, bytes] = field(default_factory=dict)
    initial_folders: set[str] = field(default_factory=set)

    @classmethod
    def record(cls, root: Path, argv: list[str], env: dict[str, str]) -> tuple[Trace, str]:
        """Run `argv` under strace; the trace of what it did under `root`,
        and what it printed."""
        initial, folders = {}, set()
        for path in sorted(root.rglob("*")):
            relative = str(path.relative_to(root))
            if path.is_dir():
                folders.add(relative)
            elif path.is_file():
                initial[relative] = path.read_bytes()
        log = root.parent / f"{root.name}.strace"
        done = subprocess.run(
            [shutil.which("strace") or "strace", "-f", "-y", "-xx", "-s", "1048576",
             "-e", f"trace={TRACED}", "-o", str(log), *argv],
            capture_output=True, text=True, env=env, check=False, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"the workload failed: {done.stderr[-2000:]}")
        return cls(root, parse(log.read_text()), initial, folders), done.stdout

    def fsyncs(self) -> list[int]:
        """The positions of the fsyncs of files and folders under `root`."""
        return [number for number, event in enumerate(self.events)
                if event.kind in ("fsync", "fdatasync") and self._mine(_fd_path(event.args[0]))]

    def acknowledged_states(self, skip: int | None = None) -> list[dict[str, bytes | None]]:
        """What a cut would keep at each acknowledgement (files and folders
        by path, a folder as None): what the guarantees are about."""
        model = _Model(self.root, self.initial, self.initial_folders)
        kept = []
        for number, event in enumerate(self.events):
            if _is_ack(event):
                state = model.state([], "", [])
                kept.append({**state.files, **dict.fromkeys(state.folders)})
            elif number != skip:
                model.apply(event)
        return kept

    def _acknowledgements(self) -> list[tuple[int, list[dict[str, object]]]]:
        """Each operation's acknowledgements (written one after another, with
        no file operation between), with the position of the first."""
        groups: list[tuple[int, list[dict[str, object]]]] = []
        previous = -2
        for number, event in enumerate(self.events):
            if not _is_ack(event):
                continue
            if previous == number - 1 and groups:
                groups[-1][1].extend(_facts(event))
            else:
                groups.append((number, _facts(event)))
            previous = number
        return groups

    def _mine(self, path: str | None) -> bool:
        return path is not None and (path == str(self.root)
                                     or path.startswith(str(self.root) + os.sep))

    def states(self, skip: int | None = None) -> Iterator[State]:
        """Every state a power cut can leave, in trace order. `skip`: the
        position of one fsync to leave out (as if the code had no such call);
        then only the states from there on, as those before are the same."""
        model = _Model(self.root, self.initial, self.initial_folders)
        acknowledged: list[dict[str, object]] = []
        groups = self._acknowledgements()
        last_write: tuple[Node, int, bytes] | None = None
        for number, event in enumerate(self.events):
            if event.kind in ("fsync", "fdatasync") and number != skip and (
                    skip is None or number > skip):
                coming = next((group for at, group in groups if at > number), [])
                yield model.state(acknowledged, f"before event {number} ({event.kind})",
                                  coming)
                if last_write is not None:
                    yield model.state(acknowledged, f"event {number}, last write torn",
                                      coming, torn=last_write)
                    last_write = None
            if _is_ack(event):
                acknowledged.extend(_facts(event))
                continue
            if number == skip:
                continue
            wrote = model.apply(event)
            if wrote is not None:
                last_write = wrote
        yield model.state(acknowledged, "at the end", [])
        if last_write is not None:
            yield model.state(acknowledged, "at the end, last write torn", [], torn=last_write)


def _is_ack(event: Event) -> bool:
    return event.kind == "write" and "pipe:" in (_fd_path(event.args[0]) or "")


def _facts(event: Event) -> list[dict[str, object]]:
    return [json.loads(line) for line in _unescape(event.args[1]).decode().splitlines()
            if line.strip()]


class _Model:
    """The file system under `root` as the workload sees it, and as a power
    cut would leave it."""

    def __init__(self, root: Path, files: dict[str, bytes], folders: set[str]) -> None:
        self.root = str(root)
        self.top = Node(True)
        for folder in sorted(folders, key=len):
            parent, name = self._parent(os.path.join(self.root, folder), make=False)
            node = Node(True)
            parent.entries[name] = parent.durable_entries[name] = node
        for name, data in files.items():
            parent, leaf = self._parent(os.path.join(self.root, name), make=False)
            node = Node(False, data)
            parent.entries[leaf] = parent.durable_entries[leaf] = node
        self.fds: dict[int, list[object]] = {}

    def _relative(self, path: str) -> list[str] | None:
        if path == self.root:
            return []
        if not path.startswith(self.root + os.sep):
            return None
        return path[len(self.root) + 1:].split(os.sep)

    def _parent(self, path: str, make: bool = True) -> tuple[Node, str]:
        parts = self._relative(os.path.normpath(path))
        assert parts, path
        node = self.top
        for part in parts[:-1]:
            node = node.entries[part]
        return node, parts[-1]

    def _lookup(self, path: str) -> Node | None:
        parts = self._relative(os.path.normpath(path))
        if parts is None:
            return None
        node: Node | None = self.top
        for part in parts:
            if node is None or not node.folder:
                return None
            node = node.entries.get(part)
        return node

    def _path_arg(self, event: Event, index: int) -> str | None:
        token = event.args[index]
        if not token.startswith('"'):
            return None
        path = _unescape(token).decode()
        if not os.path.isabs(path):
            base = _fd_path(event.args[index - 1]) if index else None
            if base is None:
                return None
            path = os.path.join(base, path)
        return path if self._relative(os.path.normpath(path)) is not None else None

    def apply(self, event: Event) -> tuple[Node, int, bytes] | None:
        """Replay one operation; for a write, what it wrote where."""
        if event.result < 0:
            return None
        kind = event.kind
        if kind in ("open", "openat", "creat"):
            index = 1 if kind == "openat" else 0
            path = self._path_arg(event, index)
            if path is None or event.path is None:
                return None
            flags = event.args[index + 1] if kind != "creat" else "O_CREAT|O_TRUNC"
            node = self._lookup(path)
            if node is None:
                if "O_CREAT" not in flags:
                    return None
                parent, name = self._parent(path)
                node = parent.entries[name] = Node("O_DIRECTORY" in flags)
            if "O_TRUNC" in flags:
                node.data = bytearray()
            self.fds[event.result] = [node, 0, "O_APPEND" in flags]
        elif kind == "close":
            self.fds.pop(int(event.args[0].split("<")[0]), None)
        elif kind in ("write", "pwrite64"):
            fd = int(event.args[0].split("<")[0])
            if fd not in self.fds:
                return None
            node, offset, append = self.fds[fd]
            assert isinstance(node, Node)
            data = _unescape(event.args[1])[:event.result]
            at = int(event.args[3]) if kind == "pwrite64" else (
                len(node.data) if append else int(str(offset)))
            node.data[at:at + len(data)] = data
            if kind == "write":
                self.fds[fd][1] = at + len(data)
            return node, at, data
        elif kind == "lseek":
            fd = int(event.args[0].split("<")[0])
            if fd in self.fds:
                self.fds[fd][1] = event.result
        elif kind == "ftruncate":
            fd = int(event.args[0].split("<")[0])
            if fd in self.fds:
                node = self.fds[fd][0]
                assert isinstance(node, Node)
                del node.data[int(event.args[1]):]
        elif kind in ("fsync", "fdatasync"):
            fd = int(event.args[0].split("<")[0])
            if fd in self.fds:
                node = self.fds[fd][0]
                assert isinstance(node, Node)
                if node.folder:
                    node.durable_entries = dict(node.entries)
                else:
                    node.durable = bytes(node.data)
        elif kind in ("mkdir", "mkdirat"):
            path = self._path_arg(event, 1 if kind == "mkdirat" else 0)
            if path is not None:
                parent, name = self._parent(path)
                parent.entries[name] = Node(True)
        elif kind in ("unlink", "unlinkat", "rmdir"):
            path = self._path_arg(event, 1 if kind == "unlinkat" else 0)
            if path is not None:
                parent, name = self._parent(path)
                parent.entries.pop(name, None)
        elif kind in ("rename", "renameat", "renameat2"):
            first = 1 if kind != "rename" else 0
            second = 3 if kind != "rename" else 1
            source, target = self._path_arg(event, first), self._path_arg(event, second)
            if source is None or target is None:
                return None
            old_parent, old_name = self._parent(source)
            new_parent, new_name = self._parent(target)
            new_parent.entries[new_name] = old_parent.entries.pop(old_name)
        return None

    def state(self, acknowledged: list[dict[str, object]], where: str,
              in_flight: list[dict[str, object]],
              torn: tuple[Node, int, bytes] | None = None) -> State:
        files: dict[str, bytes] = {}
        folders: set[str] = set()

        def walk(node: Node, prefix: str) -> None:
            for name, child in node.durable_entries.items():
                path = f"{prefix}{name}"
                if child.folder:
                    folders.add(path)
                    walk(child, path + "/")
                else:
                    data = child.durable
                    if torn is not None and child is torn[0] and len(data) >= torn[1]:
                        # Half of the last write reached the disk, on top
                        # of what was fsynced: a torn append.
                        at, written = torn[1], torn[2]
                        half = written[:max(1, len(written) // 2)]
                        data = data[:at] + half + data[at + len(half):]
                    files[path] = data

        walk(self.top, "")
        return State(files, folders, list(acknowledged), where, list(in_flight))
