"""Continue training a minrnn checkpoint with PyTorch's DistributedDataParallel: the
repository's way to run minrnn_torch.ddp without installing it (pip install ./python
gives the same as the command `minrnn-ddp`). See minrnn_torch/ddp.py."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minrnn_torch.ddp import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
