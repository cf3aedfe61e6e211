"""The build steps pyproject.toml cannot declare.

- The optional compiled counting core (pbtools/counting/native): built when a C compiler is there, skipped if not.
  ``optional=True``: a failed compile is a warning, the package still installs, and pbtools counts with its Python
  engine (``pbtools --version`` says which engine is in use).
- Package data kept outside ``pbtools/`` in the repository: ``notebooks/`` and ``data/sample/`` are copied into the
  built package as ``pbtools/_data/notebooks`` and ``pbtools/_data/sample`` (read through pbtools/resources.py).
- Translations: each ``.po`` catalog is compiled to a ``.mo`` beside it in the built package (read by pbtools.i18n
  with Python's gettext).

- The packages: ``pbtools`` and the screens, kept in the folder ``widgets/`` and installed under the package name
  ``WIDGETS_PACKAGE`` (a ``package_dir`` mapping), so that the folder and the installed name can differ.

An editable install builds none of the data: pbtools then reads the checkout's folders and ``.po`` files.
Everything else is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import Extension, find_namespace_packages, find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# folder in the repository -> folder in the built package (pbtools/resources.py reads them there)
DATA_FOLDERS = {"notebooks": "pbtools/_data/notebooks", "data/sample": "pbtools/_data/sample"}
DATA_FILES = ("*.ipynb", "*.csv")
WIDGETS_FOLDER = "widgets"
# The screens' package name: the folder is widgets/, the import name is this project's own ("widgets" is a name many
# projects use, and would be installed into site-packages beside theirs).
WIDGETS_PACKAGE = "pbtools_widgets"


def packages() -> list[str]:
    """pbtools and its subpackages, and the screens' packages under their installed name."""
    screens = find_packages(where=str(HERE), include=[WIDGETS_FOLDER, f"{WIDGETS_FOLDER}.*"])
    # namespace packages too: the folders of templates, catalogs and static files are packages to setuptools, which
    # warns that it will stop installing their files unless they are listed
    core = find_namespace_packages(where=str(HERE), include=["pbtools", "pbtools.*"], exclude=["*.__pycache__"])
    return core + [
        WIDGETS_PACKAGE + name[len(WIDGETS_FOLDER):] for name in screens
    ]


class build_py_with_data(build_py):
    """setuptools' build_py, then the apps, the sample data and the compiled catalogs into the build tree."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout is the package: nothing to copy
            return
        for source, target in DATA_FOLDERS.items():
            for pattern in DATA_FILES:
                for path in sorted((HERE / source).glob(pattern)):
                    out = Path(self.build_lib) / target / path.name
                    self.mkpath(str(out.parent))
                    self.copy_file(str(path), str(out))
        self.compile_catalogs()

    def compile_catalogs(self) -> None:
        from babel.messages.mofile import write_mo  # a build requirement (pyproject.toml)
        from babel.messages.pofile import read_po

        for po in sorted((HERE / "pbtools/i18n/locale").glob("*/LC_MESSAGES/*.po")):
            out = Path(self.build_lib) / po.relative_to(HERE).with_suffix(".mo")
            self.mkpath(str(out.parent))
            with po.open("rb") as f:
                catalog = read_po(f, locale=po.parts[-3])
            with out.open("wb") as f:
                write_mo(f, catalog)  # fuzzy entries are left out, as gettext would
            self.announce(f"compiled {po.relative_to(HERE)} -> {out}", level=2)


setup(
    packages=packages(),
    package_dir={WIDGETS_PACKAGE: WIDGETS_FOLDER} if WIDGETS_PACKAGE != WIDGETS_FOLDER else {},
    cmdclass={"build_py": build_py_with_data},
    ext_modules=[
        Extension(
            "pbtools.counting.native._pbnative",
            sources=[f"pbtools/counting/native/{name}.c" for name in ("_pbnative", "pb_scan", "pb_rows", "pb_ids", "compile_cells")],
            depends=[f"pbtools/counting/native/{name}.h" for name in ("pb_buf", "pb_scan", "pb_ids", "compile_cells")],
            extra_compile_args=["-O2"],
            optional=True,
        ),
        # GMP's memory functions for the two below: running out of memory is a MemoryError, not an abort of the
        # process (gmp_oom.h); both import it at their init (without it they do not load: Python counts)
        Extension(
            "pbtools.counting.native._gmp_oom",
            sources=["pbtools/counting/native/gmp_oom.c"],
            depends=["pbtools/counting/native/gmp_oom.h"],
            libraries=["gmp"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
        # the exact MES engine (GMP rationals): needs libgmp-dev (scripts/system-deps.sh --build); without it the
        # build of this one extension is skipped and MES counts in Python
        Extension(
            "pbtools.counting.native._mesnative",
            sources=[f"pbtools/counting/native/{name}.c" for name in ("_mesnative", "mes_run", "mes_state", "mes_track",
                                                                       "mes_price", "mes_classes", "mes_order", "mes_merge", "mes_certify", "mes_cert_peel", "mes_cert_state")],
            depends=[f"pbtools/counting/native/{name}.h" for name in ("mes", "mes_classes", "mes_order", "mes_cert", "gmp_py", "gmp_oom")],
            libraries=["gmp", "m"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
        # greedy and Phragmén over the compiled arrays (Phragmén's loads in GMP rationals)
        Extension(
            "pbtools.counting.native._rulesnative",
            sources=["pbtools/counting/native/_rulesnative.c"],
            depends=["pbtools/counting/native/gmp_py.h", "pbtools/counting/native/gmp_oom.h"],
            libraries=["gmp"],
            extra_compile_args=["-O2"],
            optional=True,
        ),
    ],
)
