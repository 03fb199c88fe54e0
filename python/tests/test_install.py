import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class InstallTests(unittest.TestCase):
    """The two documented ways in: no install (PYTHONPATH=python) and ``pip install -e python/``, both offline."""

    def run_python(self, exe, code, env=None, cwd=None):
        p = subprocess.run([exe, "-c", code], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
        self.assertEqual(0, p.returncode, p.stderr)
        return p.stdout.strip()

    def test_imports_with_pythonpath_and_no_install(self):
        env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
        with tempfile.TemporaryDirectory() as cwd:
            out = self.run_python(sys.executable, "import streaming_bridge as sb, streaming_bridge.models, streaming_bridge.data;"
                                                  "print(sb.__file__)", env, cwd)
        self.assertEqual(os.path.join(PYTHON_DIR, "streaming_bridge", "__init__.py"), out)

    def test_pip_install_editable_works_offline_in_a_venv(self):
        try:
            import pip  # noqa: F401
        except ImportError:
            self.skipTest("pip is not installed for this python3 (Debian: python3-pip); `pip install -e python/` not checked")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "python")          # a copy: setup.py develop writes egg-info beside the sources
            shutil.copytree(PYTHON_DIR, src, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.egg-info"))
            venv = os.path.join(tmp, "venv")
            # --without-pip: the system site-packages already hold Debian's pip (and creating a venv pip is slow)
            subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], check=True, timeout=300)
            exe = os.path.join(venv, "bin", "python")
            p = subprocess.run([exe, "-m", "pip", "install", "--no-index", "-q", "-e", src], capture_output=True, text=True, timeout=300)
            self.assertEqual(0, p.returncode, p.stdout + p.stderr)
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            out = self.run_python(exe, "import streaming_bridge; print(streaming_bridge.__file__)", env, tmp)
            self.assertEqual(os.path.join(src, "streaming_bridge", "__init__.py"), out)


if __name__ == "__main__":
    unittest.main()
