/* _gmp_oom: the process's GMP memory functions, that turn a failed allocation into a jump to the innermost frame
 * armed on this thread (see gmp_oom.h), and the capsule through which _mesnative and _rulesnative arm frames.
 *
 * One module holds them because GMP has one set of memory functions per loaded libgmp, and both extensions load the
 * same one. Installed once, at this module's init; blocks GMP made before must still be freed right:
 * - GMP's defaults (malloc, realloc, free; abort on failure) were in place: ours are malloc, realloc and free too;
 * - another library had installed its own: ours call them (a NULL from them is a failure too), so every block is
 *   freed by the functions that made it.
 * gmpy2 (2.3) installs none, and its wheels carry their own copy of libgmp (gmpy2.libs/): its numbers never reach
 * these functions. A gmpy2 built against the system's libgmp shares ours: its blocks are malloc's either way, and
 * a failure in it (never inside one of our frames: no Python code runs there) aborts as before.
 * A library that replaces the memory functions after us would free our blocks with its own: none we use does.
 */
#define PY_SSIZE_T_CLEAN
#include "gmp_oom.h"
#include <stdio.h>
#include <stdlib.h>

GMP_OOM_DEFINE

/* GMP's default functions: exported by libgmp, declared only in its internal header */
extern void *__gmp_default_allocate(size_t);
extern void *__gmp_default_reallocate(void *, size_t, size_t);
extern void __gmp_default_free(void *, size_t);

static _Thread_local gmp_oom_frame *top;  /* this thread's innermost armed frame */
static void *(*prev_alloc)(size_t);
static void *(*prev_realloc)(void *, size_t, size_t);
static void (*prev_free)(void *, size_t);
static int chained, installed;
static unsigned long long refused;  /* GMP allocations refused and turned into MemoryError (tests read it) */
static unsigned long long fail_in;  /* tests: the fail_in-th allocation made inside a frame fails (0: none) */

static _Noreturn void out_of_memory(size_t n) {
    gmp_oom_frame *f = top;
    if (!f) {  /* no frame armed on this thread: as GMP's default would */
        fprintf(stderr, "GNU MP: Cannot allocate memory (size=%zu)\n", n);
        abort();
    }
    top = f->prev;
    f->live = 0;
    refused++;
    longjmp(f->env, 1);
}

static inline int injected(void) { return fail_in && top && --fail_in == 0; }

static void *oom_alloc(size_t n) {
    void *p = injected() ? NULL : chained ? prev_alloc(n) : malloc(n);
    if (!p) out_of_memory(n);
    return p;
}

static void *oom_realloc(void *p, size_t old, size_t n) {
    void *q = injected() ? NULL : chained ? prev_realloc(p, old, n) : realloc(p, n);
    if (!q) out_of_memory(n);  /* p is still the number's: freed by whoever clears it */
    return q;
}

static void oom_free(void *p, size_t n) {
    if (chained) prev_free(p, n);
    else free(p);
}

static void enter(gmp_oom_frame *f, int python) {
    f->gc_was = python ? PyGC_Disable() : -1;
    f->prev = top;
    f->live = 1;
    top = f;
}

static void leave(gmp_oom_frame *f) {
    if (!f->live) return;
    if (top != f) Py_FatalError("_gmp_oom: a frame left before the frames armed inside it");
    top = f->prev;
    f->live = 0;
    if (f->gc_was > 0) PyGC_Enable();
}

static void failed(gmp_oom_frame *f) {
    if (f->gc_was > 0) PyGC_Enable();
    f->gc_was = -1;
    PyErr_NoMemory();
}

static const gmp_oom_api api = {enter, leave, failed};

static void install(void) {
#if __GNU_MP_RELEASE >= 60200  /* older GMP allocates in mpz_init too: the rules of gmp_oom.h assume it does not */
    mp_get_memory_functions(&prev_alloc, &prev_realloc, &prev_free);
    chained = prev_alloc != __gmp_default_allocate || prev_realloc != __gmp_default_reallocate ||
              prev_free != __gmp_default_free;
    mp_set_memory_functions(oom_alloc, oom_realloc, oom_free);
    installed = 1;
#endif
}

static PyObject *stats(PyObject *self, PyObject *unused) {
    return Py_BuildValue("{s:O,s:O,s:K,s:K}", "installed", installed ? Py_True : Py_False, "chained",
                         chained ? Py_True : Py_False, "refused", refused, "fail_in", fail_in);
}

static PyObject *fail_after(PyObject *self, PyObject *arg) {
    unsigned long long n = PyLong_AsUnsignedLongLong(arg);
    if (n == (unsigned long long)-1 && PyErr_Occurred()) return NULL;
    fail_in = n;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"fail_after", fail_after, METH_O,
     "fail_after(n): tests: the n-th GMP allocation made inside a frame from now on fails (0: none), so that every "
     "point where GMP allocates can be made to run out."},
    {"stats", stats, METH_NOARGS,
     "stats() -> {installed, chained (another library's functions were there before), refused (GMP allocations "
     "turned into MemoryError so far), fail_in (see fail_after)}"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_gmp_oom", "GMP out of memory as MemoryError", -1, methods};

PyMODINIT_FUNC PyInit__gmp_oom(void) {
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (!pbtools_gmp_oom) {  /* once per process, whatever imports this module again */
        install();
        pbtools_gmp_oom = &api;
    }
    PyObject *cap = PyCapsule_New((void *)&api, GMP_OOM_CAPSULE, NULL);
    if (!cap || PyModule_AddObject(m, "api", cap) < 0) {
        Py_XDECREF(cap);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
