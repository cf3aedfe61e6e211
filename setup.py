"""The optional compiled counting core (pbtools/counting/native): built when a C compiler is there, skipped if not.

Everything else is declared in pyproject.toml. ``optional=True``: a failed compile is a warning, the package still
installs, and pbtools counts with its Python engine (``pbtools --version`` says which engine is in use).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "pbtools.counting.native._pbnative",
            sources=["pbtools/counting/native/_pbnative.c"],
            extra_compile_args=["-O2"],
            optional=True,
        )
    ]
)
