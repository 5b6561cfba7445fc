"""The safetensors format as minrnn writes and checks it: an 8-byte little-endian header
length N, N bytes of JSON header (padded with spaces so the data starts 8-byte aligned),
then every tensor's F32 values back to back. The header maps each name to {dtype, shape,
data_offsets} and holds `__metadata__`, a map of strings. No safetensors package needed.

Reading is bounded by what the format can hold: the header by MAX_HEADER_BYTES, the data
by the end the header's offsets claim (one byte more is read, to see trailing bytes), so
a file that never ends (a FIFO, /dev/zero) cannot fill the memory. src/checkpoint.ts and
src/node/checkpoint-read.ts are minrnn's side of the same checks."""
import json
import math
import os
import stat
import struct
import zlib

import numpy as np

from . import strict_json
from .errors import CheckpointError, invalid
from .limits import MAX_DATA_BYTES, MAX_HEADER_BYTES

ALIGN = 8
CHUNK = 1 << 20
# The metadata entries the checksum covers, in this order (then the data, in header order).
CHECKSUMMED = ["format", "config", "vocab", "training"]
CHECKSUM_KEY = "crc32"


def read_file(path):
    """(header bytes, data bytes) of a safetensors file, read no further than its header
    says it goes, plus one byte; decode() judges them."""
    try:
        f = open(path, "rb")
    except OSError as e:
        raise CheckpointError(f"{path}: cannot read it ({e.strerror})") from None
    with f:
        if stat.S_ISDIR(os.fstat(f.fileno()).st_mode):
            raise CheckpointError(f"{path}: cannot read it (it is a directory; give the path of a checkpoint)")
        length_field = _read_up_to(f, 8)
        if len(length_field) < 8:
            invalid(path, f"it is {len(length_field)} bytes long, shorter than a safetensors header length (8 bytes)")
        (n,) = struct.unpack("<Q", length_field)
        if n > MAX_HEADER_BYTES:
            invalid(path, f"its header length field says {n} bytes, more than the {MAX_HEADER_BYTES} a checkpoint header can have (this bound is the format's; the file was not read further)",
                    "this is not a safetensors file, or its first bytes are damaged")
        if n < 2:
            invalid(path, f"its header length field says {n} bytes, too short for a JSON object")
        header = _read_up_to(f, n)
        if len(header) < n:
            invalid(path, f"its header should be {n} bytes, but only {len(header)} follow the length field (the file is truncated)")
        claimed = _claimed_data_bytes(header)
        if claimed > MAX_DATA_BYTES:
            invalid(path, f"its header claims {claimed} bytes of tensor data, more than the {MAX_DATA_BYTES} any minrnn model has (the file was not read further)")
        # One byte more than claimed, so that decode sees (and refuses) trailing bytes.
        data = _read_up_to(f, claimed + 1)
    return header, data


def _read_up_to(f, n):
    parts = []
    while n > 0:
        chunk = f.read(min(n, CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _claimed_data_bytes(header):
    """The largest data_offsets end in a header; 0 if it is not JSON (decode says what is wrong)."""
    try:
        parsed = strict_json.parse("", "header", header.decode("utf-8"))
    except (CheckpointError, UnicodeDecodeError):
        return 0
    ends = [e["data_offsets"][1] for e in parsed.values() if isinstance(e, dict) and isinstance(e.get("data_offsets"), list) and len(e["data_offsets"]) == 2] if isinstance(parsed, dict) else []
    return max([e for e in ends if _whole(e)] + [0])


def _whole(v):
    """A JSON whole number as JSON.parse and Number.isSafeInteger see it (2.0 is 2; true is not)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v == int(v) and abs(v) <= 2**53 - 1


def decode(path, header_bytes, data, verify_checksum=True):
    """(metadata or None, {name: float32 array} in header order, whether the checksum
    matched (None: the file has none)), checked as minrnn checks it: F32 only, offsets in
    bounds, the tensors tiling the data exactly, finite values, the crc32 where there is one."""
    end = len(header_bytes)
    while end and header_bytes[end - 1] == 0x20:
        end -= 1
    if header_bytes[:1] != b"{" or header_bytes[end - 1 : end] != b"}":
        invalid(path, "its header is not a JSON object padded with spaces (it must start with { and end with } and spaces)")
    try:
        text = header_bytes[:end].decode("utf-8")
    except UnicodeDecodeError as e:
        invalid(path, f"its header is not valid UTF-8 JSON ({e})")
    header = strict_json.parse(path, "header", text)
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())):
        invalid(path, "its __metadata__ is not a map of strings")
    entries = {name: _entry(path, name, e, len(data)) for name, e in header.items()}
    at = 0
    for begin, end_, name in sorted((b, e, n) for n, (_, b, e) in entries.items()):
        if begin != at:
            invalid(path, f"tensor {name} overlaps the tensor before it (it begins at byte {begin}, before {at})" if begin < at else f"the bytes {at} to {begin} of the data belong to no tensor (before {name})")
        at = end_
    if at > len(data):
        invalid(path, f"its tensors cover {at} bytes of data, but the file holds {len(data)} (the file is truncated)")
    if at < len(data):
        invalid(path, f"the file goes on past the {at} bytes of data its tensors cover (reading stopped there)")
    matched = None
    if metadata is not None and CHECKSUM_KEY in metadata:
        matched = metadata[CHECKSUM_KEY] == checksum(metadata, [data[b:e] for _, b, e in entries.values()])
        if not matched and verify_checksum:
            invalid(path, "its checksum does not match its content (crc32)",
                    "the file is corrupted: use an intact copy. A file another tool rewrote (Hugging Face's safetensors reorders the tensors) "
                    "loads with minrnn_torch.load(path, verify_checksum=False), which warns instead; or delete its crc32 metadata entry")
    tensors = {}
    for name, (shape, begin, end_) in entries.items():
        values = np.frombuffer(data[begin:end_], dtype="<f4").reshape(shape)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            invalid(path, f"{name}[{bad[0]}] is {values.reshape(-1)[bad[0]]}; every value must be a finite number")
        tensors[name] = values
    return metadata, tensors, matched


def _entry(path, name, e, data_length):
    if not isinstance(e, dict):
        invalid(path, f"the header entry of {name!r} is not an object")
    if sorted(e) != ["data_offsets", "dtype", "shape"]:
        invalid(path, f"the header entry of {name!r} has the fields {{{','.join(sorted(e))}}}; a safetensors entry has exactly dtype, shape and data_offsets")
    if e["dtype"] != "F32":
        invalid(path, f"tensor {name} has dtype {e['dtype']}; minrnn reads F32 only", "in PyTorch, convert the tensors with .float() before saving")
    shape, offsets = e["shape"], e["data_offsets"]
    if not (isinstance(shape, list) and all(_whole(d) and d >= 0 for d in shape)):
        invalid(path, f"tensor {name} has shape {shape!r}, not a list of sizes")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(_whole(o) and o >= 0 for o in offsets)):
        invalid(path, f"tensor {name} has data_offsets {offsets!r}, not a pair of byte offsets")
    shape, (begin, end) = [int(d) for d in shape], (int(offsets[0]), int(offsets[1]))
    if begin > end or end > data_length:
        invalid(path, f"tensor {name} has data_offsets [{begin}, {end}] outside the {data_length} bytes of data{' (the file is truncated)' if end > data_length else ''}")
    if end - begin != 4 * math.prod(shape):
        invalid(path, f"tensor {name} of shape {shape} needs {4 * math.prod(shape)} bytes but its data_offsets span {end - begin}")
    return shape, begin, end


def encode(tensors, metadata=None):
    """The bytes of a safetensors file of {name: float32 array}, in the given order."""
    header = {"__metadata__": metadata} if metadata is not None else {}
    chunks, offset = [], 0
    for name, values in tensors.items():
        b = np.ascontiguousarray(values, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(values.shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-(8 + len(text)) % ALIGN)  # the data starts 8-byte aligned
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def checksum(metadata, chunks):
    """minrnn's crc32: the four metadata strings each followed by a newline, then every
    tensor's bytes (arrays or bytes) in the file's order; 8 hex digits."""
    crc = zlib.crc32("".join(metadata.get(k, "undefined") + "\n" for k in CHECKSUMMED).encode())
    for c in chunks:
        crc = zlib.crc32(c if isinstance(c, (bytes, memoryview)) else np.ascontiguousarray(c, dtype="<f4").tobytes(), crc)
    return f"{crc:08x}"
