"""JSON as minrnn reads a checkpoint's: a key twice in one object is refused (readers
differ on which one counts; safetensors forbids it), and so is nesting deeper than
Python's parser can follow, which would otherwise end in a RecursionError."""
import json

from .errors import invalid


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise _Duplicate(k)
        seen.add(k)
    return dict(pairs)


def _no_constants(name):
    # Python's json reads NaN and Infinity, which are not JSON: JSON.parse refuses them.
    raise ValueError(f"{name} is not a JSON value")


def parse(path, what, text):
    """The value of `text`, the JSON of the file's `what` (its header, its config ...)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except _Duplicate as e:
        invalid(path, f"its {what} has the key {json.dumps(e.args[0])} twice in one object (JSON readers differ on which one counts)")
    except RecursionError:
        invalid(path, f"its {what} is nested too deeply to be a checkpoint's JSON")
    except (UnicodeDecodeError, ValueError) as e:
        invalid(path, f"its {what} is not valid {'UTF-8 ' if isinstance(e, UnicodeDecodeError) else ''}JSON ({e})")
