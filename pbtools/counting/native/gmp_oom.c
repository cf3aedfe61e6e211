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
 * Assumed of the libgmp build: its temporary memory is reentrant (alloca, and larger blocks chained from the
 * caller's frame: GMP's default and Debian's), not the --enable-alloca=notreentrant global stack a jump would leave
 * wrong; and mpz_init allocates nothing (GMP >= 6.2, checked below).
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

/* Blocks GMP frees inside a frame are held back a while. Some GMP operations free a number's limbs before they ask
 * for the new ones (mpz_mul into a number too small: free, ALLOC set, allocate): a jump at that allocation leaves the
 * number pointing at freed memory, and its mpz_clear would free it again. The last HELD blocks freed are kept; a
 * jump forgets them (a leak of at most HELD blocks: the one such a number points at is freed by its mpz_clear), a
 * frame left normally frees them (every operation finished: nothing points at them). */
#define HELD 8
static _Thread_local struct { void *p; size_t n; } held[HELD];
static _Thread_local int nheld, oldest;
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
    nheld = 0;  /* forgotten, never freed: see held */
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

static void release(void *p, size_t n) {
    if (chained) prev_free(p, n);
    else free(p);
}

static void oom_free(void *p, size_t n) {
    if (!top) { release(p, n); return; }
    if (nheld == HELD) {  /* the oldest goes: HELD frees ago, its operation is long finished */
        release(held[oldest].p, held[oldest].n);
        held[oldest].p = p;
        held[oldest].n = n;
        oldest = (oldest + 1) % HELD;
        return;
    }
    int i = (oldest + nheld++) % HELD;
    held[i].p = p;
    held[i].n = n;
}

static void release_held(void) {
    for (; nheld; nheld--, oldest = (oldest + 1) % HELD) release(held[oldest].p, held[oldest].n);
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
    release_held();
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

/* tests: w = u·v into a w too small, its new limbs refused: GMP has freed w's limbs by then (see held); True when
 * it was refused and all three numbers cleared (w's limbs freed once) */
static PyObject *refused_product(PyObject *self, PyObject *unused) {
    mpz_t w, u, v;
    gmp_oom_frame f;
    mpz_inits(w, u, v, NULL);  /* allocate nothing (GMP 6.2) */
    enter(&f, 0);
    if (setjmp(f.env)) {
        failed(&f);
        PyErr_Clear();
        mpz_clears(w, u, v, NULL);
        Py_RETURN_TRUE;
    }
    mpz_set_ui(w, 5);
    mpz_ui_pow_ui(u, 3, 5000);
    mpz_ui_pow_ui(v, 7, 5000);
    fail_in = 1;
    mpz_mul(w, u, v);
    fail_in = 0;
    leave(&f);
    mpz_clears(w, u, v, NULL);
    Py_RETURN_FALSE;
}

static PyMethodDef methods[] = {
    {"refused_product", refused_product, METH_NOARGS,
     "refused_product() -> bool: tests: a product whose new limbs are refused after GMP freed the old ones."},
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
