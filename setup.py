"""Builds the libpolicy Python package: the native module _libpolicy by CMake.

pyproject.toml holds the metadata; this file adds what setuptools cannot say
declaratively: the version read from CMakeLists.txt (the one place it is
written) and a build_ext that runs CMake instead of compiling sources itself.

Environment:
  LIBPOLICY_CMAKE_BUILD_DIR  the CMake build directory to build _libpolicy in,
                             instead of one under build-python/: configured as below
                             when it holds no CMakeCache.txt yet; when it does (a
                             build of this checkout), its _libpolicy target is
                             brought up to date (usually a no-op) and copied. CI
                             uses it to test the packaging without compiling the
                             library twice.
  LIBPOLICY_CMAKE_ARGS       more arguments for the configure, split on spaces
                             (-DPOLICY_WERROR=ON: the flags of another build, whose
                             objects ccache then serves).
  LIBPOLICY_BUILD_BASE       where setuptools writes (default build-python/).
  CMAKE_BUILD_PARALLEL_LEVEL as for cmake --build.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


def project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*libpolicy\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", text)
    if not match:
        raise RuntimeError("no project(libpolicy VERSION x.y.z) in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    def __init__(self, name: str, target: str):
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    def build_extension(self, ext: CMakeExtension) -> None:
        chosen = os.environ.get("LIBPOLICY_CMAKE_BUILD_DIR")
        if chosen:
            build_dir = pathlib.Path(chosen).resolve()
        else:
            build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        if not (build_dir / "CMakeCache.txt").is_file():
            self.configure(build_dir)
        # The same ccache settings as scripts/build.sh, so objects compiled by an
        # earlier build of this checkout are reused.
        env = dict(os.environ)
        env.setdefault("CCACHE_BASEDIR", str(ROOT))
        env.setdefault("CCACHE_NOHASHDIR", "true")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", ext.target], check=True, env=env)
        built = build_dir / "python" / "libpolicy" / pathlib.Path(self.get_ext_filename(ext.name)).name
        if not built.is_file():
            raise RuntimeError(f"CMake built no {built} (a module for another Python?)")
        dest = pathlib.Path(self.get_ext_fullpath(ext.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, dest)

    def configure(self, build_dir: pathlib.Path) -> None:
        build_dir.mkdir(parents=True, exist_ok=True)
        args = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DPOLICY_BUILD_PYTHON=ON",
            "-DPOLICY_BUILD_TESTS=OFF",
            "-DPOLICY_BUILD_CLI=OFF",
            "-DPOLICY_INSTALL=OFF",
        ]
        if shutil.which("ninja"):
            args += ["-G", "Ninja"]
        args += os.environ.get("LIBPOLICY_CMAKE_ARGS", "").split()
        subprocess.run(args, check=True)


# Not setuptools' default build/, which is the CMake build directory of the README.
build_base = os.environ.get("LIBPOLICY_BUILD_BASE", str(ROOT / "build-python"))
os.makedirs(build_base, exist_ok=True)  # egg_info wants an existing directory

setup(
    version=project_version(),
    ext_modules=[CMakeExtension("libpolicy._libpolicy", target="_libpolicy")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": build_base}, "egg_info": {"egg_base": build_base}},
)
