"""Open a ZIP file, a ``.tar.gz`` or a folder as one :class:`Archive`: names, and a stream per file.

Bytes are counted as they are read from disk, so a progress bar over the archive's size (a
folder's: the sum of its files') moves as the import reads and ends full: what was never read
(media, skipped files) is counted when the archive is closed after a successful import.

A missing path, something that is no archive, a damaged container and a damaged member are
each one :class:`~purposely.errors.InputError` line naming the archive or the member.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from purposely.errors import InputError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

Progress = Callable[[int], None]

_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_BUFFER = 1 << 16
# What a damaged member raises while it is opened or read: ZIP (CRC, bad header, inflate,
# cut off), tar and gzip (an OSError); RuntimeError for an encrypted ZIP member, and its
# subclass NotImplementedError for an unknown compression method.
_READ_ERRORS = (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError, RuntimeError)


class _Meter:
    """Tells ``progress`` how many bytes of the archive were read, never more than its size."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self._total = total
        self._sent = 0

    def __call__(self, n: int) -> None:
        """``n`` more bytes were read from disk."""
        # A ZIP's directory is read twice and a .tar.gz is decompressed again from its start
        # to reach a member, so more bytes can be read than the archive holds; the bar must
        # still end at 100 %.
        step = min(n, self._total - self._sent)
        if step > 0 and self._progress is not None:
            self._sent += step
            self._progress(step)

    def finish(self) -> None:
        """Count what was decided without being read (skipped files) as done."""
        self(self._total - self._sent)


class MemberStream:
    """The bytes of one file of an archive; damage found while reading is an InputError
    naming the file."""

    def __init__(self, stream: IO[bytes], origin: str) -> None:
        self._stream = stream
        self._origin = origin

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes (all that is left if negative)."""
        try:
            return self._stream.read(size)
        except _READ_ERRORS as exc:
            raise InputError(f"{self._origin}: cannot read: {_one_line(exc)}") from None

    def close(self) -> None:
        """Close the file (not the archive)."""
        self._stream.close()

    def __enter__(self) -> MemberStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Archive(ABC):
    """The regular files of a ZIP, a .tar.gz or a folder, by ``/``-separated name."""

    def __init__(self, path: Path, names: Iterable[str], separator: str = ":") -> None:
        self.path = path
        self.names = sorted(names)
        self._separator = separator

    def origin(self, name: str) -> str:
        """How messages and records name the file ``name``: ``archive.zip:data/tweets.js``."""
        return f"{self.path}{self._separator}{name}"

    def open(self, name: str) -> MemberStream:
        """A binary stream of the file ``name``, decompressed as it is read."""
        try:
            stream = self._open(name)
        except _READ_ERRORS as exc:
            raise InputError(f"{self.origin(name)}: cannot read: {_one_line(exc)}") from None
        return MemberStream(stream, self.origin(name))

    @abstractmethod
    def _open(self, name: str) -> IO[bytes]: ...


class _ZipArchive(Archive):
    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self._members = {_normal(i.filename): i for i in archive.infolist() if not i.is_dir()}
        super().__init__(path, self._members)
        self._zip = archive

    def _open(self, name: str) -> IO[bytes]:
        return self._zip.open(self._members[name])


class _TarArchive(Archive):
    def __init__(self, path: Path, archive: tarfile.TarFile) -> None:
        # Listing the members decompresses the whole archive once: a truncated download
        # fails here, before anything is stored.
        self._members = {_normal(m.name): m for m in archive.getmembers() if m.isreg()}
        super().__init__(path, self._members)
        self._tar = archive

    def _open(self, name: str) -> IO[bytes]:
        stream = self._tar.extractfile(self._members[name])
        assert stream is not None, "members holds regular files only"
        return stream


class _FolderArchive(Archive):
    def __init__(self, path: Path, names: Iterable[str], meter: _Meter) -> None:
        super().__init__(path, names, separator="/")
        self._meter = meter

    def origin(self, name: str) -> str:
        """The file's path, as the user would write it (``data/x.js`` in ``.``)."""
        return str(self.path / name)

    def _open(self, name: str) -> IO[bytes]:
        return _open_metered(self.path / name, self._meter)


@contextmanager
def open_archive(
    path: Path,
    progress: Progress | None = None,
    *,
    tar_gz: bool = False,
) -> Iterator[Archive]:
    """The folder, ZIP or (if ``tar_gz``) ``.tar.gz`` at ``path``, telling ``progress`` the
    bytes read; the rest of its size is counted when the block ends without an error.

    :meth:`Archive.origin` names a file of a ZIP or .tar.gz as ``archive.zip:name``, the way
    ``FILE:LINE`` names a line; a folder's files are named by their paths.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        files = {p.relative_to(path).as_posix(): p for p in path.rglob("*") if p.is_file()}
        meter = _Meter(progress, sum(p.stat().st_size for p in files.values()))
        yield _FolderArchive(path, files, meter)
    else:
        meter = _Meter(progress, path.stat().st_size)
        with (
            _open_metered(path, meter) as raw,
            _container(path, raw, tar_gz=tar_gz) as archive,
        ):
            yield archive
    meter.finish()


@contextmanager
def _container(path: Path, raw: io.BufferedReader, *, tar_gz: bool) -> Iterator[Archive]:
    """The ZIP or .tar.gz that ``raw`` holds, open for the block."""
    head = raw.peek(4)[:4]
    with ExitStack() as stack:
        if zipfile.is_zipfile(raw):
            try:
                archive: Archive = _ZipArchive(path, stack.enter_context(zipfile.ZipFile(raw)))
            except (zipfile.BadZipFile, OSError) as exc:
                raise InputError(f"{path}: damaged ZIP archive ({_one_line(exc)})") from None
        elif head == _ZIP_MAGIC:  # starts like a ZIP, but the directory at its end is missing
            raise InputError(
                f"{path}: damaged ZIP archive (no central directory): is the download complete?"
            )
        elif tar_gz and head.startswith(_GZIP_MAGIC):
            raw.seek(0)
            try:
                tar = stack.enter_context(tarfile.open(fileobj=raw, mode="r:gz"))
                archive = _TarArchive(path, tar)
            except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
                raise InputError(
                    f"{path}: not a .tar.gz, or a damaged one: {_one_line(exc)}"
                ) from None
        else:
            # Each importer's own wording, as its users know it.
            kinds = "a ZIP, .tar.gz or folder" if tar_gz else "a ZIP archive or a folder"
            raise InputError(f"{path}: not {kinds}")
        yield archive


def _normal(name: str) -> str:
    """An archive member's name without ``./`` or ``/`` in front."""
    while name.startswith(("./", "/")):
        name = name[2:] if name.startswith("./") else name[1:]
    return name


def _one_line(exc: BaseException) -> str:
    """An exception's message, first line only."""
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


class _MeteredFile(io.RawIOBase):
    """A file on disk that reports every byte read to a :class:`_Meter`."""

    def __init__(self, path: Path, meter: _Meter) -> None:
        super().__init__()
        try:
            self._file = io.FileIO(path, "r")
        except OSError as exc:
            raise InputError(f"{path}: cannot open: {exc.strerror}") from None
        self._meter = meter

    def readable(self) -> bool:
        """Always readable."""
        return True

    def seekable(self) -> bool:
        """ZIP and tar readers seek; a file on disk allows it."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Read into ``buffer`` and count the bytes."""
        n = self._file.readinto(buffer)
        self._meter(n)
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move in the underlying file."""
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        """Position in the underlying file."""
        return self._file.tell()

    def close(self) -> None:
        """Close the underlying file."""
        if hasattr(self, "_file"):  # not when opening it failed: IOBase closes on deletion
            self._file.close()
        super().close()


def _open_metered(path: Path, meter: _Meter) -> io.BufferedReader:
    return io.BufferedReader(_MeteredFile(path, meter), buffer_size=_BUFFER)
