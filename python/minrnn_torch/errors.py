"""The one error a bad checkpoint gives, with a message that says what is wrong and what to do."""

CORRUPT = "the file is damaged or incomplete: use an intact copy (or train and save again)"


class CheckpointError(ValueError):
    """A file that is not a usable minrnn checkpoint; the message says why and what to do,
    `problem` just what is wrong."""

    def __init__(self, message, problem=None):
        super().__init__(message)
        self.problem = problem or message


def invalid(path, problem, todo=CORRUPT):
    raise CheckpointError(f"{path}: not a usable minrnn checkpoint: {problem}; {todo}", problem)
