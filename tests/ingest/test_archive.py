"""Archives: a ZIP, a .tar.gz and a folder read alike, metered, with one-line errors."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from purposely.errors import InputError
from purposely.ingest.archive import Archive, open_archive

FORMATS = ("zip", "tar.gz", "folder")
FILES = {
    "data/tweets.js": b"window.YTD.tweets.part0 = []",
    "data/tweets_media/1.jpg": b"\xff\xd8" * 500,
    "README.txt": b"about this archive",
}


def write(files: dict[str, bytes], dest: Path, fmt: str, *, prefix: str = "") -> Path:
    """``files`` as a ZIP, a .tar.gz or a folder at ``dest`` (plus the suffix); ``prefix``
    goes in front of each name inside a ZIP or tar, as some packers write ``./``."""
    if fmt == "folder":
        for name, data in files.items():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(data)
        return dest
    path = dest.with_name(f"{dest.name}.{fmt}")
    if fmt == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo(f"{prefix}data/"), b"")  # a folder entry
            for name, data in files.items():
                archive.writestr(prefix + name, data)
        return path
    with tarfile.open(path, "w:gz") as archive:
        folder = tarfile.TarInfo(f"{prefix}data")
        folder.type = tarfile.DIRTYPE
        archive.addfile(folder)
        for name, data in files.items():
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def size_of(path: Path) -> int:
    """Bytes on disk: the file's, or the sum of a folder's files."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def read(archive: Archive, name: str) -> bytes:
    """A file of the archive, whole."""
    with archive.open(name) as stream:
        return stream.read()


def refusal(path: Path, **options: bool) -> str:
    """The message opening ``path`` and reading every file fails with; always one line."""
    with pytest.raises(InputError) as caught, open_archive(path, **options) as archive:
        for name in archive.names:
            read(archive, name)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("prefix", ["", "./"])
def test_every_format_holds_the_same_names_and_bytes(tmp_path: Path, fmt: str, prefix: str) -> None:
    path = write(FILES, tmp_path / "archive", fmt, prefix=prefix)
    with open_archive(path, tar_gz=True) as archive:
        assert archive.path == path
        assert archive.names == sorted(FILES)  # regular files only, without "./"
        assert {name: read(archive, name) for name in archive.names} == FILES


def test_a_stream_is_read_in_pieces(tmp_path: Path) -> None:
    path = write(FILES, tmp_path / "archive", "zip")
    with open_archive(path) as archive, archive.open("data/tweets_media/1.jpg") as stream:
        pieces = [stream.read(300) for _ in range(4)]
    assert [len(p) for p in pieces] == [300, 300, 300, 100]


@pytest.mark.parametrize(
    ("fmt", "origin"),
    [
        ("zip", "archive.zip:data/tweets.js"),
        ("tar.gz", "archive.tar.gz:data/tweets.js"),
        ("folder", "archive/data/tweets.js"),
    ],
)
def test_origin_names_the_file_in_the_archive(tmp_path: Path, fmt: str, origin: str) -> None:
    path = write(FILES, tmp_path / "archive", fmt)
    with open_archive(path, tar_gz=True) as archive:
        assert archive.origin("data/tweets.js") == f"{tmp_path}/{origin}"


# --- progress ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("names", [[], ["data/tweets.js"], sorted(FILES)], ids=len)
def test_progress_ends_at_the_archives_size(tmp_path: Path, fmt: str, names: list[str]) -> None:
    path = write(FILES, tmp_path / "archive", fmt)
    seen: list[int] = []
    with open_archive(path, seen.append, tar_gz=True) as archive:
        for name in names:
            read(archive, name)
    assert sum(seen) == size_of(path)
    assert all(n > 0 for n in seen)


def test_progress_counts_what_was_read_as_it_is_read(tmp_path: Path) -> None:
    files = {"a.bin": b"a" * 300_000, "b.bin": b"b" * 300_000}
    seen: list[int] = []
    with open_archive(write(files, tmp_path / "f", "folder"), seen.append) as archive:
        read(archive, "a.bin")
        assert sum(seen) == 300_000
    assert sum(seen) == 600_000


def test_an_import_that_fails_is_not_counted_as_done(tmp_path: Path) -> None:
    path = write(FILES, tmp_path / "archive", "folder")
    seen: list[int] = []
    with pytest.raises(InputError), open_archive(path, seen.append):
        raise InputError("a bad record")
    assert sum(seen) == 0


# --- refused: one line naming the archive or the file -----------------------------------------


def test_a_missing_path(tmp_path: Path) -> None:
    message = refusal(tmp_path / "nowhere.zip")
    assert message == f"{tmp_path}/nowhere.zip: no such file or directory"


def test_something_that_is_no_archive(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    assert refusal(path) == f"{path}: not a ZIP archive or a folder"
    assert refusal(path, tar_gz=True) == f"{path}: not a ZIP, .tar.gz or folder"
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    assert refusal(empty).endswith("empty.zip: not a ZIP archive or a folder")


def test_a_tar_gz_only_where_asked_for(tmp_path: Path) -> None:
    path = write(FILES, tmp_path / "archive", "tar.gz")
    assert refusal(path) == f"{path}: not a ZIP archive or a folder"


def test_a_zip_cut_short(tmp_path: Path) -> None:
    path = write(FILES, tmp_path / "archive", "zip")
    path.write_bytes(path.read_bytes()[:-40])  # the central directory is cut off
    assert refusal(path) == (
        f"{path}: damaged ZIP archive (no central directory): is the download complete?"
    )


def test_a_tar_gz_cut_short(tmp_path: Path) -> None:
    path = write(FILES, tmp_path / "archive", "tar.gz")
    path.write_bytes(path.read_bytes()[:-40])
    assert refusal(path, tar_gz=True).startswith(f"{path}: not a .tar.gz, or a damaged one: ")


def test_a_damaged_file_inside_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("data/tweets.js", b"A" * 1000)
    data = bytearray(path.read_bytes())
    data[data.index(b"A" * 1000) + 500] = ord("B")  # no longer matches its CRC
    path.write_bytes(bytes(data))
    message = refusal(path)
    assert message.startswith(f"{path}:data/tweets.js: cannot read: Bad CRC-32")


def test_an_encrypted_file_inside_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/tweets.js", b"[]")
    data = bytearray(path.read_bytes())
    flags = data.index(b"PK\x01\x02") + 8  # the central directory's general purpose flags
    data[flags] |= 0x01  # "encrypted"
    path.write_bytes(bytes(data))
    message = refusal(path)
    assert message.startswith(f"{path}:data/tweets.js: cannot read: ")
    assert "encrypted" in message


def test_a_file_gone_from_a_folder(tmp_path: Path) -> None:
    path = write(FILES, tmp_path / "archive", "folder")
    with pytest.raises(InputError) as caught, open_archive(path) as archive:
        (path / "README.txt").unlink()
        read(archive, "README.txt")
    assert str(caught.value) == f"{path}/README.txt: cannot open: No such file or directory"
