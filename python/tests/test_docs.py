import json
import os
import re
import unittest

import torch

from streaming_bridge import safetensors
from streaming_bridge.models import build_backbone

from . import fixture

REPO = fixture.REPO


class DocExampleTests(unittest.TestCase):
    """The notebook example of python/README.md runs as written, on the test cache and a tiny exported backbone."""

    def test_readme_example_runs(self):
        with open(os.path.join(REPO, "python", "README.md"), encoding="utf-8") as f:
            code = re.search(r"```python\n(.*?)```", f.read(), re.S).group(1)
        self.assertEqual(5, len(code.strip().splitlines()))
        run = fixture.scratch("run-")
        manifest = {"method": "vox2vec", "inChannels": 1, "baseChannels": 2, "levels": 3, "blocksPerLevel": 1, "norm": "batch",
                    "levelProjectionWidth": 32, "outputChannels": [2, 4, 8], "representationDim": 14, "step": 1}
        safetensors.save_torch(os.path.join(run, "backbone.safetensors"), build_backbone(manifest).state_dict())
        with open(os.path.join(run, "backbone.json"), "w") as f:
            json.dump(manifest, f)
        code = (code.replace('"cache"', repr(fixture.build()["root"])).replace('"ct-1x1x2"', '"ct-demo-3mm"')
                .replace('"runs/vox2vec-ct"', repr(run)))
        scope = {}
        exec(compile(code, "python/README.md", "exec"), scope)
        self.assertEqual((1, 14) + scope["vol"].image[:32, :128, :128].shape, tuple(scope["feats"].shape))
        self.assertTrue(torch.isfinite(scope["feats"]).all())


if __name__ == "__main__":
    unittest.main()
