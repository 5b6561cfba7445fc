"""Saving without losing data, as the minrnn command saves (src/node/files.ts, paths.ts,
temp-files.ts): the bytes go to a temporary file beside the target, are flushed to disk,
and the file is renamed over the target, so a reader or a crash sees the old file or the
new one. A symlink (a dangling one too) is written through, to the file it leads to, as
editors and rsync do; a directory, device, FIFO or socket is refused rather than replaced
by a regular file. The new file keeps the mode of the one it replaces (0644 if new).

Temporary files are `.NAME.<pid>-<random>.tmp`, the minrnn command's pattern: a save
removes those beside its target whose process no longer runs (a killed save's), and a
SIGINT or SIGTERM during a save removes its own before the process stops. Earlier
versions of this module named theirs `.minrnn-XXXXXXXX.tmp`, without a pid; those older
than this process are removed too."""
import os
import re
import secrets
import signal
import stat
import time

# Earlier temporary files, and when this process started (a file older than that is no
# save of a running process that began after it; one of an older process is a risk taken).
LEGACY = re.compile(r"\.minrnn-[A-Za-z0-9_]{8}\.tmp")
STARTED = time.time()
# The kernel's own limit on links followed (ELOOP).
MAX_LINKS = 40


def write_target(path):
    """`path`, or through any chain of symlinks (dangling too) the path at its end."""
    p = path
    for _ in range(MAX_LINKS):
        try:
            if not stat.S_ISLNK(os.lstat(p).st_mode):
                return p
        except FileNotFoundError:
            return p
        p = os.path.join(os.path.dirname(p), os.readlink(p))
    raise ValueError(f"cannot write {path}: it is a symlink that leads through more than {MAX_LINKS} links (a loop?); give the path of a file")


def _kind(mode):
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def check_writable(path):
    """The path a save to `path` writes, and the mode of the file it replaces (None for a
    new file: 0644 less the umask); raises ValueError (what, and what to do) for what a
    save must not replace."""
    target = write_target(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        through = "" if target == path else f" (the symlink leads to {target})"
        raise ValueError(f"cannot write {path}: it is {_kind(st.st_mode)}{through}; give a file name, e.g. model.safetensors (a save would replace it with a regular file)")
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        raise ValueError(f"cannot write {path}: the directory {directory} does not exist; create it or choose another path")
    return target, stat.S_IMODE(st.st_mode) if st is not None else None


def temp_path(target):
    return os.path.join(os.path.dirname(os.path.abspath(target)), f".{os.path.basename(target)}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def stale_temp_files(target):
    """Temporary files beside `target` whose writing process no longer runs."""
    directory, prefix = os.path.dirname(os.path.abspath(target)), f".{os.path.basename(target)}."
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    found = []
    for name in names:
        m = re.fullmatch(r"(\d+)-[0-9a-z]+\.tmp", name[len(prefix):]) if name.startswith(prefix) else None
        if m and not _running(int(m.group(1))) or LEGACY.fullmatch(name) and _older_than_run(os.path.join(directory, name)):
            found.append(os.path.join(directory, name))
    return found


def _older_than_run(path):
    try:
        return os.lstat(path).st_mtime < STARTED
    except OSError:
        return False


def _running(pid):
    try:
        os.kill(pid, 0)
        return True
    except PermissionError:  # it runs, as another user
        return True
    except (ProcessLookupError, OverflowError):
        return False


class _Interrupted(BaseException):
    pass


def write_atomic(path, data):
    """Writes `data` to `path` as described above; afterwards removes stale temporary files."""
    target, mode = check_writable(path)
    tmp = temp_path(target)
    # A SIGINT or SIGTERM while the temporary file exists removes it, then stops as asked.
    caught = []

    def stop(signum, _frame):
        caught.append(signum)
        raise _Interrupted()

    previous = {}
    try:
        for s in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(s) is not signal.SIG_IGN:  # an ignored signal stays ignored
                previous[s] = signal.signal(s, stop)
    except ValueError:
        previous = {}  # not the main thread: signals stay as they are
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644 if mode is None else mode)
        try:
            if mode is not None:
                os.fchmod(fd, mode)  # the replaced file's mode, whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError):
            raise ValueError(f"cannot write {path}: {e.strerror}; choose another output path") from None
        if not isinstance(e, _Interrupted):
            raise
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if caught:
        os.kill(os.getpid(), caught[0])  # the signal's own effect, now that nothing is half-written
        # Still here: a handler of the program's own took it. The save did not happen.
        raise InterruptedError(f"cannot write {path}: interrupted by {signal.Signals(caught[0]).name}; nothing was written")
    _sync_directory(os.path.dirname(os.path.abspath(target)))
    for stale in stale_temp_files(target):  # only now: a complete one may have been the only copy until this save
        try:
            os.unlink(stale)
        except FileNotFoundError:
            pass


def _sync_directory(directory):
    """Makes the rename durable; best effort (some systems cannot sync a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
