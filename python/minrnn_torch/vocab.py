"""A model's symbols: Unicode code points, or byte values for a byte-mode model."""
import json
from dataclasses import dataclass

@dataclass(frozen=True)
class Vocab:
    """The symbols, index i being the i-th: code points (kind "codepoints") or byte values
    (kind "bytes", a byte-mode model)."""

    symbols: tuple
    kind: str = "codepoints"

    @staticmethod
    def from_text(text):
        return Vocab(tuple(sorted({ord(ch) for ch in text})))

    @staticmethod
    def from_bytes(data):
        return Vocab(tuple(sorted(set(data))), "bytes")

    def __len__(self):
        return len(self.symbols)

    def to_json(self):
        return json.dumps({"bytes": list(self.symbols)} if self.kind == "bytes" else list(self.symbols), separators=(",", ":"))

    def encode(self, data):
        """Indices of a str (a byte-mode vocabulary takes bytes); names what is missing."""
        index = {s: i for i, s in enumerate(self.symbols)}
        items = list(data) if self.kind == "bytes" else [ord(ch) for ch in data]
        missing = sorted({s for s in items if s not in index})
        if missing:
            shown = ", ".join(f"0x{s:02x}" if self.kind == "bytes" else repr(chr(s)) for s in missing[:10])
            more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            raise ValueError(f"the text has {'bytes' if self.kind == 'bytes' else 'characters'} that are not in the model's vocabulary: {shown}{more}; train on text the model knows, or start a new model with minrnn train")
        return [index[s] for s in items]

    def decode(self, indices):
        if self.kind == "bytes":
            return bytes(self.symbols[i] for i in indices)
        return "".join(chr(self.symbols[i]) for i in indices)


def as_vocab(vocab):
    if isinstance(vocab, Vocab):
        return vocab
    if isinstance(vocab, str):
        return Vocab.from_text(vocab)
    if isinstance(vocab, dict) and list(vocab) == ["bytes"]:
        return Vocab(tuple(vocab["bytes"]), "bytes")
    return Vocab(tuple(vocab))


